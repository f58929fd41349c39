"""Alembic migrations for the counselor database (SQLite and PostgreSQL)."""
