"""The command line: `validate`, `rules` and `explain`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from clusterkit import cli
from clusterkit.cli import _common
from clusterkit.rules import CATALOGUE

DATA = Path(__file__).parent / "data"
VALID = DATA / "valid" / "base"
FK_001 = DATA / "invalid" / "CK-FK-001"
GEO_002 = DATA / "invalid" / "CK-GEO-002"
PART_001 = DATA / "invalid" / "CK-PART-001"
AS_OF = ("--as-of", "2026-01-01")

FK_LINE = (
    f"{FK_001 / 'activities.csv'}:6:2: error CK-FK-001 "
    "partnership 'P-1' does not exist in partnerships"
)
FK_ANNOTATION = (
    f"::error file={(FK_001 / 'activities.csv').as_posix()},line=6,"
    "title=CK-FK-001::partnership 'P-1' does not exist in partnerships. "
    "Hint: did you mean 'P1'?"
)


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


def rules_found(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, int]:
    """The findings per rule of `validate ARGV --format json`."""
    code, out, err = run(capsys, "validate", *argv, *AS_OF, "--format", "json")
    assert (code in {0, 1}, err) == (True, "")
    by_rule: dict[str, int] = json.loads(out)["summary"]["by_rule"]
    return by_rule


def test_valid_dataset_has_no_findings(capsys: pytest.CaptureFixture[str]) -> None:
    """A valid dataset exits 0 and the text says there are no findings."""
    code, out, err = run(capsys, "validate", str(VALID), *AS_OF)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0] == f"no findings in {VALID}"
    assert lines[1].startswith(
        f"0 errors, 0 warnings, 0 info in {VALID} — valid (fail on error) · "
    )
    assert lines[1].endswith(" · as of 2026-01-01")


def test_invalid_dataset_exits_1_with_located_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A finding exits 1 and is one `file:line:col: severity RULE message` line."""
    code, out, err = run(capsys, "validate", str(FK_001), *AS_OF)
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == FK_LINE
    assert lines[1] == "    hint: did you mean 'P1'?"
    assert "  CK-FK-001  error    1  activity refers to an unknown partnership" in lines
    assert lines[-1].startswith(
        f"1 error, 0 warnings, 0 info in {FK_001} — invalid (fail on error) · "
    )


def test_fail_on(capsys: pytest.CaptureFixture[str]) -> None:
    """--fail-on never passes errors; warning fails on warnings; error passes them."""
    code, out, _ = run(capsys, "validate", str(FK_001), *AS_OF, "--fail-on", "never")
    assert code == 0
    assert FK_LINE in out.splitlines()
    assert "— valid (fail on never)" in out
    code, out, _ = run(capsys, "validate", str(GEO_002), *AS_OF, "--fail-on", "warning")
    assert code == 1
    assert f"{GEO_002 / 'activities.csv'}:6:7: warning CK-GEO-002 " in out
    assert "— invalid (fail on warning)" in out
    code, out, _ = run(capsys, "validate", str(GEO_002), *AS_OF, "--fail-on", "error")
    assert code == 0
    assert "0 errors, 1 warning, 0 info" in out
    assert run(capsys, "validate", str(GEO_002), *AS_OF)[0] == 0


