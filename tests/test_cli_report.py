"""`clusterkit report`: the HTML page or workbook of the KPIs, its options and exit codes."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import openpyxl
import pytest

from clusterkit import cli
from clusterkit.io import example_path
from clusterkit.reference import programme_path
from clusterkit.reports import KPIReport

DATA = Path(__file__).parent / "data"
AS_OF = dt.date(2026, 1, 1)
AS_OF_ARGS = ("--as-of", AS_OF.isoformat())


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `clusterkit report ARGV --as-of 2026-01-01` in-process."""
    code = cli.main(["report", *argv, *AS_OF_ARGS])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_html_of_the_example(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`--example -o r.html` writes the page the API writes; exit 0."""
    target = tmp_path / "r.html"
    code, out, err = run(capsys, "--example", "--output", str(target))
    assert (code, err) == (0, "")
    assert out == f"wrote {target}: 6 partnerships, 150 activities\n"
    expected = KPIReport.build(example_path(), as_of=AS_OF)
    assert target.read_text(encoding="utf-8") == expected.to_html()


def test_scope_options_reach_the_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Generation, partnership, dates, country, period and rules are the API's arguments."""
    target = tmp_path / "r.xlsx"
    code, _, _ = run(
        capsys,
        str(example_path()),
        "-o",
        str(target),
        "--generation",
        "escp-4i-2",
        "--partnership",
        "P04,P05",
        "--from",
        "2018-01-01",
        "--to",
        "2019-12-31",
        "--target-country",
        "USA",
        "--period",
        "quarter",
        "--ignore",
        "CK-GEO",
        "--threshold",
        "min_members=2",
    )
    assert code == 0
    workbook = openpyxl.load_workbook(target)
    assert "Activities by quarter" in workbook.sheetnames
    assert "Reconciliation" in workbook.sheetnames
    about = {
        row[0]: row[1]
        for row in workbook["About"].iter_rows(min_row=2, max_row=5, values_only=True)
    }
    assert about["scope"] == (
        "generation escp-4i-2; partnership P04, P05; activities from 2018-01-01 "
        "to 2019-12-31; target country US"
    )


def test_the_programme(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """`--programme` reports on the register of real partnerships."""
    target = tmp_path / "r.html"
    code, out, _ = run(capsys, "--programme", "-o", str(target))
    assert (code, out) == (0, f"wrote {target}: 51 partnerships, 0 activities\n")
    assert f"{programme_path()} (" in target.read_text(encoding="utf-8")


def test_records_left_out_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The report is written; stderr says what was left out; exit 1."""
    target = tmp_path / "r.html"
    code, _, err = run(capsys, str(DATA / "invalid" / "CK-FK-001"), "-o", str(target))
    assert code == 1
    assert err == (
        "clusterkit report: 1 records left out; errors found: CK-FK-001 (1); "
        "the report lists them\n"
    )
    assert "CK-FK-001" in target.read_text(encoding="utf-8")


def test_a_file_not_read_in_full_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Nothing left out, yet an error found: exit 1 all the same."""
    (tmp_path / "notes.txt").write_text("no tables", encoding="utf-8")
    code, _, err = run(capsys, str(tmp_path), "-o", str(tmp_path / "r.html"))
    assert code == 1
    assert err.startswith(
        "clusterkit report: 0 records left out; a file could not be read in full, "
        "and the rows after where its reading stopped are not counted; errors "
        "found: CK-"
    )


def test_standard_input(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`-` reads a JSON document on standard input, once."""
    document = tmp_path / "d.json"
    cli.main(["convert", str(example_path()), str(document)])
    capsys.readouterr()
    stdin = io.TextIOWrapper(io.BytesIO(document.read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "-", "-o", str(tmp_path / "r.html"))
    assert code == 0
    assert "150 activities" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--example", "-o", "r.pdf"],
            "--output r.pdf: a report is a .html or .xlsx file",
        ),
        (["--example", "--programme", "-o", "r.html"], "give one of a dataset PATH"),
        (["missing", "-o", "r.html"], "missing: no such file or directory"),
        (
            ["--example", "-o", "r.html", "--generation", "nope"],
            "generation 'nope' is not in the data",
        ),
        (["--example"], "the following arguments are required: --output/-o"),
        (["--example", "-o", "r.html", "--period", "month"], "invalid choice: 'month'"),
    ],
)
def test_usage_errors(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    """A bad output, source or scope: a one-line message and exit 2."""
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert not list(tmp_path.iterdir())


def test_an_unwritable_output(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A folder that does not exist: a usage error that says why."""
    code, _, err = run(capsys, "--example", "-o", str(tmp_path / "no" / "r.html"))
    assert code == 2
    assert err.startswith(
        f"clusterkit report: cannot write {tmp_path / 'no' / 'r.html'}:"
    )


def test_a_missing_extra(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without matplotlib, the page cannot be drawn: exit 2, naming the extra."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, _, err = run(capsys, "--example", "-o", str(tmp_path / "r.html"))
    assert code == 2
    assert "pip install 'clusterkit-eu[report]'" in err


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`report --help` lists the scope options of `kpis` and its own."""
    assert cli.main(["report", "--help"]) == 0
    out = capsys.readouterr().out
    for option in (
        "--output",
        "--example",
        "--programme",
        "--generation",
        "--partnership",
        "--target-country",
        "--from",
        "--to",
        "--period",
        "--as-of",
        "--select",
    ):
        assert option in out
