"""Hostile workbooks: bounded, safe and honest on any `.xlsx` input.

Each workbook is built at test time with `zipfile` (none is stored). A small one
crosses the same limit as its large original (gigabytes of whitespace, hundreds
of millions of rows or shared strings, tens of thousands of sheets) once the
limit is lowered (`--max-rows`, `clusterkit.Limits(max_rows=...)`, …). The command line runs in a
child of a child: the middle process measures the time and peak memory of the
command alone with `resource.getrusage(RUSAGE_CHILDREN)`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit.io import UNREADABLE
from clusterkit.io._formats.xlsx_workbook import read_rows
from clusterkit.io._member import Member
from clusterkit.io._xlsx_parts import (
    SheetRow,
    SpreadsheetError,
    _Bounded,
    column_number,
    open_workbook,
)

AS_OF = "2026-01-01"
MAX_SECONDS = 10
MAX_MEGABYTES = 300

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET = f"{RELATIONSHIPS}/worksheet"
CLUSTERS_HEADER = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>name</t></is></c></row>'
)


def sheet_xml(
    rows: str = CLUSTERS_HEADER, before: str = "", dimension: str = ""
) -> str:
    """A worksheet's XML around its rows."""
    extent = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{before}'
        f'<worksheet xmlns="{MAIN}">{extent}<sheetData>{rows}</sheetData></worksheet>'
    )


def workbook(
    sheets: Mapping[str, str | bytes] | None = None,
    *,
    shared_strings: str | bytes | None = None,
    listed: list[str] | None = None,
    workbook_xml: str | None = None,
) -> bytes:
    """A workbook of these sheets' XML, by name (the `clusters` header alone by default).

    `listed` names sheets the workbook lists without a part.
    """
    sheets = {"clusters": sheet_xml()} if sheets is None else sheets
    entries, relations = [], []
    parts: dict[str, str | bytes] = {}
    for number, (name, xml) in enumerate(sheets.items(), start=1):
        entries.append(f'<sheet name="{name}" sheetId="{number}" r:id="rId{number}"/>')
        relations.append(
            f'<Relationship Id="rId{number}" Type="{WORKSHEET}" '
            f'Target="worksheets/sheet{number}.xml"/>'
        )
        parts[f"xl/worksheets/sheet{number}.xml"] = xml
    for number, name in enumerate(listed or (), start=len(sheets) + 1):
        entries.append(f'<sheet name="{name}" sheetId="{number}" r:id="rId{number}"/>')
    if shared_strings is not None:
        parts["xl/sharedStrings.xml"] = shared_strings
    parts["xl/workbook.xml"] = workbook_xml or (
        f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        f"<sheets>{''.join(entries)}</sheets></workbook>"
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships">{"".join(relations)}</Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def strings_xml(count: int) -> str:
    """A shared-string table of `count` strings."""
    items = "<si><t>x</t></si>" * count
    return f'<?xml version="1.0"?><sst xmlns="{MAIN}">{items}</sst>'


# The middle process: runs the command, then prints its exit code, output, time
# and peak memory (ru_maxrss is in KiB on Linux) as JSON.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=False)
seconds = time.monotonic() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr,
                  "seconds": seconds, "megabytes": peak}))
