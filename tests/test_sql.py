"""clusterkit.sql: datasets in SQLite and in a PostgreSQL server the tests start.

The PostgreSQL server is the session fixture `postgres_url` (tests/conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit import cli
from clusterkit.errors import DatasetError, DatasetExistsError, DatasetReadError
from clusterkit.io import (
    TableSource,
    dump_dataset,
    example_path,
    is_database,
    load_dataset,
    open_source,
    raise_problem,
)
from clusterkit.sql import (
    DatabaseReader,
    _engines,
    _layout,
    _read,
    _write,
    create_tables,
    metadata,
    open_database,
    read_sql,
    write_sql,
)
from clusterkit.testing import datasets, generate_dataset
from clusterkit.values import Location, PartialDate

INVALID = Path(__file__).parent / "data" / "invalid"
AS_OF = dt.date(2026, 1, 1)


@pytest.fixture(name="engine")
def fixture_engine(tmp_path: Path) -> Iterator[sa.Engine]:
    """A SQLite database in a file of its own."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'data.db'}")
    yield engine
    engine.dispose()


@pytest.fixture(name="postgres", scope="module")
def fixture_postgres(postgres_url: str) -> Iterator[sa.Engine]:
    """An engine of the test run's PostgreSQL database."""
    engine = sa.create_engine(postgres_url)
    yield engine
    engine.dispose()


def url_of(engine: sa.Engine) -> str:
    """An engine's URL with its password, as a user would type it."""
    return engine.url.render_as_string(hide_password=False)


def unique_keys(dataset: ck.Dataset) -> ck.Dataset:
    """The dataset with the first record of each key only: what a database holds."""
    tables: dict[str, list[Any]] = {}
    for name in ck.models.TABLES:
        seen: set[tuple[str, ...]] = set()
        kept = tables.setdefault(name, [])
        for record in ck.Dataset.table(dataset, name):
            key = tuple(str(getattr(record, field)) for field in _layout.KEYS[name])
            if key not in seen:
                seen.add(key)
                kept.append(record)
    return ck.Dataset.model_validate(tables)


def same(first: ck.Dataset, second: ck.Dataset) -> bool:
    """Equal datasets, and equal as JSON: a partial date keeps its precision."""
    return first == second and first.model_dump(mode="json") == second.model_dump(
        mode="json"
    )


def empty(engine: sa.Engine) -> None:
    """Delete every row of the dataset's tables, keeping the tables."""
    with engine.begin() as connection:
        for table in reversed(metadata().sorted_tables):
            connection.execute(table.delete())


# The layout ------------------------------------------------------------------


def test_tables_are_generated_from_the_models() -> None:
    """A table per dataset table, a link table per list field, typed columns."""
    tables = metadata().tables
    assert set(ck.models.TABLES) <= set(tables)
    assert {
        "partnerships_members",
        "activities_clusters",
        "activities_smes",
        "smes_clusters",
        "clusters_ecosystems",
        "targets_sources",
        "generations_strands",
        "generations_max_grant_eur",
    } <= set(tables)
    activities = tables["activities"]
    assert [column.name for column in activities.primary_key] == ["id"]
    assert [column.name for column in tables["targets"].primary_key] == [
        "partnership",
        "country",
    ]
    assert str(activities.c.id.type) == "VARCHAR(64)"
    assert str(activities.c.notes.type) == "TEXT"
    assert str(activities.c.b2b_meetings.type) == "BIGINT"
    assert str(tables["generations"].c.voluntary_allowed.type) == "BOOLEAN"
    assert str(tables["partnerships"].c.funding.type) == "VARCHAR(9)"
    assert not activities.c.start.nullable
    assert activities.c.end.nullable
    assert "start_precision" in activities.c
    assert "start_precision" not in tables["generations"].c  # given to the day
    assert activities.foreign_keys == set()
    link = tables["targets_sources"]
    assert [column.name for column in link.columns] == [
        "partnership",
        "country",
        "position",
        "value",
    ]
    (owner,) = link.foreign_key_constraints
    assert owner.referred_table is tables["targets"]
    assert owner.ondelete == "CASCADE"


def test_the_data_format_page_lists_every_link_table() -> None:
    """The reference page's table of link tables is the layout's."""
    page = Path(__file__).parents[1] / "docs" / "reference" / "data-format.md"
    rows = re.findall(
        r"^\| `(\w+)` \| (`\w+`.*) \|$", page.read_text("utf-8"), re.MULTILINE
    )
    listed = {name: re.findall(r"`(\w+)`", columns) for name, columns in rows}
    links = {
        name: [column.name for column in table.columns]
        for name, table in metadata().tables.items()
        if name not in ck.models.TABLES
    }
    assert listed == links


def dialect_of(name: str) -> sa.Dialect:
    """A database's SQLAlchemy dialect, without its driver or a server."""
    return sa.make_url(f"{name}://").get_dialect()()


def ddl_of(dialect: sa.Dialect) -> dict[str, str]:
    """The `CREATE TABLE` of each table of the layout, as a database's dialect has it."""
    return {
        table.name: str(sa.schema.CreateTable(table).compile(dialect=dialect))
        for table in metadata().sorted_tables
    }