def test_several_formats_in_one_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Each --format goes to its own --output; the last, without one, to stdout."""
    code, out, err = run(
        capsys,
        "validate",
        str(FK_001),
        *AS_OF,
        "--format",
        "json",
        "--output",
        str(tmp_path / "a.json"),
        "--format",
        "sarif",
        "--output",
        str(tmp_path / "b.sarif"),
        "--format",
        "junit",
        "--output",
        str(tmp_path / "c.xml"),
        "--format",
        "text",
    )
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == FK_LINE
    assert "{" not in out
    assert "<" not in out

    report = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert report["valid"] is False
    assert report["as_of"] == "2026-01-01"
    assert report["summary"]["by_rule"] == {"CK-FK-001": 1}
    (finding,) = report["findings"]
    assert finding["rule"] == "CK-FK-001"
    assert finding["location"]["file"] == str(FK_001 / "activities.csv")
    assert (finding["location"]["line"], finding["location"]["column"]) == (6, 2)
    assert finding["location"]["field"] == "partnership"

    sarif = json.loads((tmp_path / "b.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "CK-FK-001"
    assert result["level"] == "error"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 6}  # a CSV column counts fields, not characters

    root = ET.parse(tmp_path / "c.xml").getroot()  # noqa: S314 - parses our own output in a test
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures")) == ("1", "1")
    (case,) = root.iter("testcase")
    assert case.get("classname") == "CK-FK-001"
    assert case.find("failure") is not None


def test_output_without_format_is_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An --output before any --format receives the text report."""
    code, out, _ = run(
        capsys, "validate", str(FK_001), *AS_OF, "--output", str(tmp_path / "r.txt")
    )
    assert (code, out) == (1, "")
    text = (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert text.splitlines()[0] == FK_LINE
    code, out, _ = run(
        capsys,
        "validate",
        str(FK_001),
        *AS_OF,
        "--output",
        str(tmp_path / "s.txt"),
        "--format",
        "json",
    )
    assert code == 1
    assert json.loads(out)["summary"]["total"] == 1
    assert (tmp_path / "s.txt").read_text(encoding="utf-8") == text


def test_two_outputs_for_one_format_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A second --output for the same --format is a usage error."""
    code, out, err = run(
        capsys,
        "validate",
        str(FK_001),
        "--format",
        "json",
        "--output",
        str(tmp_path / "a.json"),
        "--output",
        str(tmp_path / "b.json"),
    )
    assert (code, out) == (2, "")
    assert "the --format before it already has an --output" in err
    assert "Traceback" not in err
    assert not (tmp_path / "a.json").exists()
    assert not (tmp_path / "b.json").exists()


def test_unwritable_output_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An --output in a folder that does not exist is a usage error, not a traceback."""
    target = tmp_path / "missing" / "report.json"
    code, _, err = run(
        capsys,
        "validate",
        str(FK_001),
        *AS_OF,
        "--format",
        "json",
        "--output",
        str(target),
    )
    assert code == 2
    assert err.startswith(f"clusterkit validate: cannot write {target}: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert not target.exists()


def test_select_and_ignore(capsys: pytest.CaptureFixture[str]) -> None:
    """--select keeps a family; --ignore drops ids, comma-separated or repeated."""
    both = (str(PART_001), str(FK_001))
    assert rules_found(capsys, *both) == {
        "CK-FK-001": 1,
        "CK-PART-001": 1,
        "CK-PART-002": 1,
    }
    assert rules_found(capsys, *both, "--select", "CK-FK") == {"CK-FK-001": 1}
    assert rules_found(capsys, *both, "--ignore", "CK-FK-001") == {
        "CK-PART-001": 1,
        "CK-PART-002": 1,
    }
    assert rules_found(capsys, *both, "--ignore", "CK-FK-001,CK-PART-002") == {
        "CK-PART-001": 1
    }
    assert rules_found(
        capsys, *both, "--ignore", "CK-FK-001", "--ignore", "CK-PART-002"
    ) == {"CK-PART-001": 1}
    assert rules_found(capsys, *both, "--select", "CK-PART,CK-FK-001") == {
        "CK-FK-001": 1,
        "CK-PART-001": 1,
        "CK-PART-002": 1,
    }
    code, out, _ = run(capsys, "validate", str(FK_001), *AS_OF, "--ignore", "CK-FK")
    assert code == 0
    assert out.startswith(f"no findings in {FK_001}\n")


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_exits_2(capsys: pytest.CaptureFixture[str], option: str) -> None:
    """A rule that does not exist, even among known ones, is a usage error."""
    code, out, err = run(
        capsys, "validate", str(VALID), *AS_OF, option, "CK-FK-001,CK-NOPE"
    )
    assert (code, out) == (2, "")
    assert err.startswith("clusterkit validate: ")
    assert "'CK-NOPE' names no rule" in err
    assert "Traceback" not in err


def test_max_findings_states_the_total(capsys: pytest.CaptureFixture[str]) -> None:
    """--max-findings 1 shows one finding and says how many there are in all."""
    code, out, _ = run(
        capsys, "validate", str(PART_001), str(FK_001), *AS_OF, "--max-findings", "1"
    )
    assert code == 1
    lines = out.splitlines()
    assert sum(" error CK-" in line or " warning CK-" in line for line in lines) == 1
    assert lines[-1] == (
        "showing 1 of 3 findings; 2 more not shown (raise --max-findings to see them)"
    )
    assert "2 errors, 1 warning, 0 info" in out


@pytest.mark.parametrize("value", ["-1", "x"])
def test_bad_max_findings_exits_2(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """--max-findings needs a whole number of at least 0."""
    code, out, err = run(capsys, "validate", str(VALID), "--max-findings", value)
    assert (code, out) == (2, "")
    assert f"argument --max-findings: '{value}' is not a whole number" in err


def test_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    """--as-of moves "today": dates after it are in the future; nonsense exits 2."""
    code, out, _ = run(capsys, "validate", str(VALID), "--as-of", "2000-01-01")
    assert code == 1
    assert (
        f"{VALID / 'activities.csv'}:2:4: error CK-DATE-004 start 2018-05-14 is in "
        "the future (after 2000-01-01)"
    ) in out
    assert out.splitlines()[-1].endswith(" · as of 2000-01-01")
    code, out, err = run(capsys, "validate", str(VALID), "--as-of", "nonsense")
    assert (code, out) == (2, "")
    assert "argument --as-of: 'nonsense' is not a date in the form YYYY-MM-DD" in err


def test_several_paths(capsys: pytest.CaptureFixture[str]) -> None:
    """Every PATH is validated in one run and named in the summary."""
    code, out, _ = run(capsys, "validate", str(GEO_002), str(FK_001), *AS_OF)
    assert code == 1
    lines = out.splitlines()
    assert FK_LINE in lines
    assert any(
        line.startswith(f"{GEO_002 / 'activities.csv'}:6:7: warning CK-GEO-002 ")
        for line in lines
    )
    assert f"1 error, 1 warning, 0 info in {GEO_002}, {FK_001} — invalid" in out


def test_no_path_validates_the_current_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a PATH the current folder is validated."""
    monkeypatch.chdir(FK_001)
    code, out, _ = run(capsys, "validate", *AS_OF)
    assert code == 1
    assert out.splitlines()[0] == (
        f"{os.path.join('.', 'activities.csv')}:6:2: error CK-FK-001 "  # noqa: PTH118 - the path as joined to the default "."
        "partnership 'P-1' does not exist in partnerships"
    )


def test_missing_path_is_a_finding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A PATH that does not exist exits 1 with CK-FILE-001, not a traceback."""
    missing = tmp_path / "nowhere"
    code, out, err = run(capsys, "validate", str(missing), *AS_OF)
    assert (code, err) == (1, "")
    assert out.splitlines()[0].startswith(f"{missing}: error CK-FILE-001 ")
    assert "no such file or directory" in out.splitlines()[0]


def test_github_actions_adds_annotations(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In GitHub Actions, text is followed by one workflow command per finding."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run(capsys, "validate", str(FK_001), *AS_OF)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == FK_LINE
    assert lines[-1] == FK_ANNOTATION
    assert sum(line.startswith("::") for line in lines) == 1


def test_github_step_summary_is_appended(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The Markdown summary is appended to $GITHUB_STEP_SUMMARY, never overwritten."""
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert run(capsys, "validate", str(FK_001), *AS_OF)[0] == 1
    assert run(capsys, "validate", str(VALID), *AS_OF)[0] == 0
    markdown = summary.read_text(encoding="utf-8")
    assert markdown.startswith("earlier step\n## ❌ clusterkit validate: invalid\n")
    assert markdown.count("## ❌ clusterkit validate: invalid") == 1
    assert markdown.count("## ✅ clusterkit validate: valid") == 1
    assert markdown.index("❌") < markdown.index("✅")
    assert "| CK-FK-001 | error | 1 | activity refers to an unknown partnership |" in (
        markdown
    )


def test_github_actions_with_explicit_format(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An explicit --format is exactly what is printed, without annotations."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run(capsys, "validate", str(FK_001), *AS_OF, "--format", "json")
    assert code == 1
    assert "::error" not in out
    assert json.loads(out)["summary"]["total"] == 1
    code, out, _ = run(capsys, "validate", str(FK_001), *AS_OF, "--format", "github")
    assert code == 1
    assert out == FK_ANNOTATION + "\n"


def test_rules_lists_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    """`rules` prints every rule with its severity and title, in catalogue order."""
    code, out, err = run(capsys, "rules")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(CATALOGUE)
    for line, rule in zip(lines, CATALOGUE.values(), strict=True):
        assert line.split()[1] == rule.severity.value
        assert f"  {rule.title}" in line
        assert line.endswith("(only with --select)") == (rule.id == "CK-COUNTRY-003")


@pytest.mark.parametrize("rule", ["CK-FK-001", "ck-fk-001"])
def test_explain(capsys: pytest.CaptureFixture[str], rule: str) -> None:
    """`explain` takes a rule id in any case and prints its meaning."""
    code, out, err = run(capsys, "explain", rule)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == [
        "CK-FK-001",
        "[error]",
        "activity",
        "refers",
        "to",
        "an",
        "unknown",
        "partnership",
    ]
    assert "Meaning" in lines
    assert "is not the id of any partnership" in out


def test_explain_unknown_rule_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown rule exits 2 and suggests the nearest ids."""
    code, out, err = run(capsys, "explain", "CK-FK-01")
    assert (code, out) == (2, "")
    assert err.startswith("clusterkit explain: unknown rule 'CK-FK-01'; did you mean ")
    assert "CK-FK-001" in err
    assert "Traceback" not in err


def test_python_dash_m_on_a_corrupt_workbook(tmp_path: Path) -> None:
    """`python -m clusterkit validate` reports a corrupt workbook, with no traceback."""
    workbook = tmp_path / "data.xlsx"
    workbook.write_bytes(bytes((i * 97 + 13) % 256 for i in range(4096)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    done = subprocess.run(
        [sys.executable, "-m", "clusterkit", "validate", str(workbook), *AS_OF],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 1
    assert done.stderr == ""
    assert done.stdout.startswith(f"{workbook}: error CK-FILE-001 ")
    assert "not a readable .xlsx workbook" in done.stdout


def test_thresholds_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    """`--threshold min_members=5` makes the base dataset's partnerships too small."""
    base = str(Path(__file__).parent / "data" / "valid" / "base")
    code = cli.main(
        ["validate", base, "--as-of", "2026-01-01", "--threshold", "min_members=5"]
    )
    assert code == 1
    assert capsys.readouterr().out.count("CK-PART-001") >= 2


@pytest.mark.parametrize("given", ["members=5", "min_members=x", "min_members=-1"])
def test_bad_thresholds_are_usage_errors(
    given: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unknown threshold or a value that is not a count is a usage error."""
    assert cli.main(["validate", "--threshold", given]) == 2
    assert "--threshold" in capsys.readouterr().err


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        """It is a terminal."""
        return True


def test_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal (not in CI), rows read so far show on stderr, then are cleared."""
    terminal = _Terminal()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(_common, "PROGRESS_EVERY", 0.0)
    base = str(Path(__file__).parent / "data" / "valid" / "base")
    assert cli.main(["validate", base, "--as-of", "2026-01-01"]) == 0
    shown = terminal.getvalue()
    assert "\rreading " in shown
    assert "activities.csv: 6 rows" in shown
    assert shown.endswith("\r")


def test_no_progress_in_ci_or_pipes(monkeypatch: pytest.MonkeyPatch) -> None:
    """In CI, even on a terminal, nothing is written to stderr."""
    terminal = _Terminal()
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(sys, "stderr", terminal)
    base = str(Path(__file__).parent / "data" / "valid" / "base")
    assert cli.main(["validate", base, "--as-of", "2026-01-01"]) == 0
    assert terminal.getvalue() == ""


def test_progress_is_throttled() -> None:
    """Progress is written at most every half second."""
    terminal = _Terminal()
    progress = _common.Progress(terminal)
    progress("a.csv", 1000)
    progress("a.csv", 2000)
    assert terminal.getvalue() == "\rreading a.csv: 1,000 rows"
    progress.done()
    assert terminal.getvalue().endswith("\r" + " " * 25 + "\r")


def test_no_progress_line_nothing_to_clear() -> None:
    """A run too short to show progress leaves stderr untouched."""
    terminal = _Terminal()
    _common.Progress(terminal).done()
    assert terminal.getvalue() == ""


def test_min_severity_shows_errors_only_and_still_fails_on_warnings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--min-severity error` hides warnings, counts them, and they still decide."""
    code, out, err = run(
        capsys, "validate", str(GEO_002), *AS_OF, "--min-severity", "error"
    )
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert not any(" warning CK-" in line for line in lines)
    assert "  CK-GEO-002  warning  1  activity targets an undeclared market" in lines
    assert lines[-1] == "not shown: 1 warning, 0 info (below --min-severity error)"
    code, out, err = run(
        capsys,
        "validate",
        str(GEO_002),
        *AS_OF,
        "--min-severity",
        "error",
        "--fail-on",
        "warning",
    )
    assert (code, err) == (1, "")
