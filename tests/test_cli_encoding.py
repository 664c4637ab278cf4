"""Output to a stream whose encoding cannot hold every character: escaped, never an error."""

from __future__ import annotations

import io
import json
import shutil
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from clusterkit import cli
from clusterkit.cli import _encoding

BASE = Path(__file__).parent / "data" / "valid" / "base"


def run_on(
    monkeypatch: pytest.MonkeyPatch, encoding: str, *argv: str
) -> tuple[int, str, io.TextIOWrapper]:
    """Run the CLI with stdout a text stream in `encoding`: exit code, bytes as text, stream."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, newline="\n")
    monkeypatch.setattr(sys, "stdout", stream)
    code = cli.main(list(argv))
    stream.flush()
    return code, raw.getvalue().decode(encoding), stream


@pytest.mark.parametrize("encoding", ["ascii", "cp1252", "latin-1"])
def test_a_name_the_encoding_cannot_write_is_escaped(
    monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    r"""`country Россия` to an ASCII or cp1252 stdout: the name as \u escapes, exit 0."""
    code, out, stream = run_on(monkeypatch, encoding, "country", "Россия")
    assert code == 0
    assert "\\u0420\\u043e\\u0441\\u0441\\u0438\\u044f" in out
    assert "Russian Federation" in out
    assert stream.errors == "strict"  # set back after the run


def test_json_output_stays_json_with_the_same_text(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A report quoting text beyond ASCII and beyond the BMP decodes to the same JSON."""
    folder = _edited_base(tmp_path)
    argv = ("validate", str(folder), "--format", "json", "--as-of", "2026-01-01")
    code, ascii_out, _ = run_on(monkeypatch, "ascii", *argv)
    assert code == 1
    assert ascii_out.isascii()
    assert "\\ud83d\\ude00\\u00f6" in ascii_out
    _, utf8_out, _ = run_on(monkeypatch, "utf-8", *argv)
    assert "P😀ö" in utf8_out
    assert json.loads(ascii_out) == json.loads(utf8_out)


def _edited_base(tmp_path: Path) -> Path:
    """The base dataset with ids beyond ASCII: P2 is 'P😀2', and an activity's 'P😀ö' is nowhere."""
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    activities = folder / "activities.csv"
    text = activities.read_text(encoding="utf-8")
    activities.write_text(text.replace("P1,", "P😀ö,", 1), encoding="utf-8")
    # And the partnership P2 as 'P😀2', in every table, so KPIs name it too.
    for table in ("partnerships", "targets", "activities"):
        path = folder / f"{table}.csv"
        path.write_text(
            path.read_text(encoding="utf-8").replace("P2", "P😀2"), encoding="utf-8"
        )
    return folder


@pytest.mark.parametrize(
    ("argv", "parse"),
    [
        (("validate", "{data}", "--format", "sarif"), json.loads),
        (("validate", "{data}", "--format", "junit"), ET.canonicalize),
        (("kpis", "{data}", "--format", "json", "--by", "partnership"), json.loads),
        (("country", "Côte d\u2019Ivoire", "--format", "json"), json.loads),
        (("schema", "activities"), json.loads),
    ],
)
def test_machine_formats_are_ascii_with_the_same_content(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv: tuple[str, ...],
    parse: Callable[[str], object],
) -> None:
    """JSON, SARIF and JUnit on a cp1252 stream: ASCII, read as the UTF-8 output is."""
    data = str(_edited_base(tmp_path))
    arguments = [part.format(data=data) for part in argv]
    if arguments[0] in {"validate", "kpis"}:
        arguments += ["--as-of", "2026-01-01"]
    _, cp1252_out, _ = run_on(monkeypatch, "cp1252", *arguments)
    _, utf8_out, _ = run_on(monkeypatch, "utf-8", *arguments)
    assert cp1252_out.isascii()
    assert not utf8_out.isascii()
    assert parse(cp1252_out) == parse(utf8_out)


def test_text_keeps_what_the_encoding_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text for people on cp1252: 'ô' as it is, only what cp1252 lacks escaped."""
    name = "Côte d\u2019Ivoire"  # both in cp1252
    _, out, _ = run_on(monkeypatch, "cp1252", "country", name, "Россия")
    assert name in out
    assert "\\u0420" in out


def test_country_columns_are_aligned_as_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    r"""On ASCII, each column starts where its header does, escapes (`\u0413`) counted."""
    code, out, _ = run_on(
        monkeypatch, "ascii", "country", "Германия", "CI", "--on", "2019-06-01"
    )
    assert code == 0
    header, *rows = out.splitlines()[1:]
    for column in ("read as", "ISO", "name", "EU member"):
        at = header.index(column)
        assert all(row[at - 2 : at] == "  " and row[at] != " " for row in rows), column
    assert rows[0].startswith("\\u0413\\u0435")
    assert "C\\u00f4te d'Ivoire  no" in rows[1]


@pytest.mark.parametrize(
    ("encoding", "errors", "written"),
    [
        ("utf-8", "strict", "Côte Россия"),
        ("cp1252", "strict", "Côte \\u0420\\u043e\\u0441\\u0441\\u0438\\u044f"),
        (
            "ascii",
            "clusterkit.json-escape",
            "C\\u00f4te \\u0420\\u043e\\u0441\\u0441\\u0438\\u044f",
        ),
        ("ascii", "replace", "C?te ??????"),
    ],
)
def test_text_is_measured_as_the_stream_writes_it(
    encoding: str, errors: str, written: str
) -> None:
    """`as_written` is what the stream writes: escaped, replaced, or as it is."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="\n")
    # A strict stream is measured as the command will set it.
    assert _encoding.as_written("Côte Россия", stream) == written
    with _encoding.escaping_what_cannot_be_written(stream):
        stream.write("Côte Россия")
        stream.flush()
    assert raw.getvalue().decode(encoding) == written


def test_streams_that_hold_everything_are_left_alone() -> None:
    """UTF streams, and streams that are no text file, are not changed."""
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    utf16 = io.TextIOWrapper(io.BytesIO(), encoding="utf-16")
    relaxed = io.TextIOWrapper(io.BytesIO(), encoding="ascii", errors="replace")
    plain = io.StringIO()
    with _encoding.escaping_what_cannot_be_written(utf8, utf16, relaxed, plain):
        assert (utf8.errors, utf16.errors, relaxed.errors) == (
            "strict",
            "strict",
            "replace",
        )
    assert not _encoding._utf("no-such-codec")


def test_decoding_errors_are_not_escaped() -> None:
    """The handler is for writing: a decoding error stays an error."""
    with pytest.raises(UnicodeDecodeError):
        b"\xff".decode("utf-8", errors="clusterkit.json-escape")


class _GoneStream(io.TextIOWrapper):
    """A stream whose reader went away: setting it back fails."""

    def reconfigure(self, **changes: str | None) -> None:  # type: ignore[override] # the keywords used here
        if changes.get("errors") == "strict":
            raise BrokenPipeError
        super().reconfigure(**changes)  # type: ignore[arg-type] # errors is a str


def test_a_stream_that_went_away_is_not_set_back() -> None:
    """Setting a broken pipe back to strict errors fails quietly."""
    stream = _GoneStream(io.BytesIO(), encoding="ascii")
    with _encoding.escaping_what_cannot_be_written(stream):
        stream.write("Россия")
    assert stream.errors == "clusterkit.json-escape"
