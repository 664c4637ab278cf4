"""What the output formats say at their edges: names that are not UTF-8, what was left out, long messages, columns."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import clusterkit as ck
from clusterkit import cli
from clusterkit.report import Finding, Report, Severity, Summary
from clusterkit.report._finding import fingerprint
from clusterkit.report._formats import CI_MESSAGE_CHARS
from clusterkit.reports import KPIReport
from clusterkit.values import Location
from conftest import write

AS_OF = ("--as-of", "2026-01-01")
DAY = dt.date(2026, 1, 1)


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    # The suite itself may run in GitHub Actions; each test sets what it needs.
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def _copy_example(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for table in ck.io.example_path().iterdir():
        write(folder / table.name, table.read_text(encoding="utf-8"))
    return folder


def _run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, str]:
    """Run the CLI in-process; its exit code and stdout, which must be UTF-8."""
    code = cli.main(list(argv))
    out, err = capsysbinary.readouterr()
    assert err == b"", err
    return code, out.decode("utf-8")


# A folder name that is not UTF-8 --------------------------------------------------


@pytest.fixture(name="undecodable")
def fixture_undecodable(tmp_path: Path) -> Path:
    """The example in a folder whose name holds the byte 0xFF (not UTF-8)."""
    name = os.fsdecode(b"data_\xff")
    try:
        return _copy_example(tmp_path / name)
    except (OSError, UnicodeEncodeError) as error:  # pragma: no cover - macOS, Windows
        pytest.skip(f"this file system refuses names that are not UTF-8: {error}")


@pytest.mark.parametrize("format_", ["text", "json", "github", "junit", "sarif"])
def test_a_folder_name_that_is_not_utf8_is_reported_in_every_format(
    capsysbinary: pytest.CaptureFixture[bytes], undecodable: Path, format_: str
) -> None:
    """Its findings are written, the bad byte shown as an escape, never a traceback."""
    code, out = _run(
        capsysbinary, "validate", str(undecodable), *AS_OF, "--format", format_
    )
    assert code == 0
    assert "CK-GEO-002" in out
    if format_ in {"json", "sarif"}:
        document = json.loads(out)  # the escape reads back as the name itself
        text = json.dumps(document, ensure_ascii=False)
        assert str(undecodable) in text or "data_%FF" in text
    else:
        assert "data_\\udcff" in out


def test_json_gives_back_the_name_that_is_not_utf8(undecodable: Path) -> None:
    """JSON escapes the lone surrogate, and reading it back gives the path as Python has it."""
    report = ck.validate(undecodable, as_of=DAY)
    text = report.to_json()
    text.encode("utf-8")
    files = {finding["location"]["file"] for finding in json.loads(text)["findings"]}
    assert files == {str(undecodable / "activities.csv")}


def test_sarif_names_the_bytes_on_the_disk(undecodable: Path) -> None:
    """The artifact URI percent-encodes the byte that is not UTF-8 as it is."""
    sarif = json.loads(ck.validate(undecodable, as_of=DAY).render("sarif"))
    uris = {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
    }
    assert len(uris) == 1
    assert uris.pop().endswith("/data_%FF/activities.csv")


def test_sarif_takes_a_name_no_file_system_gives() -> None:
    """A stream's name= may hold any surrogate: its URI is still written."""
    finding = Finding(
        rule="CK-FILE-001",
        severity=Severity.ERROR,
        message="m",
        location=Location(file="upload_\ud800", line=1),
    )
    report = Report((finding,), Summary.of((finding,)), DAY)
    sarif = json.loads(report.render("sarif"))
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert uri["artifactLocation"]["uri"] == "upload_%ED%A0%80"


def test_kpis_and_reports_of_a_folder_name_that_is_not_utf8(
    capsysbinary: pytest.CaptureFixture[bytes], undecodable: Path, tmp_path: Path
) -> None:
    """`kpis --format json` and an HTML report are written as for any folder."""
    code, out = _run(capsysbinary, "kpis", str(undecodable), *AS_OF, "--format", "json")
    assert code == 0
    assert json.loads(out)["kpis"]["partnerships"] == 6
    page = tmp_path / "report.html"
    code, _ = _run(capsysbinary, "report", str(undecodable), *AS_OF, "-o", str(page))
    assert code == 0
    assert "data_\\udcff" in page.read_text(encoding="utf-8")


