"""The CI surface of `clusterkit validate`: what a review of its outputs found.

JUnit, GitHub, SARIF and the step summary of a run that fails on findings not
shown; SARIF's limit on results; GitHub's limit on annotations; fingerprints of
findings alike; standard input closed; outputs that share a file or cannot all be
written; a step summary that cannot be written.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

import clusterkit as ck
from clusterkit import _alike, cli
from clusterkit.report import Finding, Report, Severity, Summary, _formats, fingerprint
from clusterkit.values import Location

EXAMPLE = ck.io.example_path()
AS_OF = ("--as-of", "2026-01-01")
# The example has warnings and no errors: failing on warnings, while showing
# only errors, fails the run on findings that are not shown.
HIDDEN_FAIL = (*AS_OF, "--fail-on", "warning", "--min-severity", "error")


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    # The suite itself may run in GitHub Actions; each test sets what it needs.
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return the exit code, stdout and stderr."""
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def suite_of(text: str) -> ET.Element:
    """The testsuite of a JUnit document."""
    # Parses our own output in a test.
    suite = ET.fromstring(text.split("\n", 1)[1]).find("testsuite")  # noqa: S314
    assert suite is not None
    return suite


def finding(rule: str, severity: Severity, line: int) -> Finding:
    """A finding of `rule` on a line of one CSV file."""
    return Finding(
        rule,
        severity,
        f"problem on line {line}",
        Location("data/activities.csv", line, field="start"),
        value=str(line),
    )


def report_of(findings: tuple[Finding, ...], **options: Any) -> Report:
    """A report that shows all of these findings."""
    return Report(findings, Summary.of(findings), as_of=dt.date(2026, 1, 1), **options)


# A run that fails on findings not shown ---------------------------------------------


