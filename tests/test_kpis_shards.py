"""`compute_kpis(path, jobs=N)`: activities.csv shared by processes (issue 5).

The file is cut at line breaks outside quoted cells; each process validates and
tallies its part, and the parts merge into exactly the result of one process.
Whatever would make them disagree (a part that does not read cleanly, a lone
carriage return, an activity id in two parts) makes the caller read the file in
one process instead.

Real files are split above 4 MiB; here `split_csv` is called with a small
`min_bytes` (and `run_sharded` sees it through a patched `split_csv`), so a
file of a few hundred kilobytes is shared by forked processes.
"""

from __future__ import annotations

import array
import csv
import datetime as dt
import io
import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import clusterkit as ck
from clusterkit._scan import Shard, split_csv, split_jsonl
from clusterkit.io import Member
from clusterkit.io._formats import jsonl_files
from clusterkit.kpis import _parallel as _shards
from clusterkit.kpis._aggregate import finish
from clusterkit.kpis._pass import Pass, gating_options, run_pass
from clusterkit.kpis._scope import Scope
from clusterkit.rules import Options, run_checks
from clusterkit.testing import generate_dataset

AS_OF = dt.date(2026, 1, 1)
BASE = Path(__file__).parent / "data" / "valid" / "base"
INVALID_FK = Path(__file__).parent / "data" / "invalid" / "CK-FK-001"
SMALL_PART = 16 * 1024
OPTIONS = gating_options(validate=True, as_of=AS_OF)

real_split_csv = split_csv
real_split_jsonl = split_jsonl


# ---------------------------------------------------------------- data


def make_dataset(*, errors: bool = True, carriage_returns: bool = True) -> ck.Dataset:
    """3,000 generated activities; notes spanning lines (with quotes) on every 7th.

    With `errors`: an unknown partnership in the first and in the last third.
    """
    ds = generate_dataset(seed=5, partnerships=6, clusters=25, smes=60, activities=3000)
    rows = list(ds.activities)
    end = "\r\n" if carriage_returns else "\n"
    for i in range(0, len(rows), 7):
        notes = f'first line, "quoted"\nsecond line {i}{end}third line'
        rows[i] = rows[i].model_copy(update={"notes": notes})
    if errors:
        for i in (100, 2900):
            rows[i] = rows[i].model_copy(update={"partnership": "P-unknown"})
    return ds.model_copy(update={"activities": tuple(rows)})


def dump(ds: ck.Dataset, folder: Path) -> Path:
    """`ds` as a CSV folder; the folder."""
    ck.dump_dataset(ds, folder)
    return folder


@pytest.fixture(scope="module", name="sharded")
def fixture_sharded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CSV folder whose activities.csv is a few hundred kilobytes."""
    return dump(make_dataset(), tmp_path_factory.mktemp("sharded") / "data")


@pytest.fixture(name="small_parts")
def fixture_small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_sharded` splits files into parts of 16 KiB and more."""

    def split(path: Path, parts: int) -> list[Shard]:
        return real_split_csv(path, parts, min_bytes=SMALL_PART)

    monkeypatch.setattr(_shards, "split_csv", split)