@pytest.mark.parametrize(
    ("name", "key", "amount"),
    [
        ("mysql", "VARCHAR(255)", "NUMERIC(65, 30)"),
        ("mariadb", "VARCHAR(255)", "NUMERIC(65, 30)"),
        ("mssql", "VARCHAR(255)", "NUMERIC(38, 10)"),
        ("postgresql", "TEXT", "NUMERIC"),
        ("sqlite", "TEXT", "TEXT"),
    ],
)
def test_keys_and_amounts_suit_each_database(name: str, key: str, amount: str) -> None:
    """Text in a key has a length where an index needs one; an amount, its digits.

    PostgreSQL and SQLite keep the layout of version 0.2.0 (TEXT, NUMERIC or
    TEXT), so their databases read as before.
    """
    dialect = dialect_of(name)
    ddl = ddl_of(dialect)
    assert re.search(rf"\bcountry {re.escape(key)} NOT NULL", ddl["targets"])
    assert re.search(rf"\bcountry {re.escape(key)} NOT NULL", ddl["targets_sources"])
    assert re.search(
        rf"key\W* {re.escape(key)} NOT NULL", ddl["generations_max_grant_eur"]
    )
    assert re.search(rf"\bgrant_eur {re.escape(amount)}[, ]", ddl["partnerships"])
    assert re.search(
        rf"\bvalue {re.escape(amount)} NOT NULL", ddl["generations_max_grant_eur"]
    )
    keys = [
        column for table in metadata().sorted_tables for column in table.primary_key
    ]
    assert all(
        "TEXT" not in str(column.type.compile(dialect))
        for column in keys
        if dialect.name not in {"postgresql", "sqlite"}
    )


@pytest.mark.parametrize(
    ("amount", "digits", "fits"),
    [
        ("1.50", (65, 1), True),
        ("1.55", (65, 1), False),
        ("0E-40", (38, 10), True),
        ("9500000.50", (38, 10), True),
        ("1E+27", (38, 10), True),
        ("1E+28", (38, 10), False),
        ("1.5E-30", (65, 30), False),
        ("0.000000000000000000000000000001", (65, 30), True),
        ("1E+34", (65, 30), True),
        ("1E+35", (65, 30), False),
    ],
)
def test_which_amounts_a_numeric_holds(
    amount: str, digits: tuple[int, int], fits: bool
) -> None:
    """An amount fits a NUMERIC when its whole part and its fraction do."""
    assert _layout.amount_fits(Decimal(amount), digits) is fits


def test_an_amount_another_database_would_round_is_refused() -> None:
    """Where NUMERIC has a scale, an amount with more places is named, not rounded."""
    dataset = ck.Dataset(
        partnerships=[
            ck.Partnership(
                id="P1",
                acronym="P",
                name="P",
                generation="G",
                grant_eur="1.000000000001",
            ),
            ck.Partnership(
                id="P2", acronym="P", name="P", generation="G", grant_eur="7.5"
            ),
        ],
        generations=[
            ck.Generation(
                id="G",
                name="G",
                family="F",
                programme="COSME",
                start="2020-01-01",
                end="2021-12-31",
                max_grant_eur={"b": "1E+30", "a": "1.5"},
            )
        ],
    )
    _, layouts = _layout.build()
    assert list(_write._too_precise(dataset, layouts, dialect_of("mssql"))) == [
        "generations G max_grant_eur 'b': 1E+30",
        "partnerships P1 grant_eur: 1.000000000001",
    ]
    assert list(_write._too_precise(dataset, layouts, dialect_of("mysql"))) == []
    assert list(_write._too_precise(dataset, layouts, dialect_of("postgresql"))) == []


def test_references_are_foreign_keys_when_asked_for() -> None:
    """With `references=True`, ids of other tables' records are foreign keys."""
    tables = metadata(references=True, schema="clusters").tables
    activities = tables["clusters.activities"]
    (key,) = activities.c.partnership.foreign_keys
    assert key.target_fullname == "clusters.partnerships.id"
    (member,) = tables["clusters.partnerships_members"].c.cluster.foreign_keys
    assert member.target_fullname == "clusters.clusters.id"
    assert tables["clusters.partnerships"].c.generation.foreign_keys == set()


def test_a_field_type_without_a_sql_type_is_refused() -> None:
    """A new field type needs its SQL type: the layout says so."""
    with pytest.raises(TypeError, match="no SQL type"):
        _layout.sql_type(complex, [])


def test_amounts_are_exact_in_sqlite(engine: sa.Engine) -> None:
    """An amount is text in SQLite; text that is no number is kept for the validator."""
    table = sa.Table("amounts", sa.MetaData(), sa.Column("amount", _layout.Amount()))
    with engine.begin() as connection:
        table.create(connection)
        connection.execute(
            table.insert(), [{"amount": Decimal("0.10")}, {"amount": None}]
        )
        connection.execute(sa.text("INSERT INTO amounts VALUES ('lots')"))
        stored = connection.execute(sa.text("SELECT amount FROM amounts")).scalars()
        assert list(stored) == ["0.10", None, "lots"]
        read = connection.execute(sa.select(table.c.amount)).scalars()
        assert list(read) == [Decimal("0.10"), None, "lots"]


# Writing and reading ------------------------------------------------------------


def test_the_example_round_trips(engine: sa.Engine) -> None:
    """The example dataset comes back equal, records in their order."""
    example = ck.load_example()
    write_sql(example, engine)
    assert same(read_sql(engine), example)
    assert same(read_sql(url_of(engine)), example)
    assert same(ck.load_dataset(url_of(engine)), example)


def test_partial_dates_keep_their_precision(engine: sa.Engine) -> None:
    """A month or a year is its day and its precision; read back as given."""
    activity = ck.ActivityRecord(
        id="A1", partnership="P1", type="webinar", start="2016-02", end="2017"
    )
    write_sql(ck.Dataset(activities=[activity]), engine)
    with engine.connect() as connection:
        row = connection.execute(sa.text("SELECT * FROM activities")).mappings().one()
    assert row["start"] == "2016-02-01"
    assert (row["start_precision"], row["end_precision"]) == ("month", "year")
    (read,) = read_sql(engine).activities
    assert isinstance(read.start, PartialDate)
    assert (str(read.start), str(read.end)) == ("2016-02", "2017")


def test_a_precision_the_day_does_not_fit_is_reported(engine: sa.Engine) -> None:
    """A "month" that is not on the first or last day is no date: a finding."""
    write_sql(
        ck.Dataset(
            activities=[
                ck.ActivityRecord(
                    id="A1", partnership="P1", type="webinar", start="2016-02"
                )
            ]
        ),
        engine,
    )
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE activities SET start = '2016-02-15'"))
    report = ck.validate(engine, as_of=AS_OF)
    (finding,) = [f for f in report.findings if f.location.field == "start"]
    assert finding.location.pointer == "/activities/A1/start"
    assert "2016-02-15 (precision 'month')" in finding.message
    with pytest.raises(DatasetReadError, match=r"/activities/A1/start"):
        read_sql(engine)