def test_junit_fails_when_findings_below_min_severity_fail_the_run(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Warnings hidden by --min-severity error fail under --fail-on warning: JUnit fails too."""
    code, out, _ = run(
        capsys, "validate", str(EXAMPLE), *HIDDEN_FAIL, "--format", "junit"
    )
    assert code == 1
    suite = suite_of(out)
    assert suite.get("failures") == "1"
    names = [case.get("name") for case in suite.findall("testcase")]
    assert names == ["findings not shown"]
    failure = suite.find("testcase/failure")
    assert failure is not None
    assert "(below --min-severity error)" in (failure.get("message") or "")


def test_junit_fails_when_max_findings_0_hides_what_fails(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The same with --max-findings 0 as well: never `dataset valid` on exit 1."""
    code, out, _ = run(
        capsys,
        "validate",
        str(EXAMPLE),
        *HIDDEN_FAIL,
        "--max-findings",
        "0",
        "--format",
        "junit",
    )
    assert code == 1
    suite = suite_of(out)
    assert suite.get("failures") == "1"
    assert suite.find("testcase[@name='dataset valid']") is None


def test_junit_stays_valid_when_what_is_below_passes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Warnings below --min-severity under --fail-on error: one passing `dataset valid`."""
    code, out, _ = run(
        capsys,
        "validate",
        str(EXAMPLE),
        *AS_OF,
        "--min-severity",
        "error",
        "--format",
        "junit",
    )
    assert code == 0
    suite = suite_of(out)
    assert suite.get("failures") == "0"
    assert [case.get("name") for case in suite.findall("testcase")] == ["dataset valid"]


def test_github_says_with_an_error_that_findings_not_shown_fail(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The line counting the findings below --min-severity is an error when they fail."""
    code, out, _ = run(
        capsys, "validate", str(EXAMPLE), *HIDDEN_FAIL, "--format", "github"
    )
    assert code == 1
    assert out.startswith("::error title=clusterkit::not shown: 8 warnings")
    code, out, _ = run(
        capsys,
        "validate",
        str(EXAMPLE),
        *AS_OF,
        "--min-severity",
        "error",
        "--format",
        "github",
    )
    assert code == 0
    assert out.startswith("::notice title=clusterkit::not shown: 8 warnings")


def test_sarif_notes_findings_below_min_severity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """SARIF says what --min-severity left out: a warning when it fails the run, else a note."""
    for argv, level in (
        (HIDDEN_FAIL, "warning"),
        ((*AS_OF, "--min-severity", "error"), "note"),
    ):
        _, out, _ = run(capsys, "validate", str(EXAMPLE), *argv, "--format", "sarif")
        (run_,) = json.loads(out)["runs"]
        assert run_["results"] == []
        (note,) = run_["invocations"][0]["toolExecutionNotifications"]
        assert note["descriptor"] == {"id": "clusterkit/below-min-severity"}
        assert note["level"] == level
        assert note["message"]["text"].startswith("not shown: 8 warnings")


def test_step_summary_of_a_run_that_fails_on_findings_not_shown(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The step summary's verdict is the exit code's, whatever is shown."""
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, _, _ = run(capsys, "validate", str(EXAMPLE), *HIDDEN_FAIL, "--format", "text")
    assert code == 1
    assert summary.read_text(encoding="utf-8").startswith(
        "## ❌ clusterkit validate: invalid"
    )


# SARIF: at most 25,000 results -----------------------------------------------------


def test_sarif_holds_at_most_the_results_github_takes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Over the limit: the most severe results, in file order, and a notification."""
    assert _formats.SARIF_RESULTS_LIMIT == 25_000
    monkeypatch.setattr(_formats, "SARIF_RESULTS_LIMIT", 3)
    findings = (
        finding("CK-TYPE-002", Severity.WARNING, 2),
        finding("CK-DATE-001", Severity.ERROR, 3),
        finding("CK-COUNTRY-003", Severity.INFO, 4),
        finding("CK-DATE-001", Severity.ERROR, 5),
        finding("CK-TYPE-002", Severity.WARNING, 6),
    )
    run_ = json.loads(_formats.render_sarif(report_of(findings)))["runs"][0]
    lines = [
        result["locations"][0]["physicalLocation"]["region"]["startLine"]
        for result in run_["results"]
    ]
    assert lines == [2, 3, 5]
    (note,) = run_["invocations"][0]["toolExecutionNotifications"]
    assert note["descriptor"] == {"id": "clusterkit/results-limit"}
    assert note["message"]["text"] == (
        "showing 3 of 5 results, errors first: GitHub code scanning takes at most "
        "3 (the JSON report holds every finding)"
    )
    # At the limit, nothing is left out and nothing is said.
    run_ = json.loads(_formats.render_sarif(report_of(findings[:3])))["runs"][0]
    assert len(run_["results"]) == 3
    assert "toolExecutionNotifications" not in run_["invocations"][0]


# GitHub: at most 10 annotations of each level per step ------------------------------


def test_github_counts_come_first_when_annotations_will_be_dropped() -> None:
    """More than 10 annotations of one level: a first line with the counts and the verdict."""
    errors = tuple(
        finding("CK-DATE-001", Severity.ERROR, line) for line in range(2, 13)
    )
    lines = _formats.render_github(report_of(errors)).splitlines()
    assert len(lines) == 12
    assert lines[0].startswith(
        "::error title=clusterkit::11 errors, 0 warnings, 0 info"
    )
    assert "GitHub shows at most 10 annotations of each level per step" in lines[0]
    assert lines[1].startswith("::error file=data/activities.csv,line=2,")
    passing = _formats.render_github(report_of(errors, fail_on=None)).splitlines()
    assert passing[0].startswith("::notice title=clusterkit::11 errors")
    # Ten of a level are all shown: no count line.
    assert len(_formats.render_github(report_of(errors[:10])).splitlines()) == 10


# Fingerprints of findings alike ----------------------------------------------------


def test_findings_alike_get_fingerprints_of_their_own(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Two clusters without an id: one CK-TYPE-001 fingerprint each, whatever their order."""
    data = Path(shutil.copytree(EXAMPLE, tmp_path / "data"))
    clusters = data / "clusters.csv"
    header, *rows = clusters.read_text(encoding="utf-8").splitlines()
    rows[0] = "," + rows[0].split(",", 1)[1]
    rows[1] = "," + rows[1].split(",", 1)[1]

    def fingerprints() -> list[str]:
        _, out, _ = run(capsys, "validate", str(data), *AS_OF, "--format", "json")
        return [
            item["fingerprint"]
            for item in json.loads(out)["findings"]
            if item["rule"] == "CK-TYPE-001"
        ]

    clusters.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    first = fingerprints()
    assert len(first) == 2
    assert len(set(first)) == 2
    clusters.write_text("\n".join([header, *reversed(rows)]) + "\n", encoding="utf-8")
    assert sorted(fingerprints()) == sorted(first)


def test_the_first_of_findings_alike_keeps_its_fingerprint() -> None:
    """Occurrence 1 is the digest of the five parts alone; later ones differ."""
    parts = ("CK-TYPE-001", "a.csv", None, "id", "")
    assert fingerprint(*parts, occurrence=1) == fingerprint(*parts)
    assert fingerprint(*parts, occurrence=2) not in {
        fingerprint(*parts),
        fingerprint(*parts, occurrence=3),
    }


def test_findings_alike_are_numbered_in_bounded_memory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Millions of findings must not keep an entry each: the numbering remembers a few.

    With room for 3 fingerprints, the rows without an id after the third
    different problem share their fingerprint again, as before numbering.
    """
    monkeypatch.setattr(_alike, "REMEMBERED", 3)
    numbering = _alike.Alike()
    assert [numbering.number(d) for d in "aabcab"] == [1, 2, 1, 1, 3, 2]
    assert [numbering.number("d"), numbering.number("d")] == [1, 1]  # memory full
    # Room for one: the missing ids' CK-TYPE-001; the two XX rows' CK-COUNTRY-001
    # come after, and share a fingerprint.
    monkeypatch.setattr(_alike, "REMEMBERED", 1)
    rows = "".join(
        f",Cluster {n},{code}\n" for n, code in enumerate(["DE"] * 3 + ["XX"] * 2)
    )
    (tmp_path / "clusters.csv").write_text("id,name,country\n" + rows, encoding="utf-8")
    digests = [
        f.fingerprint for f in ck.validate(tmp_path, as_of=dt.date(2026, 1, 1)).findings
    ]
    assert len(digests) > len(set(digests))  # beyond the memory, alike again


# Standard input closed -------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "-"],
        ["kpis", "-"],
        ["convert", "-", "out.json"],
        ["report", "-", "--output", "report.html"],
    ],
    ids=["validate", "kpis", "convert", "report"],
)
def test_dash_with_standard_input_closed_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv: list[str],
) -> None:
    """`<&-` leaves Python no sys.stdin: exit 2, naming standard input, for every command."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdin", None)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err == (
        f"clusterkit {argv[0]}: standard input (-) is closed; pipe the dataset in, "
        "or give its PATH\n"
    )


# Outputs: one file each, all or none -----------------------------------------------


def test_two_outputs_to_one_file_are_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`--format sarif --output a --format junit --output ./a`: a usage error, nothing written."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(
        capsys,
        "validate",
        str(EXAMPLE),
        "--format",
        "sarif",
        "--output",
        "a",
        "--format",
        "junit",
        "--output",
        "./a",
    )
    assert (code, out) == (2, "")
    assert err == (
        "clusterkit validate: --output ./a: another --format is written to a "
        "already; give each --format its own file\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_an_output_that_cannot_be_written_leaves_every_output_unwritten(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The SARIF file before an unwritable JUnit file is not written either."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(
        capsys,
        "validate",
        str(EXAMPLE),
        "--format",
        "text",
        "--format",
        "sarif",
        "--output",
        "x.sarif",
        "--format",
        "junit",
        "--output",
        "missing-dir/x.xml",
    )
    assert (code, out) == (2, "")
    assert err.startswith("clusterkit validate: cannot write missing-dir/x.xml: ")
    assert list(tmp_path.iterdir()) == []


# The step summary is a courtesy ----------------------------------------------------


def test_a_step_summary_that_cannot_be_written_is_a_warning(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A folder as GITHUB_STEP_SUMMARY: a warning on stderr, the exit code the data's."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path))
    code, out, err = run(capsys, "validate", str(EXAMPLE), *AS_OF, "--format", "text")
    assert code == 0
    assert "0 errors, 8 warnings" in out  # the report itself was written
    assert err.startswith(
        f"clusterkit validate: warning: cannot write the step summary to {tmp_path} "
        "(GITHUB_STEP_SUMMARY): "
    )


# The help --------------------------------------------------------------------------


def test_help_says_which_files_standard_input_can_be(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """CSV and JSON Lines cannot come on standard input: the help says what can."""
    code, out, _ = run(capsys, "validate", "--help")
    assert code == 0
    text = " ".join(out.split())
    assert "or - for a zip, a JSON document or a workbook on standard input" in text
    assert "for any of the files" not in text