@pytest.fixture(name="pids")
def fixture_pids(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A file to which each pass of a part appends the id of its process."""
    log = tmp_path / "pids.txt"

    def logged(*args: Any, **kwargs: Any) -> Pass:
        with log.open("a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return run_pass(*args, **kwargs)

    monkeypatch.setattr(_shards, "run_pass", logged)
    return log


def processes(log: Path) -> list[int]:
    """The process ids the parts ran in."""
    if not log.exists():
        return []
    return [int(line) for line in log.read_text(encoding="utf-8").split()]


def compute(source: Any, **scope: Any) -> ck.KPIResult:
    """`compute_kpis` as of 2026-01-01."""
    return ck.compute_kpis(source, as_of=AS_OF, **scope)


def findings(result: ck.KPIResult) -> list[tuple[str, str, int | None]]:
    """The findings of the result's report as (rule, file name, line)."""
    assert result.validation is not None
    return [
        (f.rule, Path(f.location.file or "").name, f.location.line)
        for f in result.validation.findings
    ]


def rows_of(data: bytes) -> list[list[str]]:
    """The CSV rows of some bytes."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


# ---------------------------------------------------------------- split_csv


def test_split_cuts_at_line_breaks_outside_quoted_cells(sharded: Path) -> None:
    """Parts are whole rows: together, exactly the rows after the header."""
    file = sharded / "activities.csv"
    data = file.read_bytes()
    shards = real_split_csv(file, 4, min_bytes=SMALL_PART)
    assert len(shards) == 4
    header_end = data.index(b"\n") + 1
    assert shards[0].start == header_end
    assert shards[-1].end == len(data)
    for before, after in itertools.pairwise(shards):
        assert before.end == after.start
    parts = []
    for shard in shards:
        assert shard.table == "activities"
        assert data[shard.start - 1 : shard.start] == b"\n"
        assert data[: shard.start].count(b'"') % 2 == 0
        assert shard.first_line == 1 + data[: shard.start].count(b"\n")
        parts.extend(rows_of(data[shard.start : shard.end]))
    assert parts == rows_of(data[header_end:])
    # Quoted notes span lines: there are more lines than rows.
    assert data.count(b"\n") > len(parts) + 1


def test_split_into_fewer_parts_than_asked_when_small(sharded: Path) -> None:
    """Parts of at least `min_bytes`: a file of 2.5 minimums makes two parts."""
    file = sharded / "activities.csv"
    size = file.stat().st_size
    assert len(real_split_csv(file, 8, min_bytes=size * 2 // 5)) == 2
    assert real_split_csv(file, 8, min_bytes=size) == []
    assert real_split_csv(file, 1, min_bytes=SMALL_PART) == []


def test_tiny_and_empty_files_are_not_split(tmp_path: Path) -> None:
    """Below 4 MiB a file is read in one process."""
    assert real_split_csv(BASE / "activities.csv", 8) == []
    assert ck._scan.MIN_SHARD_BYTES == 4 << 20
    empty = tmp_path / "activities.csv"
    empty.write_bytes(b"")
    assert real_split_csv(empty, 2, min_bytes=1) == []


def test_a_lone_carriage_return_prevents_a_split(tmp_path: Path) -> None:
    """A lone CR ends a line for the csv module, not for the cut: no split."""
    rows = b"".join(b"A%d,P1,webinar,2019-01-01\n" % i for i in range(400))
    file = tmp_path / "activities.csv"
    file.write_bytes(b"id,partnership,type,start\n" + rows)
    assert len(real_split_csv(file, 2, min_bytes=1024)) == 2
    file.write_bytes(b"id,partnership,type,start\n" + rows + b'A9,P1,webinar,"x\ry"\n')
    assert real_split_csv(file, 2, min_bytes=1024) == []


def test_no_split_without_a_header_that_ends(tmp_path: Path) -> None:
    """Blank lines only, or a header whose quote never closes: no split."""
    file = tmp_path / "activities.csv"
    file.write_bytes(b"\n" * 5000)
    assert real_split_csv(file, 2, min_bytes=1024) == []
    file.write_bytes(b'id,"partnership\n' + b"A1,P1\n" * 1000)
    assert real_split_csv(file, 2, min_bytes=1024) == []
    file.write_bytes(b'id,"partnership"\n' + b"A1,P1\n" * 1000)
    assert len(real_split_csv(file, 2, min_bytes=1024)) == 2


def test_blank_lines_before_the_header_and_a_bom(tmp_path: Path) -> None:
    """The header is the first line that is not blank (a BOM and commas are blank)."""
    file = tmp_path / "activities.csv"
    head = b"\xef\xbb\xbf\r\n,,\r\nid,partnership\r\n"
    file.write_bytes(head + b"A1,P1\r\n" * 1000)
    shards = real_split_csv(file, 2, min_bytes=1024)
    assert shards[0].start == len(head)
    assert shards[0].first_line == 4


def test_a_quoted_cell_to_the_end_of_the_file_leaves_one_part(tmp_path: Path) -> None:
    """No line break outside quotes after the first row: the file stays whole."""
    file = tmp_path / "activities.csv"
    file.write_bytes(b'id,notes\nA1,x\nA2,"' + b"long\n" * 2000 + b'"\n')
    assert len(real_split_csv(file, 4, min_bytes=1024)) == 1


# ---------------------------------------------------------------- separate processes


@pytest.mark.parametrize(
    "scope",
    [
        {},
        {"by": ("partnership", "quarter")},
        {"by": "target_country", "target_country": ["US", "CN"]},
        {"generation": "escp-4i-2", "start": dt.date(2019, 1, 1), "by": "year"},
    ],
)
@pytest.mark.usefixtures("small_parts")
def test_parts_in_other_processes_give_the_one_process_result(
    sharded: Path, pids: Path, scope: dict[str, Any]
) -> None:
    """jobs=3: three forked processes, each tallying a part; equal to jobs=1."""
    alone = compute(sharded, **scope)
    assert processes(pids) == []  # one process: not through the parts
    shared = compute(sharded, jobs=3, **scope)
    ran_in = processes(pids)
    assert len(ran_in) == 3
    assert os.getpid() not in ran_in
    assert len(set(ran_in)) >= 2
    assert shared == alone
    assert shared.validation == alone.validation
    assert findings(shared) == [
        ("CK-FK-001", "activities.csv", findings(alone)[0][2]),
        ("CK-FK-001", "activities.csv", findings(alone)[1][2]),
    ]


@pytest.mark.usefixtures("small_parts")
def test_parts_of_a_file_separated_by_semicolons(
    sharded: Path, pids: Path, tmp_path: Path
) -> None:
    """Each part reads the header's separator: the KPIs and findings of the comma file."""
    folder = tmp_path / "semicolons"
    shutil.copytree(sharded, folder)
    path = folder / "activities.csv"
    rows = rows_of(path.read_bytes())
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    shared = compute(folder, jobs=3)
    assert len(processes(pids)) == 3
    assert shared.kpis == compute(sharded).kpis
    assert findings(shared) == findings(compute(sharded))


@pytest.mark.usefixtures("small_parts")
def test_parts_gate_with_the_rules_chosen(sharded: Path, pids: Path) -> None:
    """jobs=3 with CK-FK-001 ignored: each part leaves it out of its gate, as one process does."""
    alone = compute(sharded, ignore="CK-FK-001")
    shared = compute(sharded, jobs=3, ignore="CK-FK-001")
    assert len(processes(pids)) == 3
    assert shared == alone
    assert shared.excluded_by_rule == {}
    assert shared.validation is not None
    assert shared.validation.summary.total == 0


@pytest.mark.usefixtures("small_parts")
def test_parts_count_a_duplicate_sme_once(tmp_path: Path, pids: Path) -> None:
    """An SME under a second id, listed in every part, counts once, as in one process."""
    ds = make_dataset(errors=False)
    first = ds.smes[0]
    twin = first.model_copy(update={"id": "SME-TWIN"})
    rows = [
        activity.model_copy(
            update={
                "smes": tuple(
                    "SME-TWIN" if sme == first.id and n % 2 else sme
                    for sme in activity.smes
                )
            }
        )
        for n, activity in enumerate(ds.activities)
    ]
    folder = dump(
        ds.model_copy(update={"smes": (*ds.smes, twin), "activities": tuple(rows)}),
        tmp_path / "data",
    )
    alone = compute(folder)
    shared = compute(folder, jobs=3)
    assert len(processes(pids)) == 3
    assert shared == alone
    assert shared.duplicate_smes == {"SME-TWIN": first.id}
    assert shared["smes_involved"] == compute(ds)["smes_involved"]
    counted = shared["smes_involved"]
    assert isinstance(counted, int)
    assert compute(folder, ignore="CK-DUP-001")["smes_involved"] == counted + 1
    assert findings(shared) == [("CK-DUP-001", "smes.csv", 62)]


@pytest.mark.usefixtures("small_parts")
def test_a_finding_in_a_later_part_has_the_line_of_one_process(
    sharded: Path, pids: Path
) -> None:
    """Line numbers count from the file's start in every part (notes span lines)."""
    shards = real_split_csv(sharded / "activities.csv", 3, min_bytes=SMALL_PART)
    alone = compute(sharded)
    shared = compute(sharded, jobs=3)
    assert len(processes(pids)) == 3
    lines = [line for _, _, line in findings(shared)]
    assert lines == [line for _, _, line in findings(alone)]
    assert lines[0] is not None
    assert lines[0] < shards[1].first_line
    assert lines[1] is not None
    assert lines[1] > shards[2].first_line
    # Physical lines, not rows: notes spanning lines come before.
    assert lines[1] > 2902


@pytest.mark.usefixtures("small_parts")
def test_lf_line_ends_and_a_bom(tmp_path: Path, pids: Path) -> None:
    """`dump_dataset` writes CRLF (the csv module's default); LF and a BOM share too."""
    folder = dump(make_dataset(carriage_returns=False), tmp_path / "data")
    file = folder / "activities.csv"
    crlf = file.read_bytes()
    assert crlf.count(b"\r\n") == crlf.count(b"\r") > 3000
    file.write_bytes(b"\xef\xbb\xbf" + crlf.replace(b"\r\n", b"\n"))
    alone = compute(folder, by="year")
    shared = compute(folder, by="year", jobs=2)
    assert len(processes(pids)) == 2
    assert shared == alone
    assert findings(shared) == findings(alone)


@pytest.mark.usefixtures("small_parts")
def test_a_bad_byte_in_part_two_falls_back_to_one_process(
    tmp_path: Path, pids: Path
) -> None:
    """A byte that is not UTF-8 in the second part: read in one process, same result."""
    folder = dump(make_dataset(), tmp_path / "data")
    file = folder / "activities.csv"
    data = file.read_bytes()
    shards = real_split_csv(file, 3, min_bytes=SMALL_PART)
    # An "é" in Latin-1 in a title of the second part.
    at = data.index(b"Business mission", shards[1].start)
    assert at < shards[1].end
    file.write_bytes(data[:at] + b"\xe9" + data[at + 1 :])
    scope = Scope.build()
    assert _shards.run_sharded(folder, scope, OPTIONS, 3) is None
    assert len(processes(pids)) == 3  # the parts ran, and one failed
    alone = compute(folder)
    shared = compute(folder, jobs=3)
    assert shared == alone
    assert "CK-FILE-001" in alone.excluded_by_rule
    assert findings(shared) == findings(alone)


@pytest.mark.usefixtures("small_parts")
def test_an_id_repeated_across_parts_falls_back_and_is_excluded_once(
    tmp_path: Path, pids: Path
) -> None:
    """An activity id in the first and the last part: one process finds the duplicate."""
    ds = make_dataset(errors=False)
    rows = list(ds.activities)
    rows[2950] = rows[2950].model_copy(update={"id": rows[10].id, "b2b_meetings": 9999})
    folder = dump(ds.model_copy(update={"activities": tuple(rows)}), tmp_path / "data")
    assert _shards.run_sharded(folder, Scope.build(), OPTIONS, 3) is None
    assert len(processes(pids)) == 3
    alone = compute(folder)
    shared = compute(folder, jobs=3)
    assert shared == alone
    assert shared.excluded_by_rule == {"CK-PK-001": 1}
    assert shared.records["activities"].excluded == 1
    # The first occurrence is kept, the later one (with its 9,999 meetings) is not.
    firsts = ds.model_copy(update={"activities": tuple(rows[:2950] + rows[2951:])})
    assert shared.kpis == compute(firsts).kpis


@pytest.mark.usefixtures("small_parts")
def test_an_id_repeated_inside_one_part_is_found_by_that_part(tmp_path: Path) -> None:
    """A duplicate within one part needs no fallback: the part excludes it."""
    ds = make_dataset(errors=False)
    rows = list(ds.activities)
    rows[20] = rows[20].model_copy(update={"id": rows[10].id, "b2b_meetings": 9999})
    folder = dump(ds.model_copy(update={"activities": tuple(rows)}), tmp_path / "data")
    outcome = _shards.run_sharded(folder, Scope.build(), OPTIONS, 3)
    assert outcome is not None
    shared = compute(folder, jobs=3)
    assert shared == compute(folder)
    assert shared.excluded_by_rule == {"CK-PK-001": 1}


@pytest.mark.parametrize("layout", ["json", "xlsx"])
@pytest.mark.usefixtures("small_parts")
def test_other_layouts_are_read_in_one_process(
    tmp_path: Path, pids: Path, layout: str
) -> None:
    """Only a folder's activities file is shared; other layouts give jobs=1's result."""
    ds = make_dataset()
    if layout == "xlsx":  # workbooks are slow to write and read: fewer rows
        ds = ds.model_copy(update={"activities": ds.activities[:300]})
    path = tmp_path / f"data.{layout}"
    ck.dump_dataset(ds, path, layout=layout)
    assert _shards.run_sharded(path, Scope.build(), OPTIONS, 2) is None
    assert compute(path, jobs=2, by="generation") == compute(path, by="generation")
    assert processes(pids) == []


@pytest.mark.usefixtures("small_parts")
def test_a_csv_folder_without_activities(tmp_path: Path, pids: Path) -> None:
    """No activities.csv: nothing to share."""
    folder = Path(shutil.copytree(BASE, tmp_path / "data"))
    (folder / "activities.csv").unlink()
    assert _shards.run_sharded(folder, Scope.build(), OPTIONS, 2) is None
    assert compute(folder, jobs=2) == compute(folder)
    assert processes(pids) == []


def test_the_real_threshold_keeps_small_files_whole(sharded: Path, pids: Path) -> None:
    """Without the patch, a file below 4 MiB is not shared."""
    assert (sharded / "activities.csv").stat().st_size < ck._scan.MIN_SHARD_BYTES
    assert compute(sharded, jobs=4) == compute(sharded)
    assert processes(pids) == []


@pytest.mark.usefixtures("small_parts")
def test_more_than_max_findings_report_the_same_findings(tmp_path: Path) -> None:
    """Over the 1,000 findings kept, the report of jobs=N counts what jobs=1 counts.

    One process keeps the first 1,000 findings it meets (a cluster's error, met
    first, among them); here (errors in every part alike) the merged report
    keeps the same 1,000. In general only the counts, summary and exit code are
    promised: each part kept its own first findings.
    """
    ds = make_dataset(errors=False)
    rows = [
        a.model_copy(update={"partnership": "P-unknown"}) if i % 2 == 0 else a
        for i, a in enumerate(ds.activities)
    ]
    clusters = list(ds.clusters)
    clusters[0] = clusters[0].model_copy(update={"region": "FR10"})
    ds = ds.model_copy(update={"activities": tuple(rows), "clusters": tuple(clusters)})
    folder = dump(ds, tmp_path / "data")
    alone = compute(folder)
    shared = compute(folder, jobs=3)
    assert shared == alone
    assert alone.validation is not None
    assert shared.validation is not None
    assert shared.validation.summary == alone.validation.summary
    assert alone.validation.summary.total > 1000
    assert findings(shared) == findings(alone)


# ---------------------------------------------------------------- the parts, in this process


def parts_of(folder: Path, count: int) -> Iterator[Shard]:
    """The shards of a folder's activities.csv."""
    yield from real_split_csv(folder / "activities.csv", count, min_bytes=SMALL_PART)


@pytest.mark.parametrize(
    ("validate", "scope"),
    [(True, {}), (True, {"by": ("target_country", "ecosystem")}), (False, {})],
)
def test_parts_merge_into_the_pass_over_the_whole_file(
    tmp_path: Path, validate: bool, scope: dict[str, Any]
) -> None:
    """`_run_part` per shard and `_merge`: the facts, tally, errors and report of one pass.

    Errors in the first and last parts and in a small table (read by every part).
    """
    ds = make_dataset()
    clusters = list(ds.clusters)
    clusters[0] = clusters[0].model_copy(update={"region": "FR10"})
    folder = dump(ds.model_copy(update={"clusters": tuple(clusters)}), tmp_path / "d")
    options = gating_options(validate=validate, as_of=AS_OF)
    built = Scope.build(**scope)
    whole = run_pass(folder, built, options)
    parts = [_shards._run_part(folder, built, options, s) for s in parts_of(folder, 3)]
    assert len(parts) == 3
    assert all(part.clean for part in parts)
    assert not _shards._repeats_across(parts)
    outcomes = [part.outcome for part in parts if part.outcome is not None]
    merged_scope, facts, tally, report, errors = _shards._merge(
        built, outcomes, options
    )
    assert merged_scope == built
    assert facts == whole.facts
    assert tally == whole.tally
    assert errors == whole.errors
    assert report == whole.report
    assert finish(built, facts, tally, report, errors) == finish(
        built, whole.facts, whole.tally, whole.report, whole.errors
    )


def test_merged_reports_without_a_limit_keep_every_finding(tmp_path: Path) -> None:
    """`max_findings=None`: every part's activity findings are kept."""
    folder = dump(make_dataset(), tmp_path / "d")
    options = Options(as_of=AS_OF, select=OPTIONS.select, max_findings=None)
    scope = Scope.build()
    parts = [_shards._run_part(folder, scope, options, s) for s in parts_of(folder, 3)]
    outcomes = [part.outcome for part in parts if part.outcome is not None]
    report = _shards._merge(scope, outcomes, options)[3]
    assert report == run_pass(folder, scope, options).report
    assert report.summary.by_rule == {"CK-FK-001": 2}


def test_a_part_that_does_not_read_is_not_clean(tmp_path: Path) -> None:
    """A byte that is not UTF-8, or a quote the csv module refuses: the part says so."""
    folder = Path(shutil.copytree(BASE, tmp_path / "data"))
    file = folder / "activities.csv"
    lines = file.read_bytes().split(b"\n")
    header = lines[0] + b"\n"
    scope = Scope.build()
    for bad in (b"A7,P1,webinar,2019-06-10,,\xe9t\xe9\n", b'A7,P1,webinar,"2019"x\n'):
        file.write_bytes(header + bad)
        shard = Shard("activities", len(header), len(header) + len(bad), 2)
        part = _shards._run_part(folder, scope, OPTIONS, shard)
        assert not part.clean
        assert part.outcome is None
        assert _shards.run_sharded(folder, scope, OPTIONS, 2) is None  # too small


def test_an_unexpected_error_in_a_part_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only reading problems make a part unclean; anything else is a bug, raised."""

    def broken(*args: Any, **kwargs: Any) -> Pass:
        raise RuntimeError("boom")

    monkeypatch.setattr(_shards, "run_pass", broken)
    shard = Shard("activities", 0, 0, 1)
    with pytest.raises(RuntimeError, match="boom"):
        _shards._run_part(BASE, Scope.build(), OPTIONS, shard)


def test_repeats_across_parts() -> None:
    """Digests in two parts repeat; a digest twice in one part does not."""

    def part(*digests: int) -> Any:
        return _shards._Part(clean=True, digests=array.array("Q", digests).tobytes())

    assert _shards._repeats_across([part(1, 2), part(3), part(4, 5)]) is False
    assert _shards._repeats_across([part(1, 1, 2), part(3, 3)]) is False
    assert _shards._repeats_across([part(1, 2), part(3), part(2)]) is True
    assert _shards._repeats_across([]) is False


def test_a_shard_of_a_file_without_a_header(tmp_path: Path) -> None:
    """A shard of an empty activities.csv reads no activity (and raises nothing)."""
    folder = Path(shutil.copytree(BASE, tmp_path / "data"))
    (folder / "activities.csv").write_bytes(b"")
    shard = Shard("activities", 0, 0, 1)
    outcome = run_pass(folder, Scope.build(), OPTIONS, shard)
    assert outcome.facts.used["activities"] == 0
    assert sum(outcome.tally.offered.values()) == 0


def test_a_shard_reads_only_its_byte_range(tmp_path: Path) -> None:
    """Rows of the range, with their physical line numbers; not a byte more."""
    folder = Path(shutil.copytree(BASE, tmp_path / "data"))
    data = (folder / "activities.csv").read_bytes()
    # A3's row (line 5) up to the end of A4's row (line 6).
    start = data.index(b"\nA3,") + 1
    end = data.index(b"\n", data.index(b"\nA4,") + 1) + 1
    shard = Shard("activities", start, end, 1 + data[:start].count(b"\n"))
    seen: dict[str, list[int]] = {}

    def on_batch(batch: Any, context: Any) -> None:
        seen.setdefault(batch.table, []).extend(batch.numbers)

    run_checks(folder, options=OPTIONS, on_batch=on_batch, shard=shard)
    assert seen["activities"] == [5, 6]
    assert seen["clusters"] == list(range(2, 10))


def test_run_checks_sees_every_batch() -> None:
    """`rules.run_checks` without a shard reads everything and records error rows."""
    seen: list[str] = []
    report, context = run_checks(
        INVALID_FK, options=OPTIONS, on_batch=lambda batch, _: seen.append(batch.table)
    )
    assert "activities" in seen
    assert context.error_rows == {"activities": {6}}
    assert context.error_counts == {("activities", "CK-FK-001", True): 1}
    assert report.summary.by_rule == {"CK-FK-001": 1}


# ---------------------------------------------------------------- JSON Lines


@pytest.fixture(name="jsonl_parts")
def fixture_jsonl_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_sharded` splits JSON Lines files into parts of 16 KiB and more."""

    def split(path: Path, parts: int) -> list[Shard]:
        return real_split_jsonl(path, parts, min_bytes=SMALL_PART)

    monkeypatch.setattr(_shards, "split_jsonl", split)


def jsonl_folder(folder: Path, ds: ck.Dataset) -> Path:
    """`ds` as a JSON Lines folder, its activities file starting with a BOM."""
    ck.dump_dataset(ds, folder, layout="jsonl")
    file = folder / "activities.jsonl"
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes())
    return folder