"""


def validate_cli(path: Path, limits: str = "") -> dict[str, object]:
    """`clusterkit validate PATH --format json` in a child process, measured.

    `limits` is `name=value,…` of `clusterkit.Limits`, given as `--name value`.
    """
    command = [sys.executable, "-m", "clusterkit", "validate", str(path)]
    command += ["--as-of", AS_OF, "--format", "json"]
    for setting in filter(None, limits.split(",")):
        name, _, value = setting.partition("=")
        command += ["--" + name.replace("_", "-"), value.replace("_", "")]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        capture_output=True,
        text=True,
        check=True,
    )
    measured: dict[str, object] = json.loads(done.stdout)
    assert measured["err"] == ""
    assert measured["code"] == 1, measured
    assert measured["seconds"] < MAX_SECONDS, measured["seconds"]  # type: ignore[operator]
    assert measured["megabytes"] < MAX_MEGABYTES, measured["megabytes"]  # type: ignore[operator]
    return measured


def findings(measured: dict[str, object], rule: str) -> list[dict[str, object]]:
    """The findings of a rule in the JSON report of a measured run."""
    report = json.loads(str(measured["out"]))
    return [item for item in report["findings"] if item["rule"] == rule]


def unreadable(measured: dict[str, object]) -> str:
    """The message of the one `CK-FILE-001` finding of a run."""
    (finding,) = findings(measured, UNREADABLE.id)
    return str(finding["message"])


def write(tmp_path: Path, data: bytes) -> Path:
    """Write a workbook to a file of its own."""
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    return path


def test_whitespace_that_inflates_a_thousand_times_is_refused(tmp_path: Path) -> None:
    """A sheet of whitespace inflating over `max_inflate_ratio` is refused from the directory."""
    rows = CLUSTERS_HEADER + " " * (24 << 20)
    path = write(tmp_path, workbook({"clusters": sheet_xml(rows)}))
    message = unreadable(validate_cli(path))
    assert "xl/worksheets/sheet1.xml inflates to 25,166," in message
    assert "(a zip bomb?); the limit max_inflate_ratio is 1,000" in message
    assert "--max-inflate-ratio or clusterkit.Limits(max_inflate_ratio=...)" in message


def test_a_part_larger_than_max_member_bytes_is_refused(tmp_path: Path) -> None:
    """A sheet larger than `max_member_bytes` is refused before it is parsed."""
    rows = CLUSTERS_HEADER + " " * (24 << 20)
    path = write(tmp_path, workbook({"clusters": sheet_xml(rows)}))
    measured = validate_cli(path, "max_member_bytes=8_000_000,max_inflate_ratio=100000")
    message = unreadable(measured)
    assert "the part xl/worksheets/sheet1.xml would inflate to 25,1" in message
    assert "the limit max_member_bytes is 8,000,000" in message


def test_too_many_rows_stop_at_max_rows(tmp_path: Path) -> None:
    """Rows past `max_rows` stop the reading where they start, with a finding."""
    rows = CLUSTERS_HEADER + "".join(f'<row r="{n}"/>' for n in range(2, 300_000))
    path = write(tmp_path, workbook({"clusters": sheet_xml(rows)}))
    (finding,) = findings(validate_cli(path, "max_rows=100000"), UNREADABLE.id)
    assert finding["location"] == {
        "file": str(path),
        "line": 100_001,
        "column": None,
        "sheet": "clusters",
        "cell": None,
        "pointer": None,
        "field": None,
    }
    assert "the sheet 'clusters' has more than 100,000 rows" in str(finding["message"])
    assert "(raise the limit with --max-rows or" in str(finding["message"])


def test_too_many_shared_strings_stop_at_max_shared_strings(tmp_path: Path) -> None:
    """A shared-string table past `max_shared_strings` is a finding, not memory."""
    path = write(tmp_path, workbook(shared_strings=strings_xml(300_000)))
    message = unreadable(validate_cli(path, "max_shared_strings=100000"))
    assert "more than 100,000 shared strings" in message


def test_a_row_two_billion_lines_down_is_one_row(tmp_path: Path) -> None:
    """A row numbered 2,000,000,000 is read as that line; no row is made up."""
    far = (
        '<row r="2000000000"><c r="A2000000000" t="inlineStr"><is><t>C1</t></is></c>'
        "</row>"
    )
    sheet = sheet_xml(CLUSTERS_HEADER + far, dimension="A1:XFD1048576")
    measured = validate_cli(write(tmp_path, workbook({"clusters": sheet})))
    report = json.loads(str(measured["out"]))
    lines = {item["location"]["line"] for item in report["findings"]}
    assert lines == {None, 2_000_000_000}


def test_a_dimension_over_the_whole_sheet_reads_only_its_cells(tmp_path: Path) -> None:
    """A dimension of A1:XFD1048576 with one cell reads one cell."""
    sheet = sheet_xml(CLUSTERS_HEADER, dimension="A1:XFD1048576")
    measured = validate_cli(write(tmp_path, workbook({"clusters": sheet})))
    assert findings(measured, UNREADABLE.id) == []


def test_a_cell_past_max_columns_is_a_finding(tmp_path: Path) -> None:
    """A cell in a column past `max_columns` is a finding at its row."""
    row = '<row r="2"><c r="ZZ2"><v>1</v></c></row>'
    sheet = sheet_xml(CLUSTERS_HEADER + row)
    message = unreadable(
        validate_cli(write(tmp_path, workbook({"clusters": sheet})), "max_columns=100")
    )
    assert "has a cell in column 702; the limit max_columns is 100" in message


def test_thousands_of_empty_sheets_are_refused(tmp_path: Path) -> None:
    """More sheets than `max_sheets` are refused from the directory."""
    sheets = {f"s{n}": sheet_xml("") for n in range(3_000)}
    message = unreadable(validate_cli(write(tmp_path, workbook(sheets))))
    assert message.startswith("the workbook has 3,000 sheets; the limit max_sheets")


def test_sheets_listed_without_parts_count_too(tmp_path: Path) -> None:
    """Sheets the workbook lists count against `max_sheets` even without a part."""
    data = workbook(listed=[f"s{n}" for n in range(20)])
    message = unreadable(validate_cli(write(tmp_path, data), "max_sheets=10"))
    assert message.startswith("the workbook has more than 10 sheets")


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            workbook({"clusters": sheet_xml()[:-40]}),
            "the workbook's XML is broken (",
            id="truncated-sheet",
        ),
        pytest.param(
            workbook(workbook_xml=f'<workbook xmlns="{MAIN}"><sheets><sheet name="c'),
            "the workbook's XML is broken (unclosed token",
            id="truncated-workbook",
        ),
        pytest.param(
            workbook({"clusters": BILLION_LAUGHS + sheet_xml()[21:]}),
            "refused: the workbook's XML declares a DTD or an entity",
            id="billion-laughs",
        ),
        pytest.param(
            workbook(
                workbook_xml=EXTERNAL + f'<workbook xmlns="{MAIN}">&ext;</workbook>'
            ),
            "refused: the workbook's XML declares a DTD or an entity",
            id="external-entity",
        ),
    ],
)
def test_broken_workbook_xml_is_a_finding(
    tmp_path: Path, data: bytes, expected: str
) -> None:
    """Broken or hostile XML is one `CK-FILE-001`, never a traceback."""
    message = unreadable(validate_cli(write(tmp_path, data)))
    assert expected in message
    report = ck.validate(io.BytesIO(data), as_of=dt.date(2026, 1, 1))
    (finding,) = [f for f in report.findings if f.rule == UNREADABLE.id]
    assert expected in finding.message


def test_a_corrupt_deflate_stream_is_a_finding(tmp_path: Path) -> None:
    """A sheet whose compressed bytes are damaged is a damaged file, not zlib.error."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 5000)
    )
    data = bytearray(workbook({"clusters": sheet_xml(CLUSTERS_HEADER + rows)}))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 100, start + 140):
        data[offset] ^= 0x5A
    message = unreadable(validate_cli(write(tmp_path, bytes(data))))
    assert message.startswith("the file is damaged (")