def test_a_fingerprint_hashes_a_lone_surrogate() -> None:
    """Two names that differ only in a byte that is not UTF-8 have two fingerprints."""
    one = fingerprint("CK-FILE-001", os.fsdecode(b"data_\xff"), None, None, None)
    other = fingerprint("CK-FILE-001", os.fsdecode(b"data_\xfe"), None, None, None)
    assert re.fullmatch("[0-9a-f]{16}", one)
    assert one != other


# What --max-findings and --min-severity leave out ---------------------------------


@pytest.fixture(name="errors_and_warnings")
def fixture_errors_and_warnings(tmp_path: Path) -> Path:
    """The example with 12 activities of an unknown partnership: 12 errors, 8 warnings."""
    data = _copy_example(tmp_path / "data")
    activities = data / "activities.csv"
    lines = activities.read_text(encoding="utf-8").splitlines(keepends=True)
    for number in range(1, 13):
        lines[number] = re.sub(r"^([^,]*),P0\d,", r"\1,P99,", lines[number])
    write(activities, "".join(lines))
    summary = ck.validate(data, as_of=DAY).summary
    assert (summary.by_rule["CK-FK-001"], summary.warning) == (12, 8)
    return data


LEFT_OUT = (
    "showing 5 of 12 findings at or above --min-severity error; "
    "7 more not shown (raise --max-findings to see them)"
)
BELOW = "not shown: 8 warnings, 0 info (below --min-severity error)"


# Both options together: five findings at most, errors only.
BOTH = ("--max-findings", "5", "--min-severity", "error")


def _validate(
    capsysbinary: pytest.CaptureFixture[bytes], data: Path, *options: str
) -> str:
    """The output of `clusterkit validate DATA OPTIONS`, as of 2026-01-01."""
    return _run(capsysbinary, "validate", str(data), *AS_OF, *options)[1]


@pytest.mark.parametrize("format_", ["text", "github", "junit", "sarif"])
def test_what_max_findings_leaves_out_does_not_count_what_min_severity_did(
    capsysbinary: pytest.CaptureFixture[bytes],
    errors_and_warnings: Path,
    format_: str,
) -> None:
    """Raising --max-findings would show 7 more errors, not the 8 warnings too."""
    out = _validate(capsysbinary, errors_and_warnings, *BOTH, "--format", format_)
    assert LEFT_OUT in out
    assert "of 20 findings" not in out
    assert "15 more" not in out


@pytest.mark.parametrize("format_", ["text", "github", "junit"])
def test_what_min_severity_leaves_out_is_said(
    capsysbinary: pytest.CaptureFixture[bytes],
    errors_and_warnings: Path,
    format_: str,
) -> None:
    """Every format a person reads counts the findings below --min-severity."""
    out = _validate(
        capsysbinary,
        errors_and_warnings,
        "--min-severity",
        "error",
        "--format",
        format_,
    )
    assert BELOW in out
    assert "more not shown" not in out  # nothing was truncated


def test_junit_counts_what_each_option_left_out(
    capsysbinary: pytest.CaptureFixture[bytes], errors_and_warnings: Path
) -> None:
    """The failing case counts the errors cut, the suite's stderr both reasons."""
    out = _validate(capsysbinary, errors_and_warnings, *BOTH, "--format", "junit")
    # Parses our own output in a test.
    suite = ET.fromstring(out.split("\n", 1)[1]).find("testsuite")  # noqa: S314
    assert suite is not None
    cut = suite.find("testcase[@name='findings not shown']/failure")
    assert cut is not None
    assert cut.text is not None
    assert cut.text.endswith("not shown: 7 errors, 0 warnings, 0 info")
    assert suite.findtext("system-err") == f"{BELOW}\n{LEFT_OUT}"


def test_the_step_summary_says_what_both_options_left_out(
    capsysbinary: pytest.CaptureFixture[bytes],
    errors_and_warnings: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The warnings counted but not listed are accounted for in a note."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    _validate(
        capsysbinary,
        errors_and_warnings,
        *BOTH,
        "--format",
        "json",
        "--output",
        os.devnull,
    )
    text = summary.read_text(encoding="utf-8")
    assert "| warning | 8 |" in text
    assert f"> The report leaves out findings below its severity: {BELOW}." in text
    assert f"> The report is truncated: {LEFT_OUT}." in text


# Long messages in the formats of a CI run ----------------------------------------


def _long_finding(length: int) -> Report:
    value = "x" * length
    finding = Finding(
        rule="CK-FK-001",
        severity=Severity.ERROR,
        message=f"partnership {value!r} does not exist in partnerships",
        location=Location(file="data/activities.csv", line=2, column=2),
    )
    return Report((finding,), Summary.of((finding,)), DAY)