def test_split_jsonl_cuts_after_line_breaks(tmp_path: Path) -> None:
    """Every part starts a line, with its line number; together they are the file."""
    folder = jsonl_folder(tmp_path / "data", make_dataset())
    data = (folder / "activities.jsonl").read_bytes()
    shards = real_split_jsonl(folder / "activities.jsonl", 3, min_bytes=SMALL_PART)
    assert len(shards) == 3
    assert shards[0].start == 0
    assert shards[-1].end == len(data)
    for before, after in itertools.pairwise(shards):
        assert before.end == after.start
        assert data[after.start - 1 : after.start] == b"\n"
        assert after.first_line == data[: after.start].count(b"\n") + 1


@pytest.mark.usefixtures("jsonl_parts")
def test_jsonl_parts_in_other_processes_give_the_one_process_result(
    tmp_path: Path, pids: Path
) -> None:
    """jobs=3 on a JSON Lines folder: parts in other processes, jobs=1's result."""
    folder = jsonl_folder(tmp_path / "data", make_dataset())
    alone = compute(folder, by="generation")
    shared = compute(folder, jobs=3, by="generation")
    ran_in = processes(pids)
    assert len(ran_in) == 3
    assert os.getpid() not in ran_in
    assert shared == alone
    assert findings(shared) == findings(alone)
    assert [line for _, _, line in findings(alone)] == [101, 2901]  # no header


