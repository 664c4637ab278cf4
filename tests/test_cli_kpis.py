"""`clusterkit kpis`: formats, filters, breakdowns, reconciliation and exit codes (DESIGN.md §8)."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import clusterkit as ck
from clusterkit import cli, kpis
from clusterkit.cli import _common, _kpis
from clusterkit.io import example_path

DATA = Path(__file__).parent / "data"
BASE = DATA / "valid" / "base"
INVALID = DATA / "invalid"
AS_OF = dt.date(2026, 1, 1)
AS_OF_ARGS = ("--as-of", AS_OF.isoformat())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `clusterkit kpis ARGV --as-of 2026-01-01` in-process: exit code, stdout, stderr."""
    code = cli.main(["kpis", *argv, *AS_OF_ARGS])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def expected(source: Any = None, **scope: Any) -> ck.KPIResult:
    """What the API computes for the same arguments."""
    return ck.compute_kpis(
        example_path() if source is None else source, as_of=AS_OF, **scope
    )


def test_example_as_json_is_the_api_result(capsys: pytest.CaptureFixture[str]) -> None:
    """`--format json` prints `compute_kpis(...).to_dict()`; exit 0, nothing on stderr."""
    code, out, err = run(capsys, "--example", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == expected().to_dict()
    assert out.endswith("}\n")


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("table", ck.KPIResult.to_table),
        ("markdown", ck.KPIResult.to_markdown),
        ("csv", ck.KPIResult.to_csv),
    ],
)
def test_example_in_each_text_format(
    capsys: pytest.CaptureFixture[str], name: str, render: Any
) -> None:
    """Each format prints the result's own rendering, exactly."""
    code, out, err = run(capsys, "--example", "--format", name, "--by", "generation")
    assert (code, err) == (0, "")
    assert out == render(expected(by="generation"))


def test_an_sme_under_two_ids_is_counted_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The note is printed under the tables and in the JSON; nothing is left out."""
    folder = Path(shutil.copytree(BASE, tmp_path / "data"))
    with (folder / "smes.csv").open("a", encoding="utf-8") as smes:
        smes.write("SME-005,LUMEN OPTICS GMBH (Fictional),DE,,,,,DE-001,\n")
    activities = (folder / "activities.csv").read_text(encoding="utf-8")
    (folder / "activities.csv").write_text(
        activities.replace("US,DE,,DE-001,SME-001,12", "US,DE,,DE-001,SME-005,12"),
        encoding="utf-8",
    )
    note = "1 SME id counted as a duplicate of another SME (CK-DUP-001): SME-005 as SME-001"
    code, out, err = run(capsys, str(folder))
    assert (code, err) == (0, "")
    assert f"\n{note}\n" in out
    code, out, err = run(capsys, str(folder), "--format", "json")
    assert json.loads(out)["notes"] == [note]
    assert json.loads(out)["duplicate_smes"] == {"SME-005": "SME-001"}


def test_table_is_the_default_format(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --format: the text tables."""
    code, out, _ = run(capsys, "--example")
    assert code == 0
    assert out == expected().to_table()
    assert out.startswith("Scope: every record")


def test_by_with_commas_and_repeats(capsys: pytest.CaptureFixture[str]) -> None:
    """--by takes repeats and comma-separated lists; keys follow DIMENSIONS order."""
    code, out, _ = run(
        capsys,
        "--example",
        "--format",
        "json",
        "--by",
        "year,generation",
        "--by",
        "partnership",
    )
    assert code == 0
    data = json.loads(out)
    assert data["scope"]["by"] == ["partnership", "generation", "year"]
    assert data == expected(by=["partnership", "generation", "year"]).to_dict()
    assert list(data["groups"][0]["key"]) == ["partnership", "generation", "year"]


def test_filters_with_commas_and_repeats(capsys: pytest.CaptureFixture[str]) -> None:
    """--generation, --partnership and --target-country: repeats, commas, any spelling."""
    code, out, _ = run(
        capsys,
        "--example",
        "--format",
        "json",
        "--generation",
        "escp-4i-1,escp-4i-2",
        "--generation",
        "escp-4i-1",
        "--target-country",
        "USA",
        "--target-country",
        "China,Japan",
    )
    assert code == 0
    data = json.loads(out)
    assert data["scope"]["generation"] == ["escp-4i-1", "escp-4i-2"]
    assert data["scope"]["target_country"] == ["US", "CN", "JP"]
    assert (
        data
        == expected(
            generation=["escp-4i-1", "escp-4i-2"], target_country=["US", "CN", "JP"]
        ).to_dict()
    )
    partnerships = [p.id for p in ck.load_example().partnerships][:2]
    code, out, _ = run(
        capsys, "--example", "--format", "json", "--partnership", ",".join(partnerships)
    )
    assert code == 0
    data = json.loads(out)
    assert data["scope"]["partnership"] == partnerships
    assert data["kpis"]["partnerships"] == 2