def test_two_sheets_for_one_table_are_a_finding() -> None:
    """A second sheet for a table is CK-HDR-005 and is not read; the first is."""
    row = '<row r="2"><c r="A2" t="inlineStr"><is><t>C1</t></is></c></row>'
    data = workbook(
        {"clusters": sheet_xml(CLUSTERS_HEADER + row), "Clusters ": sheet_xml()}
    )
    report = ck.validate(io.BytesIO(data), as_of=dt.date(2026, 1, 1))
    (finding,) = [item for item in report.findings if item.rule == "CK-HDR-005"]
    assert finding.message == (
        "the sheets 'clusters' and 'Clusters ' both hold the clusters table; only "
        "'clusters' was read"
    )
    assert finding.location.sheet == "Clusters "


def test_a_bounded_stream_counts_what_it_inflates() -> None:
    """The counter around a member stops past its bytes, then past its ratio."""
    info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
    info.compress_size = 1_000
    small = ck.Limits(max_member_bytes=10)
    assert _Bounded(io.BytesIO(), info, "w.xlsx", small).readable()
    with (
        _Bounded(io.BytesIO(b"x" * 64), info, "w.xlsx", small) as stream,
        pytest.raises(ck.DatasetReadError, match="inflates to more than 10 bytes"),
    ):
        stream.read(64)
    steep = ck.Limits(max_inflate_ratio=2)
    data = io.BytesIO(b"x" * (3 << 20))
    with (
        _Bounded(data, info, "w.xlsx", steep) as stream,
        pytest.raises(ck.DatasetReadError, match="a zip bomb"),
    ):
        stream.read()


