"""Dependencies handed to handlers: a database session and the settings."""

from __future__ import annotations

from collections.abc import Iterator

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlmodel import Session

from portal.settings import Settings


def provide_db(state: State) -> Iterator[Session]:
    with Session(state.engine) as session:
        yield session


def provide_settings(state: State) -> Settings:
    return state.settings


DB = NamedDependency[Session]
AppSettings = NamedDependency[Settings]