def test_from_and_to(capsys: pytest.CaptureFixture[str]) -> None:
    """--from and --to are the inclusive date range of the scope."""
    code, out, _ = run(
        capsys,
        "--example",
        "--format",
        "json",
        "--from",
        "2017-01-01",
        "--to",
        "2018-12-31",
    )
    assert code == 0
    data = json.loads(out)
    assert (data["scope"]["start"], data["scope"]["end"]) == (
        "2017-01-01",
        "2018-12-31",
    )
    assert (
        data == expected(start=dt.date(2017, 1, 1), end=dt.date(2018, 12, 31)).to_dict()
    )
    assert data["kpis"]["activities"] < expected()["activities"]


def test_reconcile_in_json_table_and_markdown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--reconcile adds the reconciliation for the one generation in scope."""
    result = expected(generation="escp-4i-1")
    reconciliation = kpis.reconcile(result)
    code, out, _ = run(
        capsys,
        "--example",
        "--generation",
        "escp-4i-1",
        "--reconcile",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["reconciliation"] == reconciliation.to_dict()
    del data["reconciliation"]
    assert data == result.to_dict()
    code, out, _ = run(capsys, "--example", "--generation", "escp-4i-1", "--reconcile")
    assert out == result.to_table() + "\n" + reconciliation.to_table()
    code, out, _ = run(
        capsys,
        "--example",
        "--generation",
        "escp-4i-1",
        "--reconcile",
        "--format",
        "markdown",
    )
    assert out == result.to_markdown() + "\n" + reconciliation.to_markdown()
    assert "## Published figures" in out


def test_reconcile_needs_one_generation(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --generation there is no publication to reconcile with: usage error."""
    code, out, err = run(capsys, "--example", "--reconcile")
    assert (code, out) == (2, "")
    assert err.startswith(
        "clusterkit kpis: reconcile needs KPIs scoped to one generation"
    )


def test_reconcile_is_not_written_as_csv(capsys: pytest.CaptureFixture[str]) -> None:
    """The CSV holds one table of KPIs: --reconcile with it is a usage error."""
    code, out, err = run(
        capsys,
        "--example",
        "--generation",
        "escp-4i-1",
        "--reconcile",
        "--format",
        "csv",
    )
    assert (code, out) == (2, "")
    assert "--reconcile needs --format table, markdown or json" in err