@settings(max_examples=40)
@given(datasets(max_records=3).map(unique_keys))
def test_any_dataset_round_trips_in_sqlite(dataset: ck.Dataset) -> None:
    """What write_sql stores, read_sql gives back: records, order, precision."""
    engine = sa.create_engine("sqlite://")
    write_sql(dataset, engine)
    assert same(read_sql(engine), dataset)
    engine.dispose()


def test_any_dataset_round_trips_in_postgresql(postgres: sa.Engine) -> None:
    """The same on a PostgreSQL server: the tables are emptied between examples."""
    create_tables(postgres)

    @settings(max_examples=25)
    @given(datasets(max_records=3).map(unique_keys))
    def round_trip(dataset: ck.Dataset) -> None:
        empty(postgres)
        write_sql(dataset, postgres)
        assert same(read_sql(postgres), dataset)

    round_trip()


def test_schemas_and_replacing_in_postgresql(postgres: sa.Engine) -> None:
    """A schema holds its own tables; `replace` writes them again, with references."""
    example = ck.load_example()
    with postgres.begin() as connection:
        connection.execute(sa.text("CREATE SCHEMA IF NOT EXISTS kept"))
    write_sql(example, postgres, schema="kept", if_exists="replace")
    write_sql(example, postgres, schema="kept", if_exists="replace", references=True)
    assert same(read_sql(url_of(postgres), schema="kept"), example)
    translated = postgres.execution_options(schema_translate_map={None: "kept"})
    assert ck.validate(translated, as_of=AS_OF).summary.error == 0


def test_a_dataset_is_not_written_over_another(engine: sa.Engine) -> None:
    """`fail` refuses tables with records; `append` adds, in order; `replace` replaces."""
    example = ck.load_example()
    create_tables(engine)
    write_sql(example, engine)
    with pytest.raises(
        DatasetExistsError, match=r"already hold records \(.*6 partnerships"
    ):
        write_sql(example, engine)
    extra = ck.Dataset(
        clusters=[ck.Cluster(id="NEW", name="New", country="FR")],
    )
    write_sql(extra, engine, if_exists="append")
    assert read_sql(engine).clusters[-1].id == "NEW"
    write_sql(extra, engine, if_exists="replace")
    assert read_sql(engine).counts["clusters"] == 1
    with pytest.raises(ValueError, match="if_exists must be"):
        write_sql(extra, engine, if_exists="merge")  # type: ignore[arg-type]


def test_what_the_database_refuses_is_an_error(engine: sa.Engine) -> None:
    """A rule of the database's own that a record breaks: nothing is written."""
    write_sql(ck.load_example(), engine)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE UNIQUE INDEX names ON clusters (name)"))
    twin = ck.load_example().clusters[0].model_copy(update={"id": "NEW-1"})
    with pytest.raises(DatasetError, match="the database refused the dataset: UNIQUE"):
        write_sql(ck.Dataset(clusters=[twin]), engine, if_exists="append")
    assert len(read_sql(engine).clusters) == len(ck.load_example().clusters)


def test_records_sharing_a_key_are_refused(engine: sa.Engine) -> None:
    """Two records with one key cannot be stored: the error names them."""
    clusters = [ck.Cluster(id=f"C{n % 6}", name="C", country="DE") for n in range(12)]
    with pytest.raises(DatasetError, match=r"share a key: clusters C0; .*; and 1 more"):
        write_sql(ck.Dataset(clusters=clusters), engine)


def test_dangling_references_are_refused_when_declared(engine: sa.Engine) -> None:
    """With `references=True`, a reference that does not resolve is named."""
    dangling = ck.Dataset(
        activities=[
            ck.ActivityRecord(
                id="A1", partnership="P9", type="webinar", start="2020-01-01"
            )
        ]
    )
    with pytest.raises(
        DatasetError, match="activities A1 partnership: no partnerships record 'P9'"
    ):
        write_sql(dangling, engine, references=True)
    write_sql(dangling, engine)  # stored with its findings
    partnership = ck.Partnership(
        id="P9", acronym="P", name="P", generation="escp-4i-1", members=("C1",)
    )
    with pytest.raises(
        DatasetError, match="partnerships P9 members: no clusters record 'C1'"
    ):
        write_sql(
            ck.Dataset(partnerships=[partnership]),
            engine,
            if_exists="append",
            references=True,
        )
    cluster = ck.Dataset(clusters=[ck.Cluster(id="C1", name="C", country="DE")])
    write_sql(cluster, engine, if_exists="append")
    write_sql(
        ck.Dataset(partnerships=[partnership]),
        engine,
        if_exists="append",
        references=True,
    )
    assert read_sql(engine).partnerships == (partnership,)