def _valid_bytes() -> bytes:
    import tempfile  # noqa: PLC0415 - only here

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "example.xlsx"
        ck.dump_dataset(ck.load_example(), path)
        return path.read_bytes()


_VALID = _valid_bytes()


@given(cut=st.integers(min_value=0, max_value=len(_VALID) - 1))
def test_a_truncated_workbook_never_raises(cut: int) -> None:
    """A workbook cut anywhere is read into a report, never an exception."""
    ck.validate(io.BytesIO(_VALID[:cut]), format="xlsx", as_of=dt.date(2026, 1, 1))


@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(_VALID) - 1), st.integers(1, 255)),
        min_size=1,
        max_size=8,
    )
)
def test_a_corrupted_workbook_never_raises(edits: list[tuple[int, int]]) -> None:
    """A workbook with bytes flipped anywhere is read into a report, never an exception."""
    data = bytearray(_VALID)
    for offset, flip in edits:
        data[offset] ^= flip
    ck.validate(io.BytesIO(bytes(data)), format="xlsx", as_of=dt.date(2026, 1, 1))


STYLES = (
    f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="46"/>'
    '<xf numFmtId="14"/></cellXfs></styleSheet>'
)


def with_parts(data: bytes, parts: Mapping[str, str]) -> bytes:
    """A workbook with parts added (the styles, the shared strings)."""
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def sheet_rows(data: bytes, limits: ck.Limits | None = None) -> list[SheetRow]:
    """The rows of the first sheet of a workbook, as the reader gives them."""
    opened = open_workbook(io.BytesIO(data), "w.xlsx", limits or ck.Limits())
    try:
        return list(opened.rows(opened.sheets[0]))
    finally:
        opened.archive.close()


def test_each_kind_of_cell_is_read_as_its_value() -> None:
    """Numbers, dates, durations, texts, booleans, errors and formulas read as values."""
    cells = (
        '<row r="3"><c r="A3"><v>12</v></c><c r="B3"><v>1.5</v></c>'
        '<c r="C3" s="1"><v>43831</v></c><c r="D3" s="2"><v>0.5</v></c>'
        '<c r="E3" s="3"><v>1e300</v></c><c t="b"><v>1</v></c>'
        '<c t="e"><v>#N/A</v></c><c t="str"><f>"a"</f><v>a</v></c>'
        '<c t="d"><v>2020-01-02</v></c><c t="s"><v>0</v></c>'
        '<c t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r>'
        "<rPh><t>phonetic</t></rPh></is></c><c><f>1+1</f></c><c><f>2+2</f></c>"
        "<c/></row><row><c><v>7</v></c></row>"
    )
    strings = (
        f'<?xml version="1.0"?><sst xmlns="{MAIN}"><si><r><t>sha</t></r><r><t>red</t>'
        "</r><rPh><t>x</t></rPh></si></sst>"
    )
    book = workbook_xml_1904()
    data = with_parts(
        workbook({"clusters": sheet_xml(cells)}, workbook_xml=book),
        {"xl/styles.xml": STYLES, "xl/sharedStrings.xml": strings},
    )
    (row, following) = sheet_rows(data)
    assert row == (
        3,
        {
            1: 12,
            2: 1.5,
            3: dt.datetime(2024, 1, 2),  # noqa: DTZ001 - a workbook's dates are naive
            4: dt.timedelta(hours=12),
            5: "#VALUE!",
            6: True,
            7: SpreadsheetError("#N/A"),  # reported at its cell by the reader
            8: "a",
            9: dt.date(2020, 1, 2),
            10: "shared",
            11: "inline",
        },
        (12, "=1+1"),
    )
    assert following == (4, {1: 7}, None)