@pytest.mark.usefixtures("jsonl_parts")
def test_a_bad_byte_in_a_jsonl_part_falls_back_to_one_process(tmp_path: Path) -> None:
    """A line that is not UTF-8 in a later part: one process reads and reports it."""
    folder = jsonl_folder(tmp_path / "data", make_dataset(errors=False))
    file = folder / "activities.jsonl"
    lines = file.read_bytes().split(b"\n")
    lines[2500] = lines[2500].replace(b'"title":', b'"title\xe9":', 1)
    file.write_bytes(b"\n".join(lines))
    shared = compute(folder, jobs=3)
    assert shared == compute(folder)
    assert shared.excluded_by_rule == {"CK-FILE-001": 1}


@pytest.mark.usefixtures("jsonl_parts")
def test_a_folder_that_is_not_a_dataset_is_not_split(
    tmp_path: Path, pids: Path
) -> None:
    """A folder without tables: no parts; one process reports CK-FILE-001."""
    (tmp_path / "empty").mkdir()
    assert _shards.run_sharded(tmp_path / "empty", Scope.build(), OPTIONS, 2) is None
    assert compute(tmp_path / "empty", jobs=2).excluded_by_rule == {"CK-FILE-001": 1}
    assert processes(pids) == []


def test_jsonl_lines_of_a_byte_range(tmp_path: Path) -> None:
    """A span gives its own lines, numbered as in the file; a BOM only at the start."""
    file = tmp_path / "activities.jsonl"
    lines = [b'{"id": "A1"}\n', b"\n", b'{"id": "A2"}\n', b'{"id": "A3"}\n']
    file.write_bytes(b"\xef\xbb\xbf" + b"".join(lines))
    cut = 3 + len(lines[0]) + len(lines[1])
    member = Member.of_path(file, "a.jsonl")
    problems: list[object] = []

    def ids(span: tuple[int, int, int] | None) -> list[tuple[str, int]]:
        return [
            (key, number)
            for chunk in jsonl_files.read_chunks(
                member, "activities", lambda *args, **_: problems.append(args), span
            )
            for key, number in zip(chunk.cells["id"], chunk.numbers, strict=True)
        ]

    first = ids((0, cut, 1))
    second = ids((cut, file.stat().st_size, 3))
    assert first == [("A1", 1)]
    assert second == [("A2", 3), ("A3", 4)]
    assert ids(None) == first + second
    assert problems == []


def test_findings_alike_in_two_parts_keep_fingerprints_of_their_own(
    tmp_path: Path,
) -> None:
    """Two activities without an id, in the first and the last part: numbered as in one pass."""
    ds = make_dataset(errors=False)
    rows = list(ds.activities)
    for i in (100, 2900):
        rows[i] = rows[i].model_copy(update={"id": ""})
    folder = dump(ds.model_copy(update={"activities": tuple(rows)}), tmp_path / "d")
    options = Options(as_of=AS_OF, select=OPTIONS.select, max_findings=None)
    scope = Scope.build()
    parts = [_shards._run_part(folder, scope, options, s) for s in parts_of(folder, 3)]
    outcomes = [part.outcome for part in parts if part.outcome is not None]
    report = _shards._merge(scope, outcomes, options)[3]
    assert report == run_pass(folder, scope, options).report
    prints = [finding.fingerprint for finding in report.findings]
    assert len(prints) >= 2
    assert len(set(prints)) == len(prints)