def test_a_database_that_cannot_be_opened(tmp_path: Path) -> None:
    """An unknown dialect or a missing driver is a read error; other objects a TypeError."""
    with pytest.raises(DatasetReadError, match="nosuch://x: not a database URL"):
        read_sql("nosuch://x")
    with pytest.raises(DatasetReadError, match="not a database URL"):
        read_sql(sa.make_url("mysql+nosuchdriver://u:secret@host/db"))
    with pytest.raises(TypeError, match="SQLAlchemy engine or URL, not int"):
        read_sql(3)  # type: ignore[arg-type]
    (tmp_path / "empty.db").touch()
    with pytest.raises(DatasetReadError, match="no dataset tables found"):
        read_sql(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(DatasetReadError, match="cannot read the database"):
        read_sql(f"sqlite:///{tmp_path}")  # a folder


def test_a_table_that_cannot_be_read(engine: sa.Engine) -> None:
    """A table without a column of the layout: an error, or a finding and the rest read."""
    write_sql(ck.load_example(), engine)
    with engine.begin() as connection:
        connection.execute(sa.text("ALTER TABLE smes DROP COLUMN nace"))
    with pytest.raises(DatasetReadError, match="cannot read table smes"):
        read_sql(engine)
    report = ck.validate(engine, as_of=AS_OF)
    unreadable = [f for f in report.findings if f.rule == "CK-FILE-001"]
    assert [f.location.pointer for f in unreadable] == ["/smes"]


def test_missing_tables_are_empty(engine: sa.Engine) -> None:
    """A database with some of the tables: the others are empty."""
    metadata().tables["clusters"].create(engine)
    write_sql(
        ck.Dataset(clusters=[ck.Cluster(id="C1", name="C", country="DE")]),
        engine,
        if_exists="append",
    )
    assert read_sql(engine).counts["clusters"] == 1


# A database as a source ----------------------------------------------------------


def test_findings_are_located_by_table_key_and_column(engine: sa.Engine) -> None:
    """A finding names the database, the table, the row's key and the column."""
    partnership = ck.Partnership(
        id="P/1~", acronym="A", name="A", generation="escp-4i-1", members=("C1",)
    )
    target = ck.ThirdCountryTarget(
        partnership="P/1~", country="US", sources=("www.x.eu",)
    )
    write_sql(ck.Dataset(partnerships=[partnership], targets=[target]), engine)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE targets SET priority = 'urgent'"))
    report = ck.validate(engine, as_of=AS_OF)
    where = {f.rule: f.location for f in report.findings}
    assert where["CK-FK-003"] == Location(
        file=str(engine.url), pointer="/partnerships/P~11~0/members", field="members"
    )
    vocabulary = next(f for f in report.findings if f.location.field == "priority")
    assert vocabulary.location.pointer == "/targets/P~11~0/US/priority"
    assert str(vocabulary.location).endswith(
        "at /targets/P~11~0/US/priority (priority)"
    )


def test_a_password_is_never_shown() -> None:
    """Locations name a database by its URL without the password."""
    url = "postgresql+psycopg://ana:s3cret@db.example.eu:5432/clusters"
    shown = "postgresql+psycopg://ana:***@db.example.eu:5432/clusters"
    assert ck.io.source_name(url) == shown
    assert ck.io.source_name(sa.create_engine(url)) == shown
    assert _engines.display_of(sa.make_url(url)) == shown


def test_what_is_a_database() -> None:
    """A URL of any scheme but file, or a SQLAlchemy object."""
    assert is_database("sqlite:///data.db")
    assert is_database(sa.make_url("sqlite://"))
    assert not is_database("file:///data/")
    assert not is_database("data/")
    assert not is_database(b"sqlite://")


def test_validate_and_kpis_from_a_database_equal_from_files(
    engine: sa.Engine,
) -> None:
    """The example and a generated dataset: the same findings and KPIs."""
    for folder, dataset in (
        (example_path(), ck.load_example()),
        (None, generate_dataset(seed=3, activities=2_500)),
    ):
        write_sql(dataset, engine, if_exists="replace")
        source = dataset if folder is None else folder
        assert ck.compute_kpis(engine, as_of=AS_OF) == ck.compute_kpis(
            source, as_of=AS_OF
        )
        from_database = ck.validate(engine, as_of=AS_OF)
        from_files = ck.validate(source, as_of=AS_OF)
        assert [
            (f.rule, f.entity, f.location.field) for f in from_database.findings
        ] == [(f.rule, f.entity, f.location.field) for f in from_files.findings]


@pytest.mark.parametrize(
    "case", ["CK-FK-001", "CK-FK-004", "CK-DATE-003", "CK-PART-001"]
)
def test_records_with_errors_are_left_out_of_the_kpis(
    case: str, engine: sa.Engine
) -> None:
    """Rows with an error finding are found by their key and left out, as from files."""
    folder = INVALID / case
    dataset = unique_keys(ck.load_dataset(folder))
    write_sql(dataset, engine)
    from_database = ck.compute_kpis(engine, as_of=AS_OF)
    from_dataset = ck.compute_kpis(dataset, as_of=AS_OF)
    assert from_database == from_dataset
    assert from_database.records == from_dataset.records
    assert sum(count.excluded for count in from_database.records.values()) > 0


def test_kpis_from_postgresql_equal_from_files(postgres_url: str) -> None:
    """compute_kpis and validate on a PostgreSQL URL, as on the example's folder."""
    write_sql(ck.load_example(), postgres_url, if_exists="replace")
    assert ck.compute_kpis(postgres_url, as_of=AS_OF) == ck.compute_kpis(
        example_path(), as_of=AS_OF
    )
    report = ck.validate(postgres_url, as_of=AS_OF)
    assert report.sources == (ck.io.source_name(postgres_url),)
    assert all(f.location.pointer for f in report.findings)


def test_records_stream_with_their_location(engine: sa.Engine) -> None:
    """iter_records and the strict rows of one table, located by key."""
    write_sql(ck.load_example(), engine)
    (first, where), *_ = ck.iter_records(engine, ck.Partnership)
    assert where.pointer == f"/partnerships/{first.id}"
    with open_source(url_of(engine)) as opened:
        assert opened.kind == "database"
        assert {row.table for row in opened.rows("targets")} == {"targets"}
        tables = {
            chunk.table for chunk in opened.chunks(raise_problem, tables={"smes"})
        }
        assert tables == {"smes"}


def test_a_database_opened_by_hand() -> None:
    """open_database closes what it opened when the database holds no dataset."""
    with pytest.raises(DatasetReadError, match="memory: no dataset tables"):
        open_database("sqlite://", "memory")
    engine = sa.create_engine("sqlite://")
    create_tables(engine)
    reader = DatabaseReader(engine, "memory")
    assert reader.tables == list(ck.models.TABLES)


def test_rows_of_a_database_table_are_found_by_key() -> None:
    """A table's source numbers rows by key, and finds them again from a location."""
    source = TableSource("targets", "database", "db")
    assert source.row_of(Location(pointer="/targets/P1/US")) is None
    assert list(source.add_keys(["P1/US", "P1/CN"])) == [0, 1]
    assert source.location(1, "priority").pointer == "/targets/P1/CN/priority"
    assert source.row_of(Location(pointer="/targets/P1/CN/priority")) == 1
    assert source.row_of(Location(pointer="/activities/A1")) is None
    assert source.row_of(Location(line=3)) is None


def test_without_postgresql_the_tests_say_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No initdb anywhere: the fixture finds none, and its message names the package."""
    import conftest  # noqa: PLC0415 - the fixture's helpers

    monkeypatch.setattr(conftest, "POSTGRES_BINARIES", str(tmp_path / "*" / "bin"))
    monkeypatch.setenv("POSTGRES_BIN", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert conftest.postgres_bin() is None
    assert "apt-get install postgresql" in conftest.POSTGRES_MISSING
    assert ".ci/run" in conftest.POSTGRES_MISSING


def test_pointer_segments_are_escaped() -> None:
    """A key with `/` or `~` is one segment of the pointer (RFC 6901)."""
    assert _read._segment("a/b~c") == "a~1b~0c"


# The command line and the import --------------------------------------------------


def test_the_command_line_takes_a_database_url(
    engine: sa.Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """`clusterkit validate URL` and `clusterkit kpis URL` read the database."""
    write_sql(ck.load_example(), engine)
    url = url_of(engine)
    assert (
        cli.main(["validate", url, "--as-of", "2026-01-01", "--fail-on", "error"]) == 0
    )
    out = capsys.readouterr().out
    assert f"{url}#/activities/" in out
    assert cli.main(["kpis", url, "--as-of", "2026-01-01", "--format", "json"]) == 0
    assert '"partnerships"' in capsys.readouterr().out


def test_convert_writes_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`clusterkit convert SRC URL` stores the dataset; --force replaces it."""
    example = ck.load_example()
    source = tmp_path / "data.json"
    dump_dataset(example, source)
    url = f"sqlite:///{tmp_path / 'data.db'}"
    assert cli.main(["convert", str(source), url]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {url} (database): ")
    assert read_sql(url) == example
    # Without --force, a database that holds a dataset is left as it is.
    assert cli.main(["convert", str(source), url]) == 2
    assert capsys.readouterr().err == (
        f"clusterkit convert: {url}: the tables already hold records; use --force "
        "to replace them\n"
    )
    smaller = tmp_path / "smaller.json"
    dump_dataset(ck.Dataset(clusters=example.clusters[:2]), smaller)
    assert cli.main(["convert", str(smaller), url, "--force"]) == 0
    assert read_sql(url).counts["clusters"] == 2
    # And back to a file, the same records.
    assert cli.main(["convert", url, str(tmp_path / "back.json")]) == 0
    assert load_dataset(tmp_path / "back.json").counts["clusters"] == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--to", "csv"],
            "--to, --csv-escape-formulas and --country-codes are for files",
        ),
        (["--country-codes", "eu"], "are for files"),
        (["--csv-escape-formulas"], "are for files"),
        (["SAME"], "DEST is SRC; a run never writes its input"),
    ],
)
def test_convert_to_a_database_refuses_what_does_not_apply(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    """File options, and a database written over itself, are usage errors."""
    url = f"sqlite:///{tmp_path / 'data.db'}"
    source = url if extra == ["SAME"] else str(example_path())
    options = [] if extra == ["SAME"] else extra
    assert cli.main(["convert", source, url, *options]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "data.db").exists()


def test_without_the_extra_convert_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Writing a database without SQLAlchemy names the extra to install."""
    monkeypatch.setitem(sys.modules, "clusterkit.sql", None)
    monkeypatch.delattr(ck, "sql", raising=False)
    url = f"sqlite:///{tmp_path / 'data.db'}"
    assert cli.main(["convert", str(example_path()), url]) == 2
    assert "pip install 'clusterkit-eu[sql]'" in capsys.readouterr().err


def test_import_clusterkit_does_not_import_sqlalchemy() -> None:
    """SQLAlchemy is imported when a database is read, not with clusterkit."""
    code = (
        "import sys, clusterkit as ck; "
        "ck.validate(ck.load_example()); "
        "assert 'sqlalchemy' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_without_the_extra_a_database_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Reading a database without SQLAlchemy names the extra to install."""
    monkeypatch.setitem(sys.modules, "clusterkit.sql", None)
    monkeypatch.delattr(ck, "sql", raising=False)
    with pytest.raises(DatasetReadError, match=r"pip install 'clusterkit-eu\[sql\]'"):
        ck.load_dataset("sqlite://")


@given(st.sampled_from(["2016", "2016-02"]), st.sampled_from(["2017", "2017-06"]))
def test_reduced_periods_round_trip(start: str, end: str) -> None:
    """Every reduced form of a start and an end is read back as written."""
    engine = sa.create_engine("sqlite://")
    partnership = ck.Partnership(
        id="P1", acronym="A", name="A", generation="escp-4i-1", start=start, end=end
    )
    write_sql(ck.Dataset(partnerships=[partnership]), engine)
    (read,) = read_sql(engine).partnerships
    assert (str(read.start), str(read.end)) == (start, end)
    engine.dispose()


# Values of the wrong type in a column ------------------------------------------------

# A column's value as SQLite may hold it: text, a number, a blob. Text without
# lone surrogates, which the driver cannot bind.
_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
_STORED = st.one_of(
    _TEXT,
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    st.binary(max_size=8),
)
_DAYS = st.from_regex(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T]00:00(:00(\.0{1,6})?)?)?", fullmatch=True
)
_ACTIVITY = {"id": "A1", "partnership": "P1", "type": "webinar", "start": "2016-08-10"}
_PARTNERSHIP = {
    "id": "P1",
    "acronym": "A",
    "name": "A",
    "generation": "escp-4i-1",
    "grant_eur": "206850",
}


