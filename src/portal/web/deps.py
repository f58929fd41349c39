"""Dependencies handed to handlers: a database session and the settings."""

from __future__ import annotations

from collections.abc import AsyncIterator

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlmodel import Session

from portal.settings import Settings

DB = NamedDependency[Session]
AppSettings = NamedDependency[Settings]


async def provide_db(state: State, settings: AppSettings) -> AsyncIterator[Session]:
    # An async generator: Litestar closes a sync generator dependency in a worker thread,
    # a hop per request that costs more than closing the session here. The session itself
    # is used synchronously (on the event loop, or in the handler's worker thread).
    # `settings` only puts the two dependencies one after the other: Litestar resolves the
    # dependencies of one depth concurrently, in a task group with an asyncio task each,
    # which cost a handler that asks for both more than either dependency.
    del settings
    with Session(state.engine) as session:
        yield session


def provide_settings(state: State) -> Settings:
    return state.settings