@pytest.mark.parametrize("length", [CI_MESSAGE_CHARS - 100, 300_000])
def test_a_github_annotation_and_the_step_summary_cut_a_long_message(
    length: int,
) -> None:
    """A message is cut at CI_MESSAGE_CHARS, saying how much it left out."""
    report = _long_finding(length)
    message = report.findings[0].message
    for text in (report.render("github"), report.to_step_summary()):
        if len(message) <= CI_MESSAGE_CHARS:
            assert message in text
            assert "more characters" not in text
        else:
            more = len(message) - CI_MESSAGE_CHARS
            assert f"{message[:CI_MESSAGE_CHARS]}… ({more:,} more characters)" in text
            assert len(text) < 3 * CI_MESSAGE_CHARS
    # The formats programs read keep the message whole.
    assert message in report.to_json()
    assert message in report.render("sarif")


def test_the_step_summary_of_many_long_findings_stays_under_githubs_limit(
    capsysbinary: pytest.CaptureFixture[bytes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GitHub drops a step summary over 1 MiB whole; 60 findings quoting 300,000 characters fit."""
    data = _copy_example(tmp_path / "data")
    activities = data / "activities.csv"
    lines = activities.read_text(encoding="utf-8").splitlines(keepends=True)
    for number in range(1, 61):
        lines[number] = re.sub(
            r"^([^,]*),P0\d,", rf"\1,P{number}{'x' * 300_000},", lines[number]
        )
    write(activities, "".join(lines))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, _ = _run(
        capsysbinary,
        "validate",
        str(data),
        *AS_OF,
        "--format",
        "json",
        "--output",
        os.devnull,
    )
    assert code == 1
    size = summary.stat().st_size
    assert size < 200_000
    text = summary.read_text(encoding="utf-8")
    assert text.count("more characters)") == 50
    assert "first 50 of the report's" in text


# Columns that count characters, and columns that count fields ---------------------


def test_a_csv_field_position_is_no_character_column(tmp_path: Path) -> None:
    """SARIF and GitHub are given the line only; SARIF keeps the position as a property."""
    report = ck.validate(Path(__file__).parent / "data" / "invalid" / "CK-FK-001")
    sarif = json.loads(report.render("sarif"))
    (result,) = sarif["runs"][0]["results"]
    (location,) = result["locations"]
    assert location["physicalLocation"]["region"] == {"startLine": 6}
    assert location["properties"] == {"field": "partnership", "column": 2}
    (line,) = report.render("github").splitlines()
    assert ",line=6,title=CK-FK-001::" in line
    assert "col=" not in line


def test_a_json_document_column_counts_characters(tmp_path: Path) -> None:
    """The column of a key's opening quote is where GitHub and SARIF point."""
    document = tmp_path / "data.json"
    ck.dump_dataset(ck.load_example(), document)
    text = document.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    activity = next(i for i, line in enumerate(lines) if '"type":' in line)
    lines[activity] = lines[activity].replace('"partnership":"P0', '"partnership":"P9')
    text = "".join(lines)
    write(document, text)
    report = ck.validate(document, as_of=DAY, select="CK-FK-001")
    finding = report.findings[0]
    column = finding.location.column
    assert column is not None
    line = text.splitlines()[(finding.location.line or 0) - 1]
    assert line[column - 1 :].startswith('"partnership"')
    sarif = json.loads(report.render("sarif"))
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert region["region"] == {
        "startLine": finding.location.line,
        "startColumn": column,
    }
    assert f",col={column}," in report.render("github")


# The KPI report's gate ----------------------------------------------------------


def test_the_kpi_report_calls_a_warning_of_its_gate_no_error(tmp_path: Path) -> None:
    """An SME under two ids (CK-DUP-001, a warning) leaves no record out, and says so."""
    data = _copy_example(tmp_path / "data")
    smes = data / "smes.csv"
    lines = smes.read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines[1].split(",")
    twin = ",".join(["SME-TWIN", first[1].upper(), *first[2:]])
    write(smes, "".join([*lines, twin if twin.endswith("\n") else twin + "\n"]))
    report = KPIReport.build(data, as_of=DAY)
    validation = report.result.validation
    assert validation is not None
    assert (validation.summary.error, validation.summary.warning) == (0, 1)
    page = report.to_html()
    assert (
        "0 records left out of 280 read; 0 error findings and 1 other finding, "
        "which left no record out." in page
    )
    assert "Findings that left records out" not in page