def tampered(table: str, record: dict[str, Any], column: str, value: Any) -> Any:
    """Store one record, put `value` in one of its columns, and give the engine.

    Returns:
        The engine, and the value as SQLite stored it (its DATE and BOOLEAN
        columns turn text that looks like a number into a number).
    """
    engine = sa.create_engine("sqlite://")
    write_sql(ck.Dataset.model_validate({table: [record]}), engine)
    cells = sa.table(table, sa.column(column))  # untyped: values as they are
    with engine.begin() as connection:
        connection.execute(sa.update(cells).values({column: value}))
        stored = connection.scalar(sa.select(cells.c[column]))
    return engine, stored


def cell_findings(source: Any, field: str) -> list[tuple[str, str]]:
    """The rule and message of each finding of a value's type at one field."""
    report = ck.validate(source, as_of=AS_OF)
    return [
        (f.rule, f.message)
        for f in report.findings
        if f.location.field == field and f.rule.startswith("CK-TYPE-")
    ]


def judged_as_in_a_mapping(
    table: str, record: dict[str, Any], field: str, value: Any
) -> None:
    """A cell the database holds `value` in is judged as the same value in a mapping.

    The validator gives the same findings of its type at the cell, and
    `read_sql` reads what `load_dataset` reads of the mapping, or raises a
    `DatasetReadError` located at the cell where that does.
    """
    engine, stored = tampered(table, record, field, value)
    as_mapping = {table: [{**record, field: stored}]}
    assert cell_findings(engine, field) == cell_findings(as_mapping, field)
    ck.compute_kpis(engine, as_of=AS_OF)
    try:
        expected = getattr(load_dataset(as_mapping).table(table)[0], field)
    except DatasetReadError:
        with pytest.raises(DatasetReadError, match=f"at /{table}/[^/]+/{field} "):
            read_sql(engine)
    else:
        assert getattr(read_sql(engine).table(table)[0], field) == expected
    engine.dispose()


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("not a date", "CK-TYPE-001"),
        ("2024-02-30", "CK-TYPE-001"),
        ("2016-W32-3", "CK-TYPE-001"),
        ("2016-08-10 10:30:00", "CK-TYPE-001"),
        ("2016-08-10 00:00:00+02:00", "CK-TYPE-001"),
        ("\u0662\u0660\u0661\u0666-\u0660\u0668-\u0661\u0660", "CK-TYPE-001"),
        ("20160810", "CK-TYPE-001"),  # stored as the number 20160810
        (1.5, "CK-TYPE-001"),
        (b"\x00", "CK-TYPE-001"),
        ("10 August 2016", "CK-TYPE-002"),
    ],
)
def test_a_date_column_holding_no_date_is_a_finding_at_the_cell(
    value: Any, rule: str
) -> None:
    """What is no ISO day in a DATE column is judged as in a file, at its cell."""
    engine, _ = tampered("activities", _ACTIVITY, "start", value)
    report = ck.validate(engine, as_of=AS_OF)
    (finding,) = [f for f in report.findings if f.location.field == "start"]
    assert (finding.rule, finding.location.pointer) == (rule, "/activities/A1/start")
    judged_as_in_a_mapping("activities", _ACTIVITY, "start", value)