def test_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--output writes the text to FILE and nothing to stdout."""
    target = tmp_path / "kpis.json"
    code, out, err = run(
        capsys, "--example", "--format", "json", "--output", str(target)
    )
    assert (code, out, err) == (0, "", "")
    assert json.loads(target.read_text(encoding="utf-8")) == expected().to_dict()


@pytest.mark.parametrize("where", [".", "missing/kpis.txt"])
def test_unwritable_output_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    """A folder, or a file in a folder that does not exist: exit 2, why on stderr."""
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "--example", "--output", where)
    assert (code, out) == (2, "")
    assert err.startswith(f"clusterkit kpis: cannot write {where}: ")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--example", "--jobs", "0"), "'0' is not a whole number of processes"),
        (("--example", "--jobs", "two"), "'two' is not a whole number"),
        # Below 1, not below 0: the message of 0 (it said "at least 0").
        (
            ("--example", "--jobs", "-1"),
            "'-1' is not a whole number of processes (at least 1)",
        ),
        (
            (str(BASE), "--example"),
            "give one of a dataset PATH, --example or --programme",
        ),
        (("no/such/folder",), "no/such/folder: no such file or directory"),
        (("--example", "--by", "country"), "'country' is not a breakdown"),
        (("--example", "--generation", "escp-4i-9"), "did you mean 'escp-4i-"),
        (("--example", "--target-country", "Atlantis"), "target_country:"),
        (("--example", "--from", "2019-13-01"), "'2019-13-01' is not a date"),
        (
            ("--example", "--from", "2019-02-01", "--to", "2019-01-01"),
            "before it starts",
        ),
        (("--example", "--format", "xml"), "invalid choice: 'xml'"),
        (("--example", "--ignore", "CK-NOPE"), "ignore: 'CK-NOPE' names no rule"),
        (("--example", "--threshold", "members=2"), "'members' is not a threshold"),
        (
            ("--example", "--no-validate", "--ignore", "CK-PART-001"),
            "--no-validate does not go with --ignore: it checks only",
        ),
        (
            (
                "--example",
                "--no-validate",
                "--select",
                "CK-FK",
                "--threshold",
                "min_members=2",
            ),
            "--no-validate does not go with --select, --threshold: ",
        ),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    """Arguments that cannot be carried out: exit 2, one line on stderr, no output."""
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err
    assert err.count("\n") == 1


def test_jobs_on_a_small_dataset(capsys: pytest.CaptureFixture[str]) -> None:
    """--jobs on a dataset too small to share gives the same output."""
    code, out, _ = run(capsys, "--example", "--format", "json", "--jobs", "2")
    assert code == 0
    assert json.loads(out) == expected().to_dict()


def test_dataset_with_errors_exits_1_and_says_what_was_left_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The KPIs are printed; stderr names the table, the count and the rule."""
    path = INVALID / "CK-FK-001"
    code, out, err = run(capsys, str(path), "--format", "json")
    assert code == 1
    assert json.loads(out) == expected(path).to_dict()
    assert err == (
        "clusterkit kpis: records left out: activities 1; errors found: "
        f"CK-FK-001 (1); run `clusterkit validate {path}` for where and why\n"
    )


def test_several_tables_and_rules_left_out(capsys: pytest.CaptureFixture[str]) -> None:
    """A partnership left out takes its targets and activities with it: all are named."""
    path = INVALID / "CK-PART-001"
    code, _, err = run(capsys, str(path))
    assert code == 1
    assert "records left out: partnerships 1, targets 2, activities 2; " in err
    assert "errors found: CK-PART-001 (1);" in err


def test_a_file_that_cannot_be_read_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    """No record excluded, but a file could not be read: still exit 1, and said so."""
    code, out, err = run(capsys, str(INVALID / "CK-FILE-001"))
    assert code == 1
    assert out == expected(INVALID / "CK-FILE-001").to_table()
    assert (
        "records left out: none; a file could not be read in full, and the rows "
        "after where its reading stopped are not counted; " in err
    )
    assert "errors found: CK-FILE-001 (1)" in err


