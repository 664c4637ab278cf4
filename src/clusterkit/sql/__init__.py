"""Datasets stored in SQL databases: PostgreSQL, SQLite, other SQLAlchemy 2 databases.

Needs the `sql` extra (`pip install 'clusterkit-eu[sql]'`: SQLAlchemy and the
psycopg driver of PostgreSQL). The tables are generated from the models
(`metadata`); `write_sql` stores a dataset and `read_sql` reads it back. A
database URL is also a source like a folder of files: `load_dataset`,
`clusterkit.validate`, `clusterkit.compute_kpis` and the command line read it,
table by table in batches, and locate a finding by table, key and column
(`/activities/A-001/start`).

Examples:
    >>> import sqlalchemy as sa
    >>> import clusterkit as ck
    >>> from clusterkit.sql import write_sql
    >>> engine = sa.create_engine("sqlite://")
    >>> write_sql(ck.load_example(), engine)
    >>> ck.validate(engine).ok
    True
"""

from __future__ import annotations

from clusterkit._public import publish
from clusterkit.sql._engines import EngineOrURL
from clusterkit.sql._read import DatabaseReader, open_database, read_sql
from clusterkit.sql._write import IfExists, create_tables, metadata, write_sql

__all__ = [
    "DatabaseReader",
    "EngineOrURL",
    "IfExists",
    "create_tables",
    "metadata",
    "open_database",
    "read_sql",
    "write_sql",
]

publish(globals())