def workbook_xml_1904() -> str:
    """A workbook part of one sheet, `clusters`, on the 1904 calendar."""
    return (
        f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
        '<workbookPr date1904="1"/><sheets>'
        '<sheet name="clusters" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )


def test_an_absolute_relationship_target_is_read() -> None:
    """A relationship's target may be given from the archive's root."""
    data = workbook().replace(
        b'Target="worksheets/sheet1.xml"', b'Target="/xl/worksheets/sheet1.xml"'
    )
    ((line, cells, _),) = sheet_rows(data)
    assert (line, cells) == (1, {1: "id", 2: "name"})


LIMITS = [
    pytest.param(
        workbook({"clusters": sheet_xml(CLUSTERS_HEADER + " " * (2 << 20))}),
        "max_inflate_ratio=2",
        "the part xl/worksheets/sheet1.xml inflates to 2,097,",
        id="ratio",
    ),
    pytest.param(
        workbook(), "max_member_bytes=100", "would inflate to", id="member-bytes"
    ),
    pytest.param(
        workbook({f"s{n}": sheet_xml("") for n in range(3)}),
        "max_sheets=2",
        "the workbook has 3 sheets",
        id="sheets",
    ),
    pytest.param(
        workbook(listed=["a", "b", "c"]),
        "max_sheets=3",
        "the workbook has more than 3 sheets",
        id="listed-sheets",
    ),
    pytest.param(
        workbook(shared_strings=strings_xml(20)),
        "max_shared_strings=10",
        "more than 10 shared strings",
        id="shared-strings",
    ),
    pytest.param(
        workbook({"clusters": sheet_xml(CLUSTERS_HEADER + "<row/><row/>")}),
        "max_rows=2",
        "the sheet 'clusters' has more than 2 rows",
        id="rows",
    ),
    pytest.param(workbook(), "max_columns=1", "has a cell in column 2", id="columns"),
    pytest.param(
        workbook(),
        "max_cell_chars=3",
        "the cell clusters!B1 holds more than 3 characters",
        id="cell-chars",
    ),
    pytest.param(
        workbook(shared_strings=strings_xml(1).replace("x", "xxxx")),
        "max_cell_chars=3",
        "a shared string holds more than 3 characters",
        id="shared-string-chars",
    ),
]


@pytest.mark.parametrize(("data", "setting", "expected"), LIMITS)
def test_each_limit_is_a_finding(data: bytes, setting: str, expected: str) -> None:
    """Each limit crossed is one `CK-FILE-001` naming it and how to raise it."""
    name, _, value = setting.partition("=")
    limits = ck.Limits(**{name: int(value)})
    report = ck.validate(io.BytesIO(data), as_of=dt.date(2026, 1, 1), limits=limits)
    (message,) = [f.message for f in report.findings if f.rule == UNREADABLE.id]
    assert expected in message
    option = "--" + name.replace("_", "-")
    assert (
        f"the limit {name} is {int(value):,} (raise the limit with {option}" in message
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            workbook({"clusters": sheet_xml('<row><c r="a1"><v>1</v></c></row>')}),
            "'a1' is not a cell reference",
            id="reference",
        ),
        pytest.param(
            workbook({"clusters": sheet_xml('<row><c s="x"><v>1</v></c></row>')}),
            "'x' where the workbook's XML needs a whole number",
            id="style",
        ),
        pytest.param(
            workbook({"clusters": sheet_xml('<row><c t="s"><v>5</v></c></row>')}),
            "the cell clusters!A1 holds '5', which is not a valid 's' value",
            id="shared-string",
        ),
        pytest.param(
            workbook({"clusters": sheet_xml("<row><c><v>x</v></c></row>")}),
            "holds 'x', which is not a valid 'n' value",
            id="number",
        ),
        pytest.param(
            workbook().replace(b"worksheets/sheet1.xml", b"worksheets/sheet9.xml"),
            "names the part xl/worksheets/sheet1.xml, which the archive does not hold",
            id="missing-part",
        ),
        pytest.param(
            b"PK\x03\x04 not a zip", "not a readable .xlsx workbook", id="zip"
        ),
    ],
)
def test_a_malformed_workbook_is_a_finding(data: bytes, expected: str) -> None:
    """A workbook whose parts are not what the format says is one `CK-FILE-001`."""
    report = ck.validate(io.BytesIO(data), format="xlsx", as_of=dt.date(2026, 1, 1))
    (message,) = [f.message for f in report.findings if f.rule == UNREADABLE.id]
    assert expected in message