def test_no_validate(capsys: pytest.CaptureFixture[str]) -> None:
    """--no-validate uses records with errors; unplaceable activities still exit 1."""
    code, out, err = run(
        capsys, str(INVALID / "CK-PART-001"), "--no-validate", "--format", "json"
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["kpis"]["partnerships"] == 2
    assert data == expected(INVALID / "CK-PART-001", validate=False).to_dict()
    code, _, err = run(capsys, str(INVALID / "CK-FK-001"), "--no-validate")
    assert code == 1
    assert err.startswith("clusterkit kpis: records left out: activities 1; run ")


TOO_FEW_MEMBERS = INVALID / "CK-PART-001"


@pytest.mark.parametrize(
    ("argv", "scope"),
    [
        (("--ignore", "CK-PART-001"), {"ignore": ["CK-PART-001"]}),
        (("--ignore", "CK-DATE-004,CK-PART"), {"ignore": "CK-DATE-004,CK-PART"}),
        (("--select", "CK-FK", "--select", "CK-DATE"), {"select": "CK-FK,CK-DATE"}),
        (
            ("--threshold", "min_members=2"),
            {"thresholds": ck.Thresholds(min_members=2)},
        ),
    ],
)
def test_rules_chosen_for_the_gate(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], scope: dict[str, Any]
) -> None:
    """--ignore, --select and --threshold as for validate: P2 (too few members) counts."""
    path = TOO_FEW_MEMBERS
    code, out, err = run(capsys, str(path), *argv, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data == expected(path, **scope).to_dict()
    assert (data["kpis"]["partnerships"], data["kpis"]["activities"]) == (2, 6)
    assert data["excluded_by_rule"] == {}


def test_rules_not_ignored_still_leave_records_out(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With --ignore, stderr still names the rules that left records out, and counts."""
    path = INVALID / "CK-FK-001"
    code, _, err = run(capsys, str(path), "--ignore", "CK-PART-001")
    assert code == 1
    assert err == (
        "clusterkit kpis: records left out: activities 1; errors found: "
        f"CK-FK-001 (1); run `clusterkit validate {path}` for where and why\n"
    )
    code, _, err = run(capsys, str(BASE), "--threshold", "min_members=4")
    assert code == 1
    assert "records left out: partnerships 1, targets 2, activities 2; " in err
    assert "errors found: CK-PART-001 (1);" in err


def test_as_of(capsys: pytest.CaptureFixture[str]) -> None:
    """--as-of is "today" for CK-DATE-004: later dates are in the future."""
    code = cli.main(["kpis", str(BASE), "--as-of", "2019-01-01", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1
    assert "errors found: CK-DATE-004 (" in captured.err
    assert json.loads(captured.out)["kpis"]["activities"] == 3
    code = cli.main(["kpis", str(BASE), "--as-of", "2019-12-31"])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")


def test_default_path_is_the_current_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without PATH: the dataset in the current folder."""
    monkeypatch.chdir(shutil.copytree(BASE, tmp_path / "data"))
    code, out, err = run(capsys, "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == expected(BASE).to_dict()
    monkeypatch.chdir(INVALID / "CK-FK-001")
    code, _, err = run(capsys)
    assert code == 1
    assert "run `clusterkit validate .` for where and why" in err


def test_an_internal_error_is_one_line_and_exit_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected exception in the engine: exit 3, no traceback."""

    def broken(*args: Any, **kwargs: Any) -> ck.KPIResult:
        raise RuntimeError("boom")

    monkeypatch.setattr(_kpis, "compute_kpis", broken)
    code, out, err = run(capsys, "--example")
    assert (code, out) == (3, "")
    assert err.startswith("clusterkit: internal error: RuntimeError: boom; ")


class _Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self) -> bool:
        """It is a terminal."""
        return True


def test_progress_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal (not in CI), rows read so far show on stderr, then are cleared."""
    terminal = _Terminal()
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setattr(_common, "PROGRESS_EVERY", 0.0)
    assert cli.main(["kpis", str(BASE), "--format", "json", *AS_OF_ARGS]) == 0
    shown = terminal.getvalue()
    assert "\rreading " in shown
    assert "activities.csv: 6 rows" in shown
    assert shown.endswith("\r")
    assert json.loads(capsys.readouterr().out) == expected(BASE).to_dict()


def test_no_progress_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """In CI, even on a terminal, a complete run writes nothing to stderr."""
    terminal = _Terminal()
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(sys, "stderr", terminal)
    assert cli.main(["kpis", str(BASE), *AS_OF_ARGS]) == 0
    assert terminal.getvalue() == ""


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`kpis --help` lists the options and exits 0."""
    code = cli.main(["kpis", "--help"])
    out = capsys.readouterr().out
    assert code == 0
    for option in (
        "--example",
        "--by",
        "--reconcile",
        "--jobs",
        "--no-validate",
        "--select",
        "--ignore",
        "--threshold",
    ):
        assert option in out


def test_python_dash_m(tmp_path: Path) -> None:
    """`python -m clusterkit kpis --example` in a process of its own."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "clusterkit",
            "kpis",
            "--example",
            "--format",
            "json",
            *AS_OF_ARGS,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == expected().to_dict()


@pytest.mark.parametrize("width", [40, 80, 120])
def test_a_wide_breakdown_fits_the_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """By partnership and year, with the reconciliation, every line fits the terminal.

    The prose (the scope, the publication's title and address) wraps too; only a
    word longer than the width (the publication's address) stands on its own line.
    """
    monkeypatch.setattr(_kpis, "terminal_width", lambda _: width)
    code, out, _ = run(
        capsys, "--example", "--by", "partnership,year", "--generation", "escp-4i-2",
        "--reconcile",
    )  # fmt: skip
    assert code == 0
    table_lines = out.splitlines()
    too_wide = [line for line in table_lines if len(line) > width]
    assert all(" " not in line for line in too_wide)
    assert "Reconciled with: " in out
    # Too wide for columns: each group is a block of `column: value` lines.
    assert any(line.startswith("partnership:") for line in table_lines)
    whole = expected(by=["partnership", "year"], generation="escp-4i-2").to_table()
    assert max(map(len, whole.splitlines())) > 120
