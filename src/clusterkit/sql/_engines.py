"""Private: the engine of a database given as an engine, a URL or its text."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TypeAlias

import sqlalchemy as sa

from clusterkit.errors import DatasetReadError
from clusterkit.io import source_name

__all__ = ["EngineOrURL", "display_of", "engine_of", "schema_of"]

EngineOrURL: TypeAlias = str | sa.URL | sa.Engine
"""A database: a SQLAlchemy engine, or a URL (`sqlite:///data.db`)."""


@contextlib.contextmanager
def engine_of(
    database: EngineOrURL, *, schema: str | None = None
) -> Iterator[sa.Engine]:
    """An engine of the database: the one given, or one made for a URL and disposed.

    With `schema`, tables without a schema are the schema's.

    Raises:
        DatasetReadError: A URL that SQLAlchemy cannot open (an unknown dialect,
            a driver that is not installed, a port or an option it cannot read).
        TypeError: `database` is neither an engine nor a URL.
    """
    if isinstance(database, sa.Engine):
        engine = database
        made = False
    elif isinstance(database, (str, sa.URL)):
        display = display_of(database)
        try:
            engine = sa.create_engine(database)
        # ValueError: a part SQLAlchemy or the dialect cannot read (a port
        # `543x`, an option `timeout=5s`).
        except (sa.exc.ArgumentError, ImportError, ValueError) as error:
            raise DatasetReadError(
                f"{display}: not a database URL SQLAlchemy can open ({error})",
                source=display,
            ) from None
        made = True
    else:
        msg = f"a database is a SQLAlchemy engine or URL, not {type(database).__name__}"
        raise TypeError(msg)
    try:
        if schema is not None:
            engine = engine.execution_options(schema_translate_map={None: schema})
        yield engine
    finally:
        if made:
            engine.dispose()


def display_of(database: EngineOrURL) -> str:
    """How locations and messages name a database: its URL without the password."""
    return source_name(str(database) if isinstance(database, sa.URL) else database)


def schema_of(engine: sa.Engine) -> str | None:
    """The schema an engine puts tables without one in (`schema_translate_map`)."""
    translate = engine.get_execution_options().get("schema_translate_map") or {}
    schema: str | None = translate.get(None)
    return schema
