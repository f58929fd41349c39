"""The counselor directory: taxonomy, filter parsing, query building, distance and matching."""