@pytest.mark.parametrize(
    "value",
    [
        "2016-08-10",
        "2016-08-10 00:00:00",
        "2016-08-10T00:00",
        "2016-08-10 00:00:00.000000",
    ],
)
def test_a_day_or_a_timestamp_at_midnight_in_a_date_column_is_the_day(
    value: str,
) -> None:
    """`YYYY-MM-DD`, or a timestamp at midnight as pandas' to_sql writes it: the day."""
    engine, _ = tampered("activities", _ACTIVITY, "start", value)
    assert cell_findings(engine, "start") == []
    assert read_sql(engine).activities[0].start == dt.date(2016, 8, 10)


@settings(max_examples=60)
@given(st.one_of(_STORED, _DAYS))
def test_anything_in_a_date_column_is_judged_as_in_a_file(value: Any) -> None:
    """Any value: the validator's findings of it in a file; never an exception."""
    engine, stored = tampered("activities", _ACTIVITY, "start", value)
    timestamp = isinstance(stored, str) and re.fullmatch(
        r"[0-9-]{10}[ T]00:00(:00(\.0+)?)?", stored
    )
    if timestamp and not cell_findings(engine, "start"):
        # A timestamp at midnight is its day, as in a DataFrame: no warning.
        start = read_sql(engine).activities[0].start
        assert start == dt.date.fromisoformat(stored[:10])
    else:
        judged_as_in_a_mapping("activities", _ACTIVITY, "start", value)
    engine.dispose()


def test_a_date_the_driver_gives_is_read_as_a_date() -> None:
    """A timestamp at midnight without a time zone is its day; any other stays."""
    day = _layout.Day()
    dialect = sa.create_engine("postgresql+psycopg://localhost/x").dialect
    midnight = dt.datetime(2016, 8, 10)  # noqa: DTZ001 - a timestamp without time zone
    assert day.process_result_value(midnight, dialect) == dt.date(2016, 8, 10)
    assert type(day.process_result_value(midnight, dialect)) is dt.date
    for kept in (
        dt.date(2016, 8, 10),
        midnight.replace(hour=10),
        midnight.replace(tzinfo=dt.timezone.utc),
        None,
    ):
        assert day.process_result_value(kept, dialect) == kept
    assert day.process_bind_param(dt.date(2016, 8, 10), dialect) == dt.date(2016, 8, 10)


