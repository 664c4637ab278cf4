"""The database layer at its edges: failed writes, URLs with secrets or typos, old SQLite, long items."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import clusterkit as ck
from clusterkit import cli
from clusterkit.errors import DatasetError, DatasetReadError
from clusterkit.io import source_name
from clusterkit.sql import IfExists, _read, read_sql, write_sql
from clusterkit.testing import generate_dataset

AS_OF = dt.date(2026, 1, 1)


@pytest.fixture(name="database")
def fixture_database(tmp_path: Path) -> Path:
    """A SQLite file holding the example."""
    path = tmp_path / "data.db"
    write_sql(ck.load_example(), f"sqlite:///{path}")
    return path


def _change(url: str, *statements: str, **values: object) -> None:
    """Run statements on a database as another program would, then let it go."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement), values)
    engine.dispose()


def test_a_failed_replace_leaves_the_stored_dataset_as_it_was(database: Path) -> None:
    """SQLite's DROP TABLE is undone with the inserts when the disk fills up."""
    probe = sa.create_engine(f"sqlite:///{database}")
    with probe.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    probe.dispose()
    assert isinstance(pages, int)
    full = sa.create_engine(f"sqlite:///{database}")

    def quota(connection: sqlite3.Connection, _record: object) -> None:
        # A disk with room for a few pages more than the example takes.
        connection.execute(f"PRAGMA max_page_count = {pages + 5}")

    sa.event.listen(full, "connect", quota)
    bigger = generate_dataset(seed=1, clusters=200, smes=2000, activities=5000)
    with pytest.raises(DatasetError, match=r"the database refused the dataset: .*full"):
        write_sql(bigger, full, if_exists="replace")
    full.dispose()
    assert read_sql(f"sqlite:///{database}").counts == ck.load_example().counts


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://ana:se/cr@et@db.example.eu/clusters",
        "postgresql+psycopg://ana:s3cret@db.example.eu/clusters",
        "postgresql+psycopg://ana@db.example.eu/clusters?sslmode=require&password=s3cret",
        "postgresql+psycopg://ana@db.example.eu/clusters?PASSWORD=s3cret#x",
    ],
)
def test_no_password_is_shown(url: str) -> None:
    """A password with a `/`, or given as a query option, is masked like any other."""
    for given in (url, sa.create_engine(url)):
        shown = source_name(given)
        assert "s3cret" not in shown
        assert "se/cr" not in shown
        assert "***" in shown
        assert shown.startswith("postgresql+psycopg://ana")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://ana@db.example.eu:543x/clusters",
        "sqlite:///data.db?timeout=5s",
    ],
)
def test_a_url_with_a_typo_is_a_dataset_error(url: str, tmp_path: Path) -> None:
    """A port or an option SQLAlchemy cannot read is said so, as an unknown dialect is."""
    with pytest.raises(
        DatasetReadError, match="not a database URL SQLAlchemy can open"
    ):
        ck.load_dataset(url)
    with pytest.raises(
        DatasetReadError, match="not a database URL SQLAlchemy can open"
    ):
        write_sql(ck.load_example(), url)
    report = ck.validate(url, as_of=AS_OF)
    assert [finding.rule for finding in report.findings] == ["CK-FILE-001"]
    assert cli.main(["convert", str(ck.io.example_path()), url]) == 1


def test_a_database_that_cannot_be_reached_is_not_said_to_refuse(
    tmp_path: Path,
) -> None:
    """Nothing refused the dataset: the database could not be opened."""
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'x.db'}"
    with pytest.raises(DatasetError, match="cannot connect to the database: ") as error:
        write_sql(ck.load_example(), url)
    assert "refused" not in str(error.value)


def test_a_stored_key_is_named_when_appending(database: Path) -> None:
    """A record whose key the database holds is refused before anything is written."""
    example = ck.load_example()
    again = ck.Dataset(
        clusters=[
            ck.Cluster(id="NEW-1", name="New", country="PL"),
            example.clusters[3],
        ],
        targets=[example.targets[0]],
    )
    url = f"sqlite:///{database}"
    with pytest.raises(DatasetError) as error:
        write_sql(again, url, if_exists="append")
    target = example.targets[0]
    assert str(error.value) == (
        f"{url}: not written, a record's key is already stored: "
        f"clusters {example.clusters[3].id}; "
        f"targets {target.partnership}/{target.country}"
    )
    assert read_sql(url).counts == example.counts


