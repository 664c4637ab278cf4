"""Every kind of source reads alike (`clusterkit.io.open_source`).

A dataset gives the same records, the same findings and the same KPIs whether it
comes as a folder of CSV or JSON Lines files, a `.json` document, a workbook, a
`.zip` of a folder, bytes or a file object of one of those, a mapping, a
mapping of DataFrames (pandas, polars or Arrow) or a `Dataset`. Findings are compared up to their location, which each form spells in
its own way (a line, a cell, a pointer); everything else must match, messages and
values included. The one message that quotes a location, CK-PK-001's "first at
<place>", is compared up to that place. A `Dataset` built in memory is the one
exception, stated where it applies: it quotes an amount as its `Decimal` spells it
(`0.00`), where every file holds the amount as the writer wrote it (`0`).

A source that cannot be read is a located CK-FILE-001 finding for `validate` and
`compute_kpis` and a `DatasetReadError` for `load_dataset`; a source of the wrong
kind is a programming mistake, a `TypeError`.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any, NamedTuple, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit import cli
from clusterkit.io import MAX_ZIP_RATIO, READ_RULES, Source, _source, example_path
from clusterkit.models import TABLES
from clusterkit.testing import datasets

AS_OF = dt.date(2026, 1, 1)
DATA = Path(__file__).parent / "data"
BASE = DATA / "valid" / "base"
CASES = sorted(path for path in (DATA / "invalid").iterdir() if path.is_dir())
FK_001 = DATA / "invalid" / "CK-FK-001"
SRC = Path(ck.__file__).parents[1]

# The rules of the read stage that run by default. `load_dataset` has no `select`:
# its report holds what `validate` reports by default, so CK-COUNTRY-003 (a remark
# that is off unless selected) is not among them.
DEFAULT_READ_RULES = tuple(rule.id for rule in READ_RULES if rule.default)

Key = tuple[str, str, str | None, str | None, str | None, str | None, str]
Make = Callable[[Path, ExitStack], Source]


# ---------------------------------------------------------------- helpers


class NonSeekable(io.RawIOBase):
    """A binary stream read forward only, like a pipe; `step` caps what a read gives."""

    def __init__(self, data: bytes, step: int | None = None) -> None:
        super().__init__()
        self._data = data
        self._position = 0
        self._step = step

    def readable(self) -> bool:
        """It can be read."""
        return True

    def seekable(self) -> bool:
        """It cannot be rewound."""
        return False

    def readinto(self, buffer: Any) -> int:
        """Fill `buffer` with the next bytes (at most `step` of them)."""
        size = len(buffer) if self._step is None else min(len(buffer), self._step)
        chunk = self._data[self._position : self._position + size]
        buffer[: len(chunk)] = chunk
        self._position += len(chunk)
        return len(chunk)


def stream(data: bytes, step: int | None = None) -> IO[bytes]:
    """A non-seekable binary stream of `data`, typed as the file object it stands for."""
    return cast("IO[bytes]", NonSeekable(data, step))


def comparable(report: ck.Report, *, quoted: bool = True) -> list[Key]:
    """The findings up to location: rule, severity, entity, field, value and message.

    CK-PK-001's message ends with "first at <place>", spelled as the form locates
    things: it is compared up to there. Without `quoted`, the value and the message
    (which quotes the value) are left out.
    """
    return sorted(
        (
            finding.rule,
            finding.severity.value,
            finding.entity.table if finding.entity else None,
            finding.entity.id if finding.entity else None,
            finding.location.field,
            finding.value if quoted else None,
            finding.message.split("; first at ")[0] if quoted else "",
        )
        for finding in report.findings
    )


def kpi_values(result: ck.KPIResult) -> tuple[object, ...]:
    """What must not depend on the form: KPIs, activity types, markets, record counts."""
    return (
        dict(result.kpis),
        dict(result.activities_by_type),
        result.target_markets,
        dict(result.records),
    )


def zip_folder(folder: Path, prefix: str = "") -> bytes:
    """The files of `folder` as a zip archive, under `prefix` (a top folder, or none)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            if path.is_file():
                archive.write(path, prefix + path.name)
    return buffer.getvalue()