def test_a_precision_beside_a_value_that_is_no_date_is_reported(
    engine: sa.Engine,
) -> None:
    """A month or year precision beside text or a timestamp: text the validator reports."""
    write_sql(ck.Dataset(activities=[ck.ActivityRecord(**_ACTIVITY)]), engine)
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE activities SET start = 'soon', start_precision = 'month'")
        )
    (rule, message), *_ = cell_findings(engine, "start")
    assert rule == "CK-TYPE-001"
    assert "soon (precision 'month')" in message
    late = dt.datetime(2016, 2, 1, 10)  # noqa: DTZ001 - a timestamp without time zone
    assert _read._period(late, "month") == "2016-02-01 10:00:00 (precision 'month')"


@pytest.mark.parametrize(
    ("value", "read"),
    [
        (0, False),
        (1, True),
        ("false", False),
        ("yes", True),
        ("OFF", False),
        (" ", False),  # blank: not given, so the default, as in a file
    ],
)
def test_a_boolean_column_holds_a_boolean(value: Any, read: bool) -> None:
    """0 and 1, as SQLite stores booleans, and the texts a CSV cell may hold."""
    engine, _ = tampered("partnerships", _PARTNERSHIP, "members_partial", value)
    assert cell_findings(engine, "members_partial") == []
    assert read_sql(engine).partnerships[0].members_partial is read


@pytest.mark.parametrize("value", ["maybe", 5, -1, 0.5, 2.5, b"\x01", "truee"])
def test_a_boolean_column_holding_no_boolean_is_a_finding_at_the_cell(
    value: Any,
) -> None:
    """Anything else is CK-TYPE-001 at its cell, never silently true."""
    engine, _ = tampered("partnerships", _PARTNERSHIP, "members_partial", value)
    report = ck.validate(engine, as_of=AS_OF)
    (finding,) = [f for f in report.findings if f.location.field == "members_partial"]
    assert finding.rule == "CK-TYPE-001"
    assert finding.location.pointer == "/partnerships/P1/members_partial"
    with pytest.raises(DatasetReadError, match="/partnerships/P1/members_partial"):
        read_sql(engine)


@settings(max_examples=60)
@given(
    st.one_of(
        _STORED,
        st.sampled_from(["true", "False", "YES", "n", "t", "on", "0", "1", "2"]),
    )
)
def test_anything_in_a_boolean_column_is_judged_as_in_a_file(value: Any) -> None:
    """Any value: the validator's findings of it in a file; never an exception."""
    judged_as_in_a_mapping("partnerships", _PARTNERSHIP, "members_partial", value)


@pytest.mark.parametrize("value", [b"\x00", b"12", 0.5])
def test_an_amount_column_holding_no_amount_is_a_finding(value: Any) -> None:
    """A blob, or a floating-point number, in an amount column: CK-TYPE-001."""
    engine, stored = tampered("partnerships", _PARTNERSHIP, "grant_eur", value)
    assert stored == (value if isinstance(value, bytes) else str(value))
    report = ck.validate(engine, as_of=AS_OF)
    findings = [f for f in report.findings if f.location.field == "grant_eur"]
    if isinstance(value, bytes):
        assert [f.rule for f in findings] == ["CK-TYPE-001"]
        with pytest.raises(DatasetReadError, match="/partnerships/P1/grant_eur"):
            read_sql(engine)
    else:  # SQLite's TEXT column keeps the number as text: an amount
        assert findings == []
        assert read_sql(engine).partnerships[0].grant_eur == Decimal("0.5")
    judged_as_in_a_mapping("partnerships", _PARTNERSHIP, "grant_eur", value)


def test_an_amount_the_driver_gives_as_a_number_is_kept() -> None:
    """Only text is read as a decimal: a float is the validator's to judge."""
    amount = _layout.Amount()
    dialect = sa.create_engine("postgresql+psycopg://localhost/x").dialect
    assert amount.process_result_value(0.1, dialect) == 0.1
    assert amount.process_result_value(b"1", dialect) == b"1"
    assert amount.process_result_value(Decimal("0.10"), dialect) == Decimal("0.10")


# Numbers too big for the database, and appending ------------------------------------


def test_a_count_too_big_for_a_bigint_is_refused(engine: sa.Engine) -> None:
    """A count of 2**63 or more is a DatasetError naming the record; 2**63 - 1 fits."""
    big = ck.Cluster(id="C1", name="C", country="IE", members_total=2**63)
    with pytest.raises(
        DatasetError,
        match=r"not written, a number does not fit the database's integer column "
        r"\(a BIGINT holds at most 9223372036854775807\): clusters C1 "
        r"members_total: 9223372036854775808$",
    ):
        write_sql(ck.Dataset(clusters=[big]), engine)
    assert sa.inspect(engine).get_table_names() == []  # nothing written
    most = big.model_copy(update={"members_total": 2**63 - 1})
    write_sql(ck.Dataset(clusters=[most]), engine)
    assert read_sql(engine).clusters == (most,)


def test_a_count_too_big_for_postgresql_is_refused(postgres: sa.Engine) -> None:
    """The same in PostgreSQL, whose bigint has the same range."""
    big = ck.Cluster(id="C1", name="C", country="IE", members_total=2**64)
    with pytest.raises(DatasetError, match="clusters C1 members_total: 1844"):
        write_sql(ck.Dataset(clusters=[big]), postgres, if_exists="replace")
    most = big.model_copy(update={"members_total": 2**63 - 1})
    write_sql(ck.Dataset(clusters=[most]), postgres, if_exists="replace")
    assert read_sql(postgres).clusters == (most,)