def test_postgresql_names_the_key_it_refuses(postgres_url: str) -> None:
    """The driver's detail lines are kept: PostgreSQL's names the key."""
    engine = sa.create_engine(postgres_url)
    example = ck.load_example()
    try:
        write_sql(example, engine, if_exists="replace")
        with engine.begin() as connection:
            # A rule of the database's own, which clusterkit does not know.
            connection.execute(
                sa.text("CREATE UNIQUE INDEX cluster_names ON clusters (name)")
            )
        twin = example.clusters[0].model_copy(update={"id": "NEW-1"})
        with pytest.raises(DatasetError) as error:
            write_sql(ck.Dataset(clusters=[twin]), engine, if_exists="append")
        message = str(error.value)
        assert "the database refused the dataset: " in message
        assert f"DETAIL:  Key (name)=({twin.name}) already exists." in message
    finally:
        write_sql(example, engine, if_exists="replace")
        engine.dispose()


@pytest.fixture(name="old_sqlite")
def fixture_old_sqlite() -> Iterator[sa.Engine]:
    """SQLite as before 3.32: at most 999 values a statement."""
    if not hasattr(sqlite3.Connection, "setlimit"):  # pragma: no cover - Python 3.10
        pytest.skip("Python sets SQLite's limits from version 3.11 on")
    variables = getattr(sqlite3, "SQLITE_LIMIT_VARIABLE_NUMBER")  # noqa: B009 - Python 3.11's, unknown to 3.10's stubs
    engine = sa.create_engine("sqlite://")

    def limit(connection: sqlite3.Connection, _record: object) -> None:
        getattr(connection, "setlimit")(variables, 999)  # noqa: B009 - as above

    sa.event.listen(engine, "connect", limit)
    yield engine
    engine.dispose()


def test_tables_of_thousands_of_rows_read_in_old_sqlite(old_sqlite: sa.Engine) -> None:
    """Keys are looked up at most 999 values at a time, and compared on appending."""
    dataset = generate_dataset(seed=1, activities=1200)
    write_sql(dataset, old_sqlite)
    assert read_sql(old_sqlite).counts == dataset.counts
    assert not [
        finding
        for finding in ck.validate(old_sqlite, as_of=AS_OF).findings
        if finding.rule == "CK-FILE-001"
    ]
    with pytest.raises(DatasetError, match="already stored: activities "):
        write_sql(
            ck.Dataset(activities=dataset.activities), old_sqlite, if_exists="append"
        )


def test_a_list_item_longer_than_the_limit_is_refused(database: Path) -> None:
    """An item of a link table is measured as a cell of its own table is."""
    url = f"sqlite:///{database}"
    _change(
        url,
        "UPDATE clusters_sectors SET value = :long WHERE position = 0",
        long="x" * 5_000,
    )
    with ck.Limits(max_cell_chars=4_000).applied():
        report = ck.validate(url, as_of=AS_OF)
        with pytest.raises(DatasetReadError, match="sectors: the text is 5,000"):
            read_sql(url)
    long = [f for f in report.findings if f.rule == "CK-TYPE-001"]
    assert long
    assert {f.location.field for f in long} == {"sectors"}