def zip_of(members: Mapping[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip archive of `members` (name → bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def base_tables() -> dict[str, bytes]:
    """The CSV files of the base dataset, by name."""
    return {path.name: path.read_bytes() for path in sorted(BASE.glob("*.csv"))}


def json_bytes(folder: Path, tmp_path: Path) -> bytes:
    """The dataset of a CSV folder as a JSON document's bytes."""
    path = tmp_path / f"{folder.name}.json"
    ck.dump_dataset(ck.load_dataset(folder), path)
    return path.read_bytes()


def only(report: ck.Report, rule: str) -> ck.Finding:
    """The report's one finding, which has rule `rule`."""
    assert [finding.rule for finding in report.findings] == [rule], report.findings
    return report.findings[0]


# ---------------------------------------------------------------- 1. every form


class Forms(NamedTuple):
    """One dataset written in every form, and what its CSV folder gives."""

    folder: Path
    dataset: ck.Dataset
    findings: list[Key]
    kpis: tuple[object, ...]


DATASETS = {"base": BASE, "example": example_path()}

FORMS: dict[str, Make] = {
    "csv-folder": lambda where, _: where / "csv",
    "jsonl-folder": lambda where, _: where / "jsonl",
    "json-file": lambda where, _: where / "data.json",
    "xlsx-file": lambda where, _: where / "data.xlsx",
    "zip-file": lambda where, _: where / "data.zip",
    "zip-file-top-folder": lambda where, _: where / "top.zip",
    "zip-file-of-jsonl": lambda where, _: where / "jsonl.zip",
    "zip-bytes": lambda where, _: (where / "data.zip").read_bytes(),
    "zip-bytesio": lambda where, _: io.BytesIO((where / "data.zip").read_bytes()),
    "zip-open-file": lambda where, stack: stack.enter_context(
        (where / "data.zip").open("rb")
    ),
    "zip-non-seekable": lambda where, _: stream((where / "data.zip").read_bytes()),
    "json-bytes": lambda where, _: (where / "data.json").read_bytes(),
    "json-bytesio": lambda where, _: io.BytesIO((where / "data.json").read_bytes()),
    "json-open-file": lambda where, stack: stack.enter_context(
        (where / "data.json").open("rb")
    ),
    "json-non-seekable": lambda where, _: stream((where / "data.json").read_bytes()),
    "xlsx-bytes": lambda where, _: (where / "data.xlsx").read_bytes(),
    "mapping": lambda where, _: json.loads(
        (where / "data.json").read_text(encoding="utf-8")
    ),
    "dataset": lambda where, _: ck.load_dataset(where / "csv"),
    "pandas-frames": lambda where, _: ck.load_dataset(where / "csv").to_frames(),
    "polars-frames": lambda where, _: ck.load_dataset(where / "csv").to_frames(
        "polars"
    ),
    "arrow-frames": lambda where, _: ck.load_dataset(where / "csv").to_frames("arrow"),
}


@pytest.fixture(name="forms", scope="module")
def fixture_forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Forms]:
    """The base dataset and the example, each written in every file form."""
    built: dict[str, Forms] = {}
    for name, source in DATASETS.items():
        where = tmp_path_factory.mktemp(name)
        folder = Path(shutil.copytree(source, where / "csv"))
        dataset = ck.load_dataset(folder)
        ck.dump_dataset(dataset, where / "jsonl", layout="jsonl")
        ck.dump_dataset(dataset, where / "data.json")
        ck.dump_dataset(dataset, where / "data.xlsx")
        (where / "data.zip").write_bytes(zip_folder(folder))
        (where / "top.zip").write_bytes(zip_folder(folder, "data/"))
        (where / "jsonl.zip").write_bytes(zip_folder(where / "jsonl"))
        report = ck.validate(folder, as_of=AS_OF)
        kpis = kpi_values(ck.compute_kpis(folder, as_of=AS_OF))
        built[name] = Forms(where, dataset, comparable(report), kpis)
    return built


every_form = pytest.mark.parametrize("form", list(FORMS))
every_dataset = pytest.mark.parametrize("name", list(DATASETS))


@every_dataset
@every_form
def test_every_form_loads_the_same_dataset(
    forms: dict[str, Forms], name: str, form: str
) -> None:
    """`load_dataset` of each form gives a dataset equal to the CSV folder's."""
    built = forms[name]
    with ExitStack() as stack:
        source = FORMS[form](built.folder, stack)
        assert ck.load_dataset(source) == built.dataset


@every_dataset
@every_form
def test_every_form_gives_the_same_findings(
    forms: dict[str, Forms], name: str, form: str
) -> None:
    """`validate` of each form gives the CSV folder's findings, up to location."""
    built = forms[name]
    with ExitStack() as stack:
        report = ck.validate(FORMS[form](built.folder, stack), as_of=AS_OF)
    assert comparable(report) == built.findings
    assert all(finding.location.file for finding in report.findings)


@every_dataset
@every_form
def test_every_form_gives_the_same_kpis(
    forms: dict[str, Forms], name: str, form: str
) -> None:
    """`compute_kpis` of each form gives the CSV folder's KPIs and record counts."""
    built = forms[name]
    with ExitStack() as stack:
        result = ck.compute_kpis(FORMS[form](built.folder, stack), as_of=AS_OF)
    assert kpi_values(result) == built.kpis


def test_the_example_has_findings_to_compare(forms: dict[str, Forms]) -> None:
    """The comparison is not vacuous: the example has findings (undeclared markets)."""
    assert {key[0] for key in forms["example"].findings} == {"CK-GEO-002"}
    assert forms["base"].findings == []


@pytest.mark.parametrize("suffix", ["zip", "json"])
def test_a_stream_that_reads_in_short_parts_is_read_whole(
    forms: dict[str, Forms], suffix: str
) -> None:
    """A stream whose reads give at most 4 KiB each (as a pipe does) is read to its end."""
    built = forms["example"]
    data = (built.folder / f"data.{suffix}").read_bytes()
    assert len(data) > 4096
    assert ck.load_dataset(stream(data, step=4096)) == built.dataset


# ---------------------------------------------------------------- 2. a property


@settings(
    max_examples=25,
    suppress_health_check=[
        *settings().suppress_health_check,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(dataset=datasets())
def test_every_form_of_generated_records_reads_alike(
    tmp_path: Path, dataset: ck.Dataset
) -> None:
    """Folder, zip bytes, JSON bytes, mapping, Dataset and frames give one report and KPI set."""
    where = Path(tempfile.mkdtemp(dir=tmp_path))
    ck.dump_dataset(dataset, where / "csv")
    ck.dump_dataset(dataset, where / "data.json")
    document = (where / "data.json").read_bytes()
    records = json.loads(document)
    # The records as the files hold them: equal to the generated ones.
    as_written = ck.Dataset.model_validate(records)
    assert as_written == dataset
    forms: dict[str, Source] = {
        "zip-bytes": zip_folder(where / "csv"),
        "json-bytes": document,
        "mapping": records,
        "dataset": as_written,
        "pandas-frames": as_written.to_frames("pandas"),
        "polars-frames": as_written.to_frames("polars"),
        "arrow-frames": as_written.to_frames("arrow"),
    }
    reference = ck.validate(where / "csv", as_of=AS_OF)
    kpis = kpi_values(ck.compute_kpis(where / "csv", as_of=AS_OF))
    for form, source in forms.items():
        report = ck.validate(source, as_of=AS_OF)
        assert comparable(report) == comparable(reference), form
        assert kpi_values(ck.compute_kpis(source, as_of=AS_OF)) == kpis, form
    # The generated Dataset itself quotes its amounts as its Decimals spell them.
    generated = ck.validate(dataset, as_of=AS_OF)
    assert comparable(generated, quoted=False) == comparable(reference, quoted=False)
    assert kpi_values(ck.compute_kpis(dataset, as_of=AS_OF)) == kpis


# ---------------------------------------------------------------- 3. names


@pytest.fixture(name="fk_sources")
def fixture_fk_sources(tmp_path: Path) -> dict[str, bytes]:
    """The CK-FK-001 case (an unknown partnership at activities.csv line 6) as bytes."""
    return {"zip": zip_folder(FK_001), "json": json_bytes(FK_001, tmp_path)}


def test_findings_on_bytes_name_the_upload(fk_sources: dict[str, bytes]) -> None:
    """Bytes are named `<upload>`: a zip's members as `<upload>/activities.csv`."""
    from_zip = ck.validate(fk_sources["zip"], as_of=AS_OF)
    from_json = ck.validate(fk_sources["json"], as_of=AS_OF)
    assert only(from_zip, "CK-FK-001").location.file == "<upload>/activities.csv"
    assert only(from_zip, "CK-FK-001").location.line == 6
    assert only(from_json, "CK-FK-001").location.file == "<upload>"
    assert only(from_json, "CK-FK-001").location.pointer == "/activities/3/partnership"
    assert from_zip.sources == from_json.sources == ("<upload>",)


def test_a_given_name_names_the_stream(fk_sources: dict[str, bytes]) -> None:
    """`name="upload.zip"` names the stream, and its members as `upload.zip/<file>`."""
    from_zip = ck.validate(fk_sources["zip"], as_of=AS_OF, name="upload.zip")
    from_json = ck.validate(
        io.BytesIO(fk_sources["json"]), as_of=AS_OF, name="upload.json"
    )
    assert only(from_zip, "CK-FK-001").location.file == "upload.zip/activities.csv"
    assert from_zip.sources == ("upload.zip",)
    assert only(from_json, "CK-FK-001").location.file == "upload.json"
    broken = ck.load_dataset(b"not a dataset", name="upload.bin", errors="report")
    assert only(broken.report, "CK-FILE-001").location.file == "upload.bin"


def test_a_file_object_opened_from_a_path_is_named_by_its_path(
    tmp_path: Path, fk_sources: dict[str, bytes]
) -> None:
    """A file object opened from a path is named by that path, as the path itself is."""
    archive = tmp_path / "upload.zip"
    archive.write_bytes(fk_sources["zip"])
    document = tmp_path / "upload.json"
    document.write_bytes(fk_sources["json"])
    with archive.open("rb") as handle:
        from_zip = ck.validate(handle, as_of=AS_OF)
    with document.open("rb") as handle:
        from_json = ck.validate(handle, as_of=AS_OF)
    assert only(from_zip, "CK-FK-001").location.file == f"{archive}/activities.csv"
    assert only(from_json, "CK-FK-001").location.file == str(document)
    path_report = ck.validate(archive, as_of=AS_OF)
    assert path_report.findings[0].location == from_zip.findings[0].location


def spool_small_streams(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Spool every stream over 256 bytes to disk; the list gets each spool's path."""
    spooled: list[str] = []

    def recording(*args: Any, **kwargs: Any) -> Any:
        handle = tempfile.NamedTemporaryFile(*args, **kwargs)  # noqa: SIM115 - the library closes it
        spooled.append(handle.name)
        return handle

    monkeypatch.setattr(_source, "_IN_MEMORY", 256)
    monkeypatch.setattr(
        _source, "tempfile", SimpleNamespace(NamedTemporaryFile=recording)
    )
    return spooled


# A spooled archive leaves its file handle open (see the test after this one).
@pytest.mark.filterwarnings("ignore::ResourceWarning")
def test_a_spooled_stream_never_shows_its_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fk_sources: dict[str, bytes]
) -> None:
    """A stream larger than the in-memory threshold is spooled; no finding names the spool."""
    spooled = spool_small_streams(monkeypatch)
    broken_json = fk_sources["json"].replace(b'"P-1"', b'"P-1', 1)
    bad_member = zip_of(
        {**base_tables(), "clusters.csv": "id,name\nC1,Café\n".encode("latin-1")}
    )
    workbook = tmp_path / "data.xlsx"
    ck.dump_dataset(ck.load_dataset(FK_001), workbook)
    sources = [
        fk_sources["zip"],
        fk_sources["json"],
        broken_json,
        bad_member,
        workbook.read_bytes(),
        b"{" + b" " * 1024,
        b"\x00" * 1024,
    ]
    texts: list[str] = []
    for data in sources:
        report = ck.validate(io.BytesIO(data), as_of=AS_OF)
        assert report.findings, data[:20]
        texts.append(report.to_json())
        loaded = ck.load_dataset(io.BytesIO(data), errors="report")
        texts.append(loaded.report.to_json())
        try:
            ck.load_dataset(io.BytesIO(data))
        except ck.DatasetReadError as error:
            texts.append(str(error))
        texts.append(ck.compute_kpis(io.BytesIO(data), as_of=AS_OF).to_json())
    assert spooled, "nothing was spooled: the threshold patch did not apply"
    for name in spooled:
        assert not Path(name).exists(), f"{name} was left behind"
        for text in texts:
            assert name not in text
            assert Path(name).name not in text
    assert "<upload>" in texts[0]


@pytest.mark.parametrize("suffix", ["zip", "xlsx"])
def test_a_spooled_archive_closes_its_temporary_file(
    forms: dict[str, Forms], monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """Reading a spooled zip or workbook leaves no file open."""
    spool_small_streams(monkeypatch)
    data = (forms["base"].folder / f"data.{suffix}").read_bytes()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ck.load_dataset(io.BytesIO(data))
        gc.collect()
    unclosed = [w for w in caught if issubclass(w.category, ResourceWarning)]
    assert unclosed == []


# ---------------------------------------------------------------- 4. refusals


def _bomb() -> bytes:
    """The base tables with activities.csv as 5 MiB of zeros, deflated."""
    members = base_tables()
    members["activities.csv"] = b"\x00" * (5 << 20)
    data = zip_of(members)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("activities.csv")
    # The member inflates more than the limit allows: a zip bomb.
    assert info.file_size > MAX_ZIP_RATIO * info.compress_size
    return data


REFUSED_ZIPS: dict[str, tuple[Callable[[], bytes], str]] = {
    "member-outside": (
        lambda: zip_of({**base_tables(), "../evil.csv": b"id\n"}),
        "outside the archive",
    ),
    "member-absolute": (
        lambda: zip_of({**base_tables(), "/abs/clusters.csv": b"id\n"}),
        "absolute path",
    ),
    "zip-bomb": (_bomb, "zip bomb"),
    "truncated": (lambda: zip_of(base_tables())[:300], "not a readable zip"),
    "no-tables": (lambda: zip_of({"notes.txt": b"hello"}), "no dataset tables"),
    "csv-and-jsonl": (
        lambda: zip_of({**base_tables(), "clusters.jsonl": b""}),
        "both .csv and .jsonl",
    ),
}


@pytest.mark.parametrize("case", list(REFUSED_ZIPS))
def test_a_refused_zip_is_an_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    """An unsafe, corrupt or tableless zip is CK-FILE-001 at it, as bytes or as a path."""
    make, problem = REFUSED_ZIPS[case]
    data = make()
    path = tmp_path / "data.zip"
    path.write_bytes(data)
    for source, where in ((data, "<upload>"), (path, str(path))):
        finding = only(ck.validate(source, as_of=AS_OF), "CK-FILE-001")
        assert finding.location.file == where
        assert problem in finding.message
        with pytest.raises(ck.DatasetReadError, match=problem):
            ck.load_dataset(source)
        result = ck.compute_kpis(source, as_of=AS_OF)
        assert result.excluded_by_rule == {"CK-FILE-001": 1}
    assert cli.main(["validate", str(path), "--as-of", "2026-01-01"]) == 1
    assert "CK-FILE-001" in capsys.readouterr().out


JSON_DOCUMENT = b'{"clusters": [{"id": "C1", "name": "One", "country": "DE"}]}'

REFUSED_STREAMS: dict[str, tuple[bytes, str | None, str]] = {
    "plain-text": (b"id,name\nC1,One\n", None, "cannot tell its format"),
    "empty": (b"", None, "it is empty; expected a JSON document"),
    "xlsx-given-json": (JSON_DOCUMENT, "xlsx", "not a readable .xlsx workbook"),
    "zip-given-json": (JSON_DOCUMENT, "zip", "not a readable zip"),
    "unknown-format": (JSON_DOCUMENT, "yaml", "'yaml' is not a document format"),
    "per-table-format": (JSON_DOCUMENT, "csv", "'csv' is not a document format"),
}


@pytest.mark.parametrize("case", list(REFUSED_STREAMS))
def test_bytes_that_cannot_be_read_are_an_unreadable_file(case: str) -> None:
    """Bytes of no dataset format, or not of the format given, are a readable CK-FILE-001."""
    data, fmt, problem = REFUSED_STREAMS[case]
    finding = only(ck.validate(data, as_of=AS_OF, format=fmt), "CK-FILE-001")
    assert finding.location.file == "<upload>"
    assert problem in finding.message
    assert "Traceback" not in finding.message
    with pytest.raises(ck.DatasetReadError, match=problem):
        ck.load_dataset(data, format=fmt)
    result = ck.compute_kpis(io.BytesIO(data), as_of=AS_OF, format=fmt)
    assert result.excluded_by_rule == {"CK-FILE-001": 1}


def test_an_unknown_format_for_a_path_is_an_unreadable_file(tmp_path: Path) -> None:
    """`format="yaml"` for a `.json` file is CK-FILE-001 at the file, not an exception."""
    path = tmp_path / "data.json"
    path.write_bytes(JSON_DOCUMENT)
    finding = only(ck.validate(path, as_of=AS_OF, format="yaml"), "CK-FILE-001")
    assert finding.location.file == str(path)
    with pytest.raises(ck.DatasetReadError):
        ck.load_dataset(path, format="yaml")
    assert ck.load_dataset(path, format="json").clusters[0].id == "C1"


def test_a_refusal_does_not_repeat_its_location() -> None:
    """A CK-FILE-001 message for a refused source says what is wrong, not where again."""
    data = zip_of({**base_tables(), "../evil.csv": b"id\n"})
    finding = only(ck.validate(data, as_of=AS_OF), "CK-FILE-001")
    assert not finding.message.startswith("<upload>"), finding.message


def _damaged_crc() -> bytes:
    """The base tables, stored, with a byte of activities.csv changed after the CRC."""
    data = bytearray(zip_of(base_tables(), zipfile.ZIP_STORED))
    at = data.index(b"A1,P1,business_mission")
    data[at] = ord("B")  # the stored bytes no longer match their CRC-32
    return bytes(data)


def _damaged_deflate() -> bytes:
    """The base tables, deflated, with a byte of activities.csv's stream flipped."""
    data = bytearray(zip_of(base_tables()))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("activities.csv")
    at = info.header_offset + 30 + len(info.filename.encode()) + 10
    data[at] ^= 0xFF  # the compressed stream of activities.csv no longer inflates
    return bytes(data)


def _encrypted() -> bytes:
    """The base tables with activities.csv flagged as encrypted."""
    data = bytearray(zip_of(base_tables(), zipfile.ZIP_STORED))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("activities.csv")
    data[info.header_offset + 6] |= 1  # "encrypted" in the local header …
    central = data.index(b"PK\x01\x02")
    while central != -1:
        size = struct.unpack("<H", data[central + 28 : central + 30])[0]
        if data[central + 46 : central + 46 + size] == b"activities.csv":
            data[central + 8] |= 1  # … and in the central directory
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


DAMAGED_ZIPS = {
    "bad-crc": _damaged_crc,
    "bad-deflate-stream": _damaged_deflate,
    "encrypted-member": _encrypted,
}


@pytest.mark.parametrize("case", list(DAMAGED_ZIPS))
def test_a_damaged_zip_member_is_an_unreadable_file(case: str) -> None:
    """A zip whose member cannot be inflated is CK-FILE-001 at that member."""
    data = DAMAGED_ZIPS[case]()
    report = ck.validate(data, as_of=AS_OF)
    files = {f.location.file for f in report.findings if f.rule == "CK-FILE-001"}
    assert files == {"<upload>/activities.csv"}
    with pytest.raises(ck.DatasetReadError):
        ck.load_dataset(data)


@pytest.mark.parametrize("on_disk", [False, True], ids=["bytes", "file"])
def test_a_zip_whose_directory_points_before_its_start(
    tmp_path: Path, on_disk: bool
) -> None:
    """Members placed before the archive's first byte: CK-FILE-001, never a ValueError."""
    data = bytearray(zip_of(base_tables(), zipfile.ZIP_STORED))
    end = data.rindex(b"PK\x05\x06")
    (start,) = struct.unpack("<I", data[end + 16 : end + 20])
    # The directory says it starts later than it does: zipfile then places the
    # members that much earlier, the first before the archive's start.
    data[end + 16 : end + 20] = struct.pack("<I", start + 100)
    source: Source = bytes(data)
    name = "<upload>"
    if on_disk:
        source = tmp_path / "data.zip"
        source.write_bytes(data)
        name = str(source)
    report = ck.validate(source, as_of=AS_OF)
    damaged = {
        f.location.file: f.message
        for f in report.findings
        if f.rule == "CK-FILE-001" and "directory is damaged" in f.message
    }
    assert f"{name}/activities.csv" in damaged
    with pytest.raises(ck.DatasetReadError, match="cannot open"):
        ck.load_dataset(source)


def test_another_system_error_opening_a_zip_member_is_told_as_it_is() -> None:
    """Only a refused seek means a damaged directory; an I/O error stays one."""

    class Failing:
        def open(self, info: zipfile.ZipInfo) -> IO[bytes]:  # noqa: ARG002 - ZipFile.open's signature
            raise OSError(errno.EIO, "Input/output error")

    opener = _source._zip_opener(
        cast("zipfile.ZipFile", Failing()), zipfile.ZipInfo("a")
    )
    member = ck.io.Member("data.zip/a.csv", opener)
    with pytest.raises(ck.DatasetReadError, match="cannot open: Input/output error"):
        member.open()


@pytest.mark.parametrize(
    "opener",
    [
        pytest.param(lambda path: io.StringIO(path.read_text("utf-8")), id="stringio"),
        pytest.param(lambda path: path.open(encoding="utf-8"), id="text-file"),
    ],
)
def test_a_text_stream_is_a_type_error(
    tmp_path: Path, opener: Callable[[Path], IO[str]]
) -> None:
    """A stream opened in text mode is a programming mistake: TypeError, never a finding."""
    path = tmp_path / "data.json"
    path.write_bytes(JSON_DOCUMENT)
    calls: list[Callable[[Any], object]] = [
        ck.load_dataset,
        lambda source: ck.validate(source, as_of=AS_OF),
        lambda source: ck.compute_kpis(source, as_of=AS_OF),
    ]
    for call in calls:
        with opener(path) as handle, pytest.raises(TypeError, match="binary"):
            call(handle)


@pytest.mark.parametrize(
    "source", [42, object(), None, 1.5], ids=["int", "object", "none", "float"]
)
def test_an_object_of_no_source_kind_is_a_type_error(source: Any) -> None:
    """An object that is no kind of source is a TypeError from every reader."""
    with pytest.raises(TypeError, match="dataset source"):
        ck.load_dataset(source)
    with pytest.raises(TypeError, match="dataset source"):
        ck.validate(source, as_of=AS_OF)
    with pytest.raises(TypeError, match="dataset source"):
        ck.compute_kpis(source, as_of=AS_OF)


# ---------------------------------------------------------------- 5. mappings


def _base_mapping() -> dict[str, Any]:
    """The base dataset as the mapping of its JSON document."""
    document: dict[str, Any] = json.loads(
        ck.load_dataset(BASE).model_dump_json(exclude_none=True)
    )
    return document


def test_a_mapping_with_bad_parts_reads_the_rest() -> None:
    """An unknown table, a table not a list and an entry not a mapping are found; the rest reads."""
    mapping = _base_mapping()
    mapping["bogus"] = [{"id": "X1"}]
    mapping["targets"] = {"partnership": "P1", "country": "US"}
    mapping["smes"] = [mapping["smes"][0], "SME-X", *mapping["smes"][1:]]
    report = ck.validate(mapping, as_of=AS_OF)
    found = sorted(
        (f.rule, f.location.file, f.location.pointer)
        for f in report.findings
        if f.rule.startswith(("CK-FILE", "CK-ROW"))
    )
    assert found == [
        ("CK-FILE-001", "<mapping>", "/bogus"),
        ("CK-FILE-001", "<mapping>", "/targets"),
        ("CK-ROW-001", "<mapping>", "/smes/1"),
    ]
    dataset, read_report = ck.load_dataset(mapping, errors="report")
    assert sorted((f.rule, f.location.pointer) for f in read_report.findings) == [
        ("CK-FILE-001", "/bogus"),
        ("CK-FILE-001", "/targets"),
        ("CK-ROW-001", "/smes/1"),
    ]
    base = ck.load_dataset(BASE)
    assert dataset == base.model_copy(update={"targets": ()})
    # Pointers count the entry that was skipped: SME-002 is the third entry.
    mapping["smes"][2]["country"] = "Atlantis"
    bad = [f for f in ck.validate(mapping, as_of=AS_OF).findings if f.entity]
    country = next(f for f in bad if f.rule == "CK-COUNTRY-001")
    assert country.location.pointer == "/smes/2/country"
    with pytest.raises(ck.DatasetReadError, match="bogus"):
        ck.load_dataset(mapping)


def test_a_mapping_of_model_instances_reads_like_one_of_dicts() -> None:
    """Tables given as record instances read exactly as the same records given as dicts."""
    base = ck.load_dataset(FK_001)
    instances = {table: list(base.table(table)) for table in TABLES}
    dicts = json.loads(base.model_dump_json(exclude_none=True))
    assert ck.load_dataset(instances) == ck.load_dataset(dicts) == base
    by_instances = ck.validate(instances, as_of=AS_OF)
    by_dicts = ck.validate(dicts, as_of=AS_OF)
    assert comparable(by_instances) == comparable(by_dicts)
    assert [f.location for f in by_instances.findings] == [
        f.location for f in by_dicts.findings
    ]
    assert only(by_instances, "CK-FK-001").location.pointer == (
        "/activities/3/partnership"
    )
    assert kpi_values(ck.compute_kpis(instances, as_of=AS_OF)) == kpi_values(
        ck.compute_kpis(dicts, as_of=AS_OF)
    )


# ---------------------------------------------------------------- 6. standard input


def _clusterkit(*argv: str, given: bytes) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m clusterkit ARGV` with `given` on standard input."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "clusterkit", *argv],
        input=given,
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
    )


VALIDATE_STDIN = ("validate", "-", "--as-of", "2026-01-01", "--format", "json")
KPIS_STDIN = ("kpis", "-", "--as-of", "2026-01-01", "--format", "json")


@pytest.mark.parametrize("kind", ["zip", "json"])
def test_validate_reads_standard_input(
    fk_sources: dict[str, bytes], tmp_path: Path, kind: str
) -> None:
    """`clusterkit validate -` reads a zip or a JSON document; findings name `<stdin>`."""
    done = _clusterkit(*VALIDATE_STDIN, given=fk_sources[kind])
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [item["rule"] for item in findings] == ["CK-FK-001"]
    expected = "<stdin>/activities.csv" if kind == "zip" else "<stdin>"
    assert findings[0]["location"]["file"] == expected
    valid = zip_folder(BASE) if kind == "zip" else json_bytes(BASE, tmp_path)
    assert _clusterkit(*VALIDATE_STDIN, given=valid).returncode == 0


def test_validate_reports_unreadable_standard_input() -> None:
    """`clusterkit validate -` on bytes of no format exits 1 with CK-FILE-001 at `<stdin>`."""
    done = _clusterkit(*VALIDATE_STDIN, given=b"not a dataset")
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [(f["rule"], f["location"]["file"]) for f in findings] == [
        ("CK-FILE-001", "<stdin>")
    ]


@pytest.mark.parametrize("kind", ["zip", "json"])
def test_kpis_reads_standard_input(
    fk_sources: dict[str, bytes], tmp_path: Path, kind: str
) -> None:
    """`clusterkit kpis -` reads a zip or a JSON document: the folder's KPIs, exit 0 or 1."""
    valid = zip_folder(BASE) if kind == "zip" else json_bytes(BASE, tmp_path)
    done = _clusterkit(*KPIS_STDIN, given=valid)
    assert done.returncode == 0, done.stderr
    expected = json.loads(ck.compute_kpis(BASE, as_of=AS_OF).to_json())
    assert json.loads(done.stdout)["kpis"] == expected["kpis"]
    bad = _clusterkit(*KPIS_STDIN, given=fk_sources[kind])
    assert bad.returncode == 1
    assert b"records left out" in bad.stderr


# ---------------------------------------------------------------- 7. errors="report"


def finding_keys(findings: Iterable[ck.Finding]) -> list[tuple[Any, ...]]:
    """Each finding as (rule, file name, line, field), sorted."""
    return sorted(
        (
            f.rule,
            Path(f.location.file).name if f.location.file else None,
            f.location.line,
            f.location.field,
        )
        for f in findings
    )


# Cases where a lenient load does not report what validate's read stage does.


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_a_lenient_load_reports_the_read_stage_findings(case: Path) -> None:
    """`errors="report"` reports exactly validate's read-stage findings, located alike."""
    dataset, report = ck.load_dataset(case, errors="report")
    read_stage = ck.validate(case, as_of=AS_OF, select=DEFAULT_READ_RULES)
    assert finding_keys(report.findings) == finding_keys(read_stage.findings)
    assert isinstance(dataset, ck.Dataset)


def _without(dataset: ck.Dataset, table: str, ids: set[str] | None) -> ck.Dataset:
    """`dataset` without the records of `table` with these ids (all when `None`)."""
    kept = tuple(
        record
        for record in dataset.table(table)
        if ids is not None and getattr(record, "id", None) not in ids
    )
    return dataset.model_copy(update={table: kept})


@pytest.mark.parametrize(
    ("case", "table", "ids"),
    [
        ("CK-TYPE-001", "activities", {"A4"}),
        ("CK-ENUM-001", "activities", {"A4"}),
        ("CK-ROW-001", "activities", {"A4"}),
        ("CK-COUNTRY-001", "activities", {"A4"}),
        ("CK-COUNT-001", "activities", {"A4"}),
        ("CK-HDR-003", "activities", set()),
        ("CK-FILE-001", "targets", None),
    ],
)
def test_a_lenient_load_keeps_every_record_without_a_finding(
    case: str, table: str, ids: set[str] | None
) -> None:
    """The dataset of `errors="report"` is the base dataset less the records found bad."""
    dataset, report = ck.load_dataset(DATA / "invalid" / case, errors="report")
    assert report.findings
    assert dataset == _without(ck.load_dataset(BASE), table, ids)


def test_errors_must_be_raise_or_report() -> None:
    """`errors` other than "raise" or "report" is a ValueError."""
    with pytest.raises(ValueError, match="errors must be"):
        ck.load_dataset(BASE, errors="bogus")  # type: ignore[call-overload] # the mistake under test


def test_a_lenient_load_of_what_cannot_be_opened_is_empty() -> None:
    """A source that cannot be opened gives an empty dataset and one CK-FILE-001."""
    loaded = ck.load_dataset(b"not a dataset", errors="report")
    dataset, report = loaded
    assert dataset == ck.Dataset()
    assert [f.rule for f in report.findings] == ["CK-FILE-001"]
    assert not report.ok
    assert loaded.dataset is dataset
    assert loaded.report is report


@pytest.mark.parametrize(
    ("source", "where"),
    [(b"not a dataset", "<upload>"), ("nowhere/at/all", "nowhere/at/all")],
    ids=["bytes", "missing-path"],
)
def test_a_lenient_load_names_what_cannot_be_opened(source: Source, where: str) -> None:
    """The CK-FILE-001 of an unopenable source names it as validate does."""
    report = ck.load_dataset(source, errors="report").report
    assert only(report, "CK-FILE-001").location.file == where
    assert report.sources == (where,)
    assert ck.validate(source, as_of=AS_OF).findings[0].location.file == where


def test_only_a_json_document_places_findings_at_their_field(tmp_path: Path) -> None:
    """`OpenSource.place` moves a JSON document's locations; other sources' stay."""
    where = ck.Location(file="x", line=2, pointer="/clusters/0/id", field="id")
    with ck.io.open_source(BASE) as folder:
        assert folder.place([where], {}) == {}
    with ck.io.open_source(ck.load_dataset(BASE)) as records:
        assert records.place([where], {}) == {}
    path = tmp_path / "data.json"
    ck.dump_dataset(ck.load_dataset(FK_001), path)
    report = ck.validate(path, as_of=AS_OF, select=["CK-FK-001"])
    assert report.findings
    for finding in report.findings:
        line = path.read_text("utf-8").splitlines()[(finding.location.line or 0) - 1]
        column = finding.location.column or 0
        assert line[column - 1 :].startswith('"partnership":')


# A mapping may hold any Python value: what no file can (sets, bytes, Decimal
# specials that do not hash) must give findings, never an exception.
_ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 10**12),
    st.floats(allow_nan=True),
    st.sampled_from(
        [Decimal("sNaN"), Decimal("NaN"), Decimal("1.5"), Decimal("-Infinity")]
    ),
    st.text(max_size=5),
    st.binary(max_size=3),
    st.builds(bytearray, st.binary(max_size=3)),
    st.sets(st.text(max_size=3), max_size=2),
    st.frozensets(st.integers(0, 3), max_size=2),
    st.lists(
        st.one_of(
            st.text(max_size=3),
            st.sets(st.integers(0, 2), max_size=1),
            st.just(Decimal("sNaN")),
        ),
        max_size=2,
    ),
    st.dates(),
    st.just(dt.datetime(2020, 1, 1)),  # noqa: DTZ001 - a naive value, as a record may hold
)
_CLUSTER_FIELDS = st.sampled_from(
    ["name", "country", "members_total", "sectors", "ecosystems", "website", "kind"]
)
_VALUE_RULES = ("CK-TYPE", "CK-ENUM", "CK-COUNTRY-00", "CK-COUNT-")


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.dictionaries(_CLUSTER_FIELDS, _ODD_VALUES, max_size=4),
        min_size=1,
        max_size=3,
    )
)
def test_a_mapping_of_any_values_validates_as_it_loads(
    rows: list[dict[str, Any]],
) -> None:
    """`validate` and `compute_kpis` never raise; they refuse what the lenient load does."""
    records = [
        {"id": f"C{number}", "name": "n", "country": "DE", **row}
        for number, row in enumerate(rows)
    ]
    source = {"clusters": records}
    report = ck.validate(source, as_of=AS_OF)
    ck.compute_kpis(source, as_of=AS_OF)
    loaded = ck.load_dataset(source, errors="report")

    def values_refused(findings: Iterable[ck.Finding]) -> set[tuple[str, str | None]]:
        return {
            (f.rule, f.location.pointer)
            for f in findings
            if f.rule.startswith(_VALUE_RULES)
        }

    assert values_refused(report.findings) == values_refused(loaded.report.findings)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("grant_eur", Decimal("sNaN")),
        ("name", {"a"}),
        ("name", frozenset({1})),
        ("grant_eur", bytearray(b"\xff")),
    ],
)
def test_a_value_that_does_not_hash_is_a_finding(field: str, value: object) -> None:
    """Decimal('sNaN') or a set in a record: CK-TYPE-001 at the cell, as loading says."""
    record = {"id": "P1", "acronym": "A", "name": "n", "generation": "escp-4i-1"}
    source = {"partnerships": [{**record, field: value}]}
    (finding,) = [
        f for f in ck.validate(source, as_of=AS_OF).findings if f.rule == "CK-TYPE-001"
    ]
    assert finding.location.pointer == f"/partnerships/0/{field}"


@pytest.mark.parametrize(("number", "code"), [(276, "DE"), (4, "AF")])
def test_a_country_given_as_a_number_is_its_numeric_code(
    number: int, code: str
) -> None:
    """276 in a country cell (a workbook cell typed as a number) is Germany everywhere."""
    source = {"clusters": [{"id": "C1", "name": "n", "country": number}]}
    report = ck.validate(source, as_of=AS_OF, ignore="CK-ORPHAN-001")
    assert report.findings == ()
    assert ck.load_dataset(source).clusters[0].country == code