def test_convert_says_when_a_count_is_too_big(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`clusterkit convert big.json URL`: a data error, not an internal one."""
    source = tmp_path / "big.json"
    big = ck.Cluster(id="C1", name="C", country="IE", members_total=2**63)
    dump_dataset(ck.Dataset(clusters=[big]), source)
    url = f"sqlite:///{tmp_path / 'big.db'}"
    assert cli.main(["convert", str(source), url]) == 1
    assert capsys.readouterr().err == (
        f"clusterkit: {url}: not written, a number does not fit the database's "
        "integer column (a BIGINT holds at most 9223372036854775807): clusters C1 "
        "members_total: 9223372036854775808\n"
    )


@pytest.mark.parametrize("last", ["abc", 5.5, 2**63 - 1])
def test_appending_after_a_position_that_is_no_whole_number(
    engine: sa.Engine, last: object
) -> None:
    """A `position` that other programs stored as text: a DatasetError, nothing written."""
    write_sql(ck.load_example(), engine)
    with engine.begin() as connection:
        positions = sa.table("clusters", sa.column("position"))
        connection.execute(sa.update(positions).values(position=last))
    more = ck.Dataset(clusters=[ck.Cluster(id="NEW", name="N", country="IE")])
    with pytest.raises(
        DatasetError,
        match=r"not written, cannot append to table clusters: the last value of "
        r"its column position, .*, is not a whole number below 2\*\*63",
    ):
        write_sql(more, engine, if_exists="append")
    assert read_sql(engine).counts["clusters"] == len(ck.load_example().clusters)


# Keys that are no plain text, and files that are not there --------------------------


def test_pointer_segments_are_safe_to_show() -> None:
    r"""A control character is escaped as clusterkit shows one, `\` doubled, NULL `\N`."""
    assert _read._segment("A\x1b[2J\x07") == r"A\x1b[2J\x07"
    assert _read._segment("a\\b") == r"a\\b"
    assert _read._segment("a\u202e\n") == r"a\u202e\n"
    assert _read._segment(None) == r"\N"
    # Each key keeps a segment of its own: none spells another.
    keys = ["\x1b", r"\x1b", "\\", r"\\", None, r"\N", "None", "~", "~0", "/"]
    assert len({_read._segment(key) for key in keys}) == len(keys)


def test_a_key_with_control_characters_is_shown_escaped(
    engine: sa.Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`clusterkit convert` names the row without writing the escape to the terminal."""
    write_sql(ck.Dataset(activities=[ck.ActivityRecord(**_ACTIVITY)]), engine)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE activities SET id = 'A' || char(27) || ']0;pwned' || char(7)"
            )
        )
    with pytest.raises(DatasetReadError) as raised:
        read_sql(engine)
    assert raised.value.location is not None
    assert raised.value.location.pointer == r"/activities/A\x1b]0;pwned\x07/id"
    assert cli.main(["convert", url_of(engine), str(tmp_path / "out.json")]) == 1
    err = capsys.readouterr().err
    assert r"at /activities/A\x1b]0;pwned\x07/id (id)" in err
    assert "\x1b" not in err
    assert "\x07" not in err


def test_a_key_that_is_null_is_named_so(engine: sa.Engine) -> None:
    r"""A NULL key (in a table another program made) is `\N`, not the id `None`."""
    clusters = [ck.Cluster(id=name, name="C", country="IE") for name in ("C1", "None")]
    write_sql(ck.Dataset(clusters=clusters), engine)
    with engine.begin() as connection:
        for statement in (
            "CREATE TABLE loose AS SELECT * FROM clusters",  # without its key
            "DROP TABLE clusters",
            "ALTER TABLE loose RENAME TO clusters",
            "UPDATE clusters SET id = NULL WHERE id = 'C1'",
        ):
            connection.execute(sa.text(statement))
    report = ck.validate(engine, as_of=AS_OF)
    (missing,) = [f for f in report.findings if f.rule == "CK-TYPE-001"]
    assert missing.location.pointer == r"/clusters/\N/id"
    with pytest.raises(DatasetReadError, match=r"at /clusters/\\N/id \(id\)"):
        read_sql(engine)


@pytest.mark.parametrize(
    ("url", "missing"),
    [
        ("sqlite://", False),
        ("sqlite:///:memory:", False),
        ("sqlite:///file:memory?mode=memory&uri=true", False),
        ("postgresql+psycopg://localhost/nowhere", False),
        ("sqlite:///{folder}/data.db", False),
        ("sqlite:///file:{folder}/data.db?mode=ro&uri=true", False),
        ("sqlite:///{folder}/typo.db", True),
        ("sqlite:///file:{folder}/typo.db?uri=true", True),
        ("sqlite:///file:{folder}/typo.db?uri=false", True),
    ],
)
def test_which_urls_are_of_missing_files(
    tmp_path: Path,
    url: str,
    missing: bool,
) -> None:
    """A SQLite file that does not exist, also as a SQLite URI; never memory or a server."""
    (tmp_path / "data.db").touch()
    assert _read._missing_file(sa.make_url(url.format(folder=tmp_path))) is missing


def test_reading_a_missing_file_does_not_create_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """read_sql, validate and the command line say so, and leave no file behind."""
    typo = tmp_path / "typo.db"
    url = f"sqlite:///{typo}"
    with pytest.raises(DatasetReadError, match=f"^{re.escape(url)}: no such file"):
        read_sql(url)
    with pytest.raises(DatasetReadError, match="no such file or directory"):
        read_sql(sa.create_engine(url))
    (finding,) = ck.validate(url).findings
    assert (finding.rule, finding.message) == (
        "CK-FILE-001",
        "no such file or directory",
    )
    assert cli.main(["validate", url]) == 1
    assert cli.main(["convert", url, str(tmp_path / "out.json")]) == 1
    assert capsys.readouterr().err == f"clusterkit: {url}: no such file or directory\n"
    assert list(tmp_path.iterdir()) == []
    write_sql(ck.load_example(), url)  # writing creates it
    assert read_sql(url) == ck.load_example()


def test_a_view_stands_for_a_table(tmp_path: Path) -> None:
    """A view named `activities` over a table of another name is read as the table."""
    url = f"sqlite:///{tmp_path / 'views.db'}"
    example = ck.load_example()
    write_sql(example, url)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("ALTER TABLE activities RENAME TO activities_base")
        connection.exec_driver_sql(
            "CREATE VIEW activities AS SELECT * FROM activities_base"
        )
    engine.dispose()
    assert read_sql(url) == example
    report = ck.validate(url, as_of=AS_OF)
    assert report.summary.by_rule == ck.validate(example, as_of=AS_OF).summary.by_rule