def test_a_sqlite_file_given_as_a_path_is_told_its_url(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The message says how to give it: by its URL."""
    with pytest.raises(DatasetReadError) as error:
        ck.load_dataset(database)
    assert str(error.value).endswith(
        f"it is a SQLite database: give its URL, sqlite:///{database.as_posix()}"
    )
    text = database.with_suffix(".txt")
    text.write_text("SQLite format", encoding="utf-8")  # not the 16-byte header
    with pytest.raises(DatasetReadError) as error:
        ck.load_dataset(text)
    assert "SQLite" not in str(error.value)


def test_text_that_is_not_utf8_is_reported_at_its_cell(database: Path) -> None:
    """Another program's Latin-1 in SQLite: one finding at the cell, every row read."""
    url = f"sqlite:///{database}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        # 'Münster' in Latin-1, stored as TEXT, in the last cluster and in an item.
        connection.exec_driver_sql(
            "UPDATE clusters SET city = CAST(x'4dfc6e73746572' AS TEXT) "
            "WHERE id = (SELECT id FROM clusters ORDER BY position DESC LIMIT 1)"
        )
        connection.exec_driver_sql(
            "UPDATE clusters_sectors SET value = CAST(x'e9' AS TEXT) "
            "WHERE position = 0 AND cluster = "
            "(SELECT id FROM clusters ORDER BY position LIMIT 1)"
        )
        last, first = (
            connection.exec_driver_sql(
                f"SELECT id FROM clusters ORDER BY position {order} LIMIT 1"  # noqa: S608 - one of two constant orders
            ).scalar()
            for order in ("DESC", "")
        )
    engine.dispose()
    report = ck.validate(url, as_of=AS_OF)
    found = {
        (f.location.pointer, f.message)
        for f in report.findings
        if f.rule in {"CK-TYPE-001", "CK-FILE-001", "CK-FK-003"}
    }
    assert found == {
        (
            f"/clusters/{last}/city",
            (
                "city: the text holds a lone surrogate ('\\udcfc': a JSON escape such "
                "as \\ud800, or a byte that is not UTF-8), which is no character; it "
                "was read as U+FFFD"
            ),
        ),
        (
            f"/clusters/{first}/sectors",
            (
                "sectors: the text holds a lone surrogate ('\\udce9': a JSON escape "
                "such as \\ud800, or a byte that is not UTF-8), which is no character; "
                "it was read as U+FFFD"
            ),
        ),
    }
    loaded, loading = ck.load_dataset(url, errors="report")
    assert len(loaded.clusters) == len(ck.load_example().clusters) - 2
    assert {f.location.pointer for f in loading.findings} == {p for p, _ in found}


@pytest.mark.parametrize(
    ("field", "day", "precision", "read"),
    [
        ("start", "2016-02-01", "month", "2016-02"),
        ("start", "2016-02-29", "month", None),  # a month's start is its first day
        ("end", "2016-03-31", "month", "2016-03"),
        ("end", "2016-03-01", "month", None),  # a month's end is its last day
        ("start", "2016-01-01", "year", "2016"),
        ("end", "2016-01-01", "year", None),
        ("end", "2016-12-31", "year", "2016"),
    ],
)
def test_a_precision_is_read_only_on_the_day_it_stands_for(
    tmp_path: Path, field: str, day: str, precision: str, read: str | None
) -> None:
    """A start stored on the last day of its month is text the validator reports."""
    url = f"sqlite:///{tmp_path / 'dates.db'}"
    activity = ck.ActivityRecord(
        id="A1", partnership="P", type="webinar", start="2016-01", end="2016-12"
    )
    write_sql(ck.Dataset(activities=[activity]), url)
    _change(
        url,
        f"UPDATE activities SET {field} = :day, {field}_precision = :precision",  # noqa: S608 - a field name of the test's own
        day=day,
        precision=precision,
    )
    if read is not None:
        stored = getattr(read_sql(url).activities[0], field)
        assert dt.date(stored.year, stored.month, stored.day).isoformat() == day
        assert (stored.isoformat(), stored.precision) == (read, precision)
        return
    with pytest.raises(DatasetReadError, match=rf"{field}: \"{day} \(precision "):
        read_sql(url)
    (finding,) = [
        f for f in ck.validate(url, as_of=AS_OF).findings if f.rule == "CK-TYPE-001"
    ]
    assert finding.location.field == field


class _BudgetedPartnership(ck.Partnership):
    budget_line: str | None = None


def test_a_field_a_subclass_adds_is_not_lost_in_a_database(tmp_path: Path) -> None:
    """The tables have the shared fields only: a value in an added field is refused."""
    example = ck.load_example()
    first = _BudgetedPartnership(
        **example.partnerships[0].model_dump(), budget_line="B-7"
    )
    plain = _BudgetedPartnership(**example.partnerships[1].model_dump())
    url = f"sqlite:///{tmp_path / 'sub.db'}"
    with pytest.raises(DatasetError) as error:
        write_sql(ck.Dataset(partnerships=[first, plain]), url)
    assert str(error.value) == (
        f"{url}: not written, the tables have no column for a field a subclass adds "
        "(write CSV, JSON Lines, JSON or a workbook to keep it): "
        f"partnerships {first.id} budget_line"
    )
    write_sql(ck.Dataset(partnerships=[plain]), url)  # an empty field loses nothing
    assert read_sql(url).partnerships[0].id == plain.id


class _LevelledPartnership(ck.Partnership):
    level: int | None = 5
    approved: bool = False
    strand: str | None = "s"


class _RatedPartnership(ck.Partnership):
    rating: int | None


def test_only_a_value_that_would_be_lost_is_refused(tmp_path: Path) -> None:
    """An added field reads back as its default: any other value is refused."""
    base = {"id": "P1", "acronym": "A", "name": "N", "generation": "escp-4i-1"}
    url = f"sqlite:///{tmp_path / 'levels.db'}"
    for record, field in (
        (_LevelledPartnership(**base, level=None), "level"),
        (_LevelledPartnership(**base, approved=True), "approved"),
        (_RatedPartnership(**base, rating=None), "rating"),
    ):
        with pytest.raises(DatasetError) as error:
            write_sql(ck.Dataset(partnerships=[record]), url)
        assert str(error.value).endswith(f"to keep it): partnerships P1 {field}")
    with pytest.raises(DatasetError) as error:
        write_sql(
            ck.Dataset(partnerships=[_LevelledPartnership(**base, strand=None)]), url
        )
    assert str(error.value) == (
        f"{url}: not written, an empty value reads back as the field's default, "
        "which a subclass makes another (give the field a default of None, or no "
        "items): partnerships P1 strand: None"
    )
    models = {"partnerships": _LevelledPartnership}
    for strand in ("s", "t"):
        at_default = ck.Dataset(
            partnerships=[_LevelledPartnership(**base, strand=strand)]
        )
        write_sql(at_default, url, if_exists="replace")
        assert ck.load_dataset(url, models=models) == at_default


def test_text_that_is_not_utf8_after_the_first_batch(tmp_path: Path) -> None:
    """The rows read before the bad text are kept; the rest is read from there on."""
    url = f"sqlite:///{tmp_path / 'many.db'}"
    dataset = generate_dataset(seed=2, activities=2500)
    write_sql(dataset, url)
    _change(
        url,
        "UPDATE activities SET title = CAST(x'43616ff1' AS TEXT) WHERE position = 2200",
    )
    loaded, report = ck.load_dataset(url, errors="report")
    assert [(f.rule, f.location.pointer) for f in report.findings] == [
        ("CK-TYPE-001", f"/activities/{dataset.activities[2200].id}/title")
    ]
    assert len(loaded.activities) == 2499


def test_another_problem_of_a_database_is_not_read_again(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only SQLite's text is read again: PostgreSQL's problems stop the reading."""
    engine = sa.create_engine(postgres_url)
    try:
        write_sql(ck.load_example(), engine, if_exists="replace")

        def failing(*_args: object) -> Iterator[object]:
            raise sa.exc.OperationalError("SELECT", {}, Exception("server closed"))

        monkeypatch.setattr(_read, "_table_batches", failing)
        report = ck.validate(engine, as_of=AS_OF)
        assert {f.rule for f in report.findings} == {"CK-FILE-001"}
        assert "server closed" in report.findings[0].message
    finally:
        engine.dispose()


def test_a_precision_no_reader_knows_is_text(tmp_path: Path) -> None:
    """A `week` beside a date is reported, as text the date column does not hold."""
    url = f"sqlite:///{tmp_path / 'week.db'}"
    activity = ck.ActivityRecord(
        id="A1", partnership="P", type="webinar", start="2016-01"
    )
    write_sql(ck.Dataset(activities=[activity]), url)
    _change(url, "UPDATE activities SET start_precision = 'week'")
    with pytest.raises(
        DatasetReadError, match=r"start: \"2016-01-01 \(precision 'week'\)"
    ):
        read_sql(url)


def test_a_transaction_the_engine_begins_itself_is_kept(database: Path) -> None:
    """SQLAlchemy's recipe for SQLite transactions: write_sql begins no second one."""
    engine = sa.create_engine(f"sqlite:///{database}")

    def no_implicit_begin(connection: sqlite3.Connection, _record: object) -> None:
        connection.isolation_level = None

    def begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")

    sa.event.listen(engine, "connect", no_implicit_begin)
    sa.event.listen(engine, "begin", begin)
    bigger = generate_dataset(seed=4, activities=300)
    write_sql(bigger, engine, if_exists="replace")
    assert read_sql(engine).counts == bigger.counts
    engine.dispose()


def test_only_a_file_is_looked_at_for_a_sqlite_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pipe is not opened (that would wait for a writer); an unreadable file says no more."""
    if not hasattr(os, "mkfifo"):  # pragma: no cover - Windows has no named pipes
        pytest.skip("named pipes are POSIX's")
    pipe = tmp_path / "pipe.db"
    os.mkfifo(pipe)
    with pytest.raises(
        DatasetReadError, match=r"unknown dataset format '\.db'"
    ) as error:
        ck.load_dataset(pipe)
    assert "SQLite" not in str(error.value)
    locked = tmp_path / "locked.db"
    locked.write_bytes(b"SQLite format 3\x00")
    opened = Path.open

    def refused(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path == locked:
            raise PermissionError(13, "Permission denied")
        return opened(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refused)
    with pytest.raises(
        DatasetReadError, match=r"unknown dataset format '\.db'"
    ) as error:
        ck.load_dataset(locked)
    assert "SQLite" not in str(error.value)


def test_a_column_of_another_programs_is_said_to_be_ignored(database: Path) -> None:
    """`validate` warns of it (CK-HDR-002, with a close field's name); reading leaves it out."""
    url = f"sqlite:///{database}"
    _change(
        url,
        "ALTER TABLE clusters ADD COLUMN created_at TEXT",
        "ALTER TABLE activities ADD COLUMN titel TEXT",
        "UPDATE activities SET titel = 'kept nowhere'",
    )
    report = ck.validate(url, as_of=AS_OF)
    unknown = sorted(
        (f.location.pointer, f.location.field, f.message, f.hint)
        for f in report.findings
        if f.rule == "CK-HDR-002"
    )
    assert unknown == [
        (
            "/activities",
            "titel",
            "unknown column 'titel' in activities; it is ignored",
            "did you mean 'title'?",
        ),
        (
            "/clusters",
            "created_at",
            "unknown column 'created_at' in clusters; it is ignored",
            None,
        ),
    ]
    assert report.ok
    assert read_sql(url) == ck.load_example()


def test_items_of_a_deleted_record_are_not_read_as_a_new_records(
    database: Path,
) -> None:
    """Items another program left in a link table refuse a record of their key.

    SQLite deletes a record's items only on a connection with foreign keys on;
    an appended record of the same id would read them as its own.
    """
    url = f"sqlite:///{database}"
    example = ck.load_example()
    gone = next(activity for activity in example.activities if activity.smes)
    connection = sqlite3.connect(database)  # foreign keys off, as by default
    with connection:
        connection.execute("DELETE FROM activities WHERE id = ?", (gone.id,))
    connection.close()
    stored = read_sql(url)
    again = ck.Dataset(
        activities=[gone.model_copy(update={"smes": (), "clusters": ()})]
    )
    with pytest.raises(DatasetError) as error:
        write_sql(again, url, if_exists="append")
    assert str(error.value) == (
        f"{url}: not written, a link table already holds items of a record's key, "
        "left when its record was deleted without them (delete them, or pass "
        f"if_exists='replace'): activities_clusters {gone.id}; "
        f"activities_smes {gone.id}"
    )
    assert read_sql(url) == stored


def test_items_left_in_tables_without_records_refuse_their_key(tmp_path: Path) -> None:
    """Items left by the only record of a database refuse a write of its key too."""
    url = f"sqlite:///{tmp_path / 'stale.db'}"
    activity = ck.ActivityRecord(
        id="A1",
        partnership="P",
        type="b2b_matchmaking",
        start="2016-03-01",
        smes=("S1", "S2"),
    )
    write_sql(ck.Dataset(activities=[activity]), url)
    _change(url, "DELETE FROM activities")  # SQLAlchemy's SQLite: foreign keys off
    new = activity.model_copy(update={"smes": ()})
    if_exists: IfExists
    for if_exists in ("fail", "append"):
        with pytest.raises(
            DatasetError, match=r"items of a record's key.*: activities_smes A1$"
        ):
            write_sql(ck.Dataset(activities=[new]), url, if_exists=if_exists)
    write_sql(ck.Dataset(activities=[new]), url, if_exists="replace")
    assert read_sql(url).activities == (new,)


def test_reading_sorts_rows_without_a_position_as_every_database_can(
    database: Path,
) -> None:
    """No `NULLS LAST`, which MySQL and SQLite before 3.30 lack; such rows come last."""
    url = f"sqlite:///{database}"
    _change(
        url,
        "INSERT INTO clusters (id, name, country) VALUES ('AAA', 'First key', 'PL')",
        "UPDATE clusters SET position = NULL WHERE id = 'PL-001'",
    )
    engine = sa.create_engine(url)
    statements: list[str] = []

    def record(*arguments: Any) -> None:
        statements.append(arguments[2])

    sa.event.listen(engine, "before_cursor_execute", record)
    clusters = read_sql(engine).clusters
    engine.dispose()
    assert [cluster.id for cluster in clusters[-2:]] == ["AAA", "PL-001"]
    assert statements
    assert not [statement for statement in statements if "NULLS" in statement.upper()]
