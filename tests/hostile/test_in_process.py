"""Hostile values read in this process, so that every reader's branch is seen.

The other hostile tests run the command line in a child process, to measure its
time and memory; these read the same kinds of values with `validate` and
`load_dataset` here, through the JSON document, the JSON Lines lenient reader
(column at a time and a row at a time) and the strict readers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import clusterkit as ck
from clusterkit.io import _limits

AS_OF = dt.date(2026, 1, 1)
SME = {"id": "S1", "name": "Acme", "country": "DE"}


def document(tmp_path: Path, sme: dict[str, Any] | str) -> Path:
    """A JSON document whose one SME is `sme` (an object or raw JSON text)."""
    text = sme if isinstance(sme, str) else json.dumps(sme)
    path = tmp_path / "data.json"
    path.write_text('{"smes": [' + text + "]}\n", encoding="utf-8")
    return path


def lines(tmp_path: Path, *records: str, newline: str = "\n") -> Path:
    """A JSON Lines folder whose smes.jsonl holds these raw lines."""
    folder = tmp_path / "data"
    folder.mkdir()
    text = newline.join(records) + newline
    (folder / "smes.jsonl").write_bytes(text.encode("utf-8"))
    return folder


def crlf_lines(tmp_path: Path, *records: str) -> Path:
    """`lines`, each ending in CR LF as written on Windows."""
    return lines(tmp_path, *records, newline="\r\n")


def rules(source: Path, **options: Any) -> list[tuple[str, str | None]]:
    """The rule and field of each finding of `validate`, leaving out orphans."""
    report = ck.validate(source, as_of=AS_OF, ignore="CK-ORPHAN", **options)
    return [(f.rule, f.location.field) for f in report.findings]


DEEP = (
    '{"id": "S1", "name": "Acme", "country": "DE", "clusters": [[[[[[[[["x"]]]]]]]]]}'
)
TWICE = '{"id": "S1", "name": "First", "name": "Second", "country": "DE"}'
SURROGATE = '{"id": "S1", "name": "A\\ud800", "country": "DE"}'
# A key given twice, once with white space before its colon.
TWICE_SPACED = '{"id": "S1", "name" : "First", "name": "Second", "country": "DE"}'
TWICE_TAB = '{"id": "S1", "name"\t: "First", "name": "Second", "country": "DE"}'
# A list where a text belongs, and a list in a list.
LISTED = '{"id": "S1", "name": ["Acme"], "country": "DE"}'
NESTED = '{"id": "S1", "name": "Acme", "country": "DE", "clusters": [["C1"]]}'
# Brackets in text, which are no nesting.
BRACKETS = '{"id": "S1", "name": "Acme {GmbH} [DE]", "country": "DE"}'
LONG = json.dumps({"id": "S1", "name": "x" * 50, "country": "DE"})


@pytest.mark.parametrize("form", ["document", "lines", "crlf-lines"])
def test_hostile_records_are_located_findings(tmp_path: Path, form: str) -> None:
    """Nesting, a key twice, a surrogate and a long text: one finding each."""
    makers: dict[str, Callable[[Path, str], Path]] = {
        "document": document,
        "lines": lines,
        "crlf-lines": crlf_lines,
    }
    make = makers[form]
    cases = {
        DEEP: [("CK-ROW-001", None)],
        NESTED: [("CK-TYPE-001", "clusters")],
        LISTED: [("CK-TYPE-001", "name")],
        TWICE: [("CK-HDR-004", "name")],
        TWICE_SPACED: [("CK-HDR-004", "name")],
        TWICE_TAB: [("CK-HDR-004", "name")],
        SURROGATE: [("CK-TYPE-001", "name")],
        BRACKETS: [],
    }
    for number, (raw, expected) in enumerate(cases.items()):
        folder = tmp_path / str(number)
        folder.mkdir()
        assert rules(make(folder, raw)) == expected, raw
    folder = tmp_path / "long"
    folder.mkdir()
    found = rules(make(folder, LONG), limits=ck.Limits(max_cell_chars=10))
    assert ("CK-TYPE-001", "name") in found


def test_brackets_in_text_are_read_as_text(tmp_path: Path) -> None:
    """A `{` or `[` in a text is no nested value: the record reads as it is."""
    flat = json.dumps({**SME, "id": "S2"})
    loaded = ck.load_dataset(lines(tmp_path, BRACKETS, flat))
    assert [sme.name for sme in loaded.smes] == ["Acme {GmbH} [DE]", "Acme"]


def test_json_lines_mixed_with_hostile_lines_read_row_by_row(tmp_path: Path) -> None:
    """A clean record beside a hostile one: both readers agree on what they keep."""
    folder = lines(tmp_path, json.dumps(SME), TWICE.replace("S1", "S2"), DEEP)
    loaded, report = ck.load_dataset(folder, errors="report")
    assert [sme.id for sme in loaded.smes] == ["S1"]
    assert {f.rule for f in report.findings} >= {"CK-HDR-004", "CK-ROW-001"}
    assert ("CK-HDR-004", "name") in rules(folder)


def test_a_document_nested_beyond_the_decoder_is_unreadable(tmp_path: Path) -> None:
    """Nesting that would exhaust the decoder's recursion is CK-FILE-001, located."""
    path = document(
        tmp_path, '{"id": "S1", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )
    assert rules(path) == [("CK-FILE-001", None)]


def test_a_quote_that_starts_no_string_is_passed_over(tmp_path: Path) -> None:
    """A finding placed in a document with a broken string before its field."""
    text = '{"id": "S1", "name": "Acme", "country": "Neverland"}'
    path = document(tmp_path, text)
    assert rules(path) == [("CK-COUNTRY-001", "country")]
    # A bad escape: that quote starts no string; the scan goes on after it.
    tokens = _limits_tokens('"\\x" "name"')
    assert tokens
    assert tokens[0][0] != 0  # not the quote at 0, whose string does not scan


def _limits_tokens(text: str) -> list[tuple[int, str, str]]:
    from clusterkit.io._formats import json_document  # noqa: PLC0415 - its private scanner

    return list(json_document._tokens(text, 0))


def test_the_checks_of_values() -> None:
    """Depth, longest text and surrogates are found in lists and objects alike."""
    assert _limits.nesting({"a": [1, {"b": 2}]}, 8) == 3
    assert _limits.nesting([[[[1]]]], 2) == 3
    assert _limits.longest_text({"a": ["xy", {"b": "xyz"}]}) == 3
    assert _limits.lone_surrogate({"a": ["ok", "\ud800"]}) == "\ud800"
    assert _limits.lone_surrogate(["fine"]) is None
    assert _limits._replaced(["a\ud800", 1]) == ["a\ufffd", 1]
    assert _limits._replaced(5) == 5
    assert _limits.json_int("1" * 5_000) == "1" * 5_000
    assert _limits.json_int("42") == 42
    pairs = _limits.object_pairs([("a", 1), ("a", 2), ("b", 3)])
    assert isinstance(pairs, _limits.Pairs)
    assert pairs.duplicates == ("a",)
    assert _limits.object_pairs([("a", 1)]) == {"a": 1}


def test_a_number_across_the_reading_block_is_read_whole(tmp_path: Path) -> None:
    """A value that ends where a block of the file ends may go on: read on."""
    from clusterkit.io._formats import json_document  # noqa: PLC0415 - its block size

    head = '{"smes": '
    padding = " " * (json_document._CHUNK - len(head) - 3)
    path = tmp_path / "data.json"
    path.write_text(head + padding + "123456}\n", encoding="utf-8")
    report = ck.validate(path, as_of=AS_OF)
    (finding,) = report.findings
    assert finding.rule == "CK-FILE-001"
    assert "must be an array of objects, got a number" in finding.message


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("raw", [TWICE, TWICE_SPACED, TWICE_TAB, LONG, DEEP])
def test_the_strict_readers_refuse_a_hostile_line_after_clean_ones(
    tmp_path: Path, raw: str, newline: str
) -> None:
    """Past the first line, each line takes the fast way: it refuses the same lines.

    Blank lines are skipped but counted, so the error names the line an editor shows.
    """
    clean = json.dumps({**SME, "id": "S0"})
    folder = lines(tmp_path, clean, "", "  ", raw.replace("S1", "S2"), newline=newline)
    limits = ck.Limits(max_cell_chars=10) if raw == LONG else None
    with pytest.raises(ck.DatasetReadError) as raised:
        ck.load_dataset(folder, limits=limits)
    assert raised.value.location is not None
    assert raised.value.location.line == 4
    path = folder / "smes.jsonl"
    read = ck.iter_records(path, ck.SME, limits=limits)
    assert next(read)[1].line == 1
    with pytest.raises(ck.DatasetReadError) as again:
        next(read)
    assert str(again.value) == str(raised.value)


def test_the_strict_reader_numbers_lines_as_an_editor_does(tmp_path: Path) -> None:
    """A byte order mark, blank lines and lone carriage returns, as `_lines` reads them."""
    records = [json.dumps({**SME, "id": f"S{n}"}) for n in range(4)]
    text = "\ufeff" + records[0] + "\n\n" + records[1] + "\r" + records[2] + "\n \n"
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "smes.jsonl").write_text(text + records[3] + "\n", encoding="utf-8")
    read = ck.iter_records(folder / "smes.jsonl", ck.SME)
    assert [(sme.id, where.line) for sme, where in read] == [
        ("S0", 1),
        ("S1", 3),
        ("S2", 4),
        ("S3", 6),
    ]
