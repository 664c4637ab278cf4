"""The scripts in examples/ run and print what they promise."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import clusterkit as ck
from conftest import write

EXAMPLES = Path(__file__).parents[1] / "examples"
DATA = Path(__file__).parent / "data"


def run_example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one example script as a user would."""
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_quickstart_describes_the_example() -> None:
    """The quick start prints the example's tables, partnerships and activity types."""
    done = run_example("quickstart.py")
    assert done.returncode == 0, done.stderr
    assert "fictional" in done.stdout
    assert re.search(r"^  activities +150$", done.stdout, re.MULTILINE)
    assert re.search(r"^  clusters +25$", done.stdout, re.MULTILINE)
    assert "Activities by type:" in done.stdout


def test_quickstart_on_a_broken_dataset(tmp_path: Path) -> None:
    """Given an unreadable dataset, the quick start says why and exits 1."""
    write(tmp_path / "clusters.csv", "id,name,country\nC1,N,Atlantis\n")
    done = run_example("quickstart.py", str(tmp_path))
    assert done.returncode == 1
    assert "'Atlantis' is not a known country" in done.stderr


def test_validate_dataset_on_the_example() -> None:
    """The bundled example is valid: exit 0, its CK-GEO-002 warnings counted."""
    warnings = ck.validate(ck.io.example_path()).summary.by_rule["CK-GEO-002"]
    done = run_example("validate_dataset.py")
    assert done.returncode == 0, done.stderr
    header = f"CK-GEO-002 activity targets an undeclared market: {warnings} warnings"
    assert header in done.stdout.splitlines()
    assert done.stdout.rstrip().endswith(": valid")


def test_validate_dataset_on_an_invalid_dataset() -> None:
    """A dataset with an unknown partnership exits 1 and names CK-FK-001."""
    done = run_example("validate_dataset.py", str(DATA / "invalid" / "CK-FK-001"))
    assert done.returncode == 1, done.stderr
    assert re.search(r"^CK-FK-001 .*: 1 error$", done.stdout, re.MULTILINE)
    assert "did you mean 'P1'?" in done.stdout
    assert done.stdout.rstrip().endswith(": invalid")


def test_compute_kpis_on_the_example() -> None:
    """The example prints each generation's KPIs and reconciles the first one."""
    result = ck.compute_kpis(ck.io.example_path(), by="generation")
    done = run_example("compute_kpis.py")
    assert done.returncode == 0, done.stderr
    first = result.groups[0]
    assert (
        f"escp-4i-1: partnerships {first['partnerships']}, "
        f"smes_involved {first['smes_involved']}," in done.stdout
    )
    assert "Reconciled with:" in done.stdout
    assert re.search(r"^c2c_meetings +\d+ +370 ", done.stdout, re.MULTILINE)


def test_compute_kpis_on_an_invalid_dataset() -> None:
    """Records left out make the example say so and exit 1."""
    done = run_example("compute_kpis.py", str(DATA / "invalid" / "CK-FK-001"))
    assert done.returncode == 1
    assert "left out: 1 activities" in done.stderr


def test_kpis_in_pandas_on_the_example() -> None:
    """The pandas example prints KPIs by generation and year, then without webinars."""
    example = ck.load_example()
    done = run_example("kpis_in_pandas.py")
    assert done.returncode == 0, done.stderr
    assert re.search(r"^ *escp-4i-1 +2016 +38 ", done.stdout, re.MULTILINE)
    assert "B2B meetings by partnership:" in done.stdout
    webinars = sum(a.type == ck.ActivityType.WEBINAR for a in example.activities)
    left = len(example.activities) - webinars
    assert f"activities without webinars: {left}" in done.stdout


def test_kpis_in_pandas_on_an_invalid_dataset() -> None:
    """Errors are printed from the report's frame, and the exit code is 1."""
    done = run_example("kpis_in_pandas.py", str(DATA / "invalid" / "CK-FK-001"))
    assert done.returncode == 1
    assert "CK-FK-001" in done.stderr
    assert "activities.csv" in done.stderr


def test_readme_main_job_is_kpis_on_the_example() -> None:
    """The README's first quick-start command computes the KPIs of the example."""
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"```console\n(python -m venv .*?)\n```", readme)
    assert commands[0].endswith("&& .venv/bin/clusterkit kpis --example")
    done = subprocess.run(
        [sys.executable, "-m", "clusterkit", "kpis", "--example"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(
        r"^SMEs involved +smes_involved +[\d,]+$", done.stdout, re.MULTILINE
    )


def test_clean_country_column_on_its_sample() -> None:
    """The sample column: codes, how each was read, and the values to check."""
    done = run_example("clean_country_column.py")
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == "value,code,read_as,note"
    assert "ドイツ,DE,translation (ja)," in lines
    assert "Frnce,FR,typo,a guess: check it" in lines
    assert "Korea,,ambiguous,could be KP or KR" in lines
    assert any(line.startswith("Gambit,,unknown,") for line in lines)
    assert "11 values: 7 read, 1 guessed, 3 not one country" in done.stderr


def test_clean_country_column_of_a_file(tmp_path: Path) -> None:
    """A file's column is cleaned and the file left as it was; all clean exits 0."""
    path = write(tmp_path / "members.csv", "name,country\nA,DE\nB,Deutschland\n")
    before = path.read_bytes()
    done = run_example("clean_country_column.py", str(path), "country")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        "DE,DE,code,",
        "Deutschland,DE,translation,",
    ]
    assert path.read_bytes() == before
    assert run_example("clean_country_column.py", "only-one").returncode == 2


def test_kpi_report_writes_a_page_and_a_workbook(tmp_path: Path) -> None:
    """The example's reports: a page and a workbook, reconciled for one generation."""
    done = run_example(
        "kpi_report.py", str(tmp_path), str(ck.io.example_path()), "escp-4i-1"
    )
    assert done.returncode == 0, done.stderr
    assert (
        (tmp_path / "report.html")
        .read_text(encoding="utf-8")
        .startswith("<!DOCTYPE html>")
    )
    assert (tmp_path / "report.xlsx").read_bytes()[:2] == b"PK"
    lines = done.stdout.splitlines()
    assert lines[2] == "3 partnerships, 73 activities"
    assert re.fullmatch(r"published figures the KPIs agree with: \d of 9", lines[3])


def test_kpi_report_of_an_invalid_dataset(tmp_path: Path) -> None:
    """Records left out: both reports are still written; exit 1."""
    done = run_example(
        "kpi_report.py", str(tmp_path), str(DATA / "invalid" / "CK-FK-001")
    )
    assert done.returncode == 1
    assert "left out: 1 records" in done.stderr
    assert (tmp_path / "report.xlsx").exists()
    assert run_example("kpi_report.py").returncode == 2