def test_a_table_sheet_without_a_part_is_a_finding() -> None:
    """A table's sheet that the workbook lists without a part is not read as empty."""
    data = workbook({}, listed=["clusters"])
    report = ck.validate(io.BytesIO(data), as_of=dt.date(2026, 1, 1))
    (message,) = [f.message for f in report.findings if f.rule == UNREADABLE.id]
    assert message.startswith(
        "not a readable .xlsx workbook (the sheet 'clusters' names no part of the "
        "archive)"
    )


def test_the_letters_of_a_column_make_its_number() -> None:
    """Column letters are numbered as Excel numbers them."""
    assert [column_number(letters) for letters in ("A", "Z", "AA", "XFD")] == [
        1,
        26,
        27,
        16_384,
    ]


with zipfile.ZipFile(io.BytesIO(_VALID)) as _archive:
    _PARTS = {name: _archive.read(name) for name in _archive.namelist()}


@given(
    name=st.sampled_from(sorted(_PARTS)),
    cut=st.floats(0, 1),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from(list(b'<>&"= /09abrtvs\x00\xff;#'))),
        max_size=5,
    ),
)
def test_a_workbook_with_broken_xml_never_raises(
    name: str, cut: float, edits: list[tuple[float, int]]
) -> None:
    """A part whose XML is cut or has characters changed gives a report, never an exception."""
    part = bytearray(_PARTS[name][: max(1, int(len(_PARTS[name]) * cut))])
    for where, byte in edits:
        part[int(where * (len(part) - 1))] = byte
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for other, data in _PARTS.items():
            archive.writestr(other, bytes(part) if other == name else data)
    ck.validate(buffer, format="xlsx", as_of=dt.date(2026, 1, 1))


def test_blank_text_cells_are_not_given() -> None:
    """A header cell or a value of spaces only is no column and no value."""
    header = CLUSTERS_HEADER.replace(
        "</row>", '<c r="C1" t="inlineStr"><is><t>  </t></is></c></row>'
    )
    row = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>C1</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t> </t></is></c></row>'
    )
    data = workbook({"clusters": sheet_xml(header + row)})
    member = Member("w.xlsx", lambda: io.BytesIO(data))
    (record,) = read_rows(member, "clusters", report=lambda *_, **__: None)
    assert (record.values, record.columns) == ({"id": "C1"}, {"id": 1, "name": 2})
