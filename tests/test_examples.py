"""The scripts in examples/ run and print what they promise."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

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


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (("escp-4i-1", "escp-9"), "escp-9?"),
        (("BG-002;PL-003", "BG-002;XX-999"), "XX-999?"),
    ],
    ids=["unknown generation", "unknown member cluster"],
)
def test_quickstart_on_references_it_cannot_follow(
    tmp_path: Path, change: tuple[str, str], shown: str
) -> None:
    """A dataset that loads but names what it lacks is described, the ids shown."""
    data = tmp_path / "data"
    data.mkdir()
    for table in ck.io.example_path().iterdir():
        write(data / table.name, table.read_text(encoding="utf-8"))
    partnerships = data / "partnerships.csv"
    text = partnerships.read_text(encoding="utf-8")
    assert change[0] in text
    write(partnerships, text.replace(*change, 1))
    done = run_example("quickstart.py", str(data))
    assert done.returncode == 0, done.stderr
    assert shown in done.stdout


def test_validate_dataset_shows_what_a_file_name_would_make_a_runner_do(
    tmp_path: Path,
) -> None:
    """A file name holding a line break and a workflow command is printed escaped."""
    data = tmp_path / "data"
    data.mkdir()
    for table in ck.io.example_path().iterdir():
        write(data / table.name, table.read_text(encoding="utf-8"))
    hostile = "x\n::error file=README.md::injected\x1b[2J partnerships.csv"
    (data / "partnerships.csv").rename(data / hostile)
    done = run_example("validate_dataset.py", str(data))
    assert "CK-FILE-003" in done.stdout
    assert "\\n::error file=README.md::injected\\x1b[2J" in done.stdout
    assert not [
        line for line in done.stdout.splitlines() if line.lstrip().startswith("::")
    ]
    assert "\x1b" not in done.stdout


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


@pytest.fixture(name="webapp", scope="module")
def fixture_webapp() -> TestClient:
    """A test client of the web service example, imported as uvicorn would."""
    spec = importlib.util.spec_from_file_location("webapp", EXAMPLES / "webapp.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return TestClient(module.app)


def zipped_example() -> bytes:
    """The bundled example's CSV folder as the bytes of a .zip, as a user uploads it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(ck.io.example_path().iterdir()):
            archive.write(path, path.name)
    return buffer.getvalue()


class TestWebapp:
    """The FastAPI example; the suite runs with warnings as errors, so none is emitted."""

    def test_validate(self, webapp: TestClient) -> None:
        """An uploaded .zip gets the report that clusterkit.validate gives."""
        done = webapp.post("/validate", files={"file": ("ex.zip", zipped_example())})
        assert done.status_code == 200
        expected = ck.validate(ck.io.example_path())
        assert done.json()["valid"] is True
        assert done.json()["summary"]["by_rule"] == expected.summary.by_rule

    def test_kpis(self, webapp: TestClient) -> None:
        """The KPIs by generation; an unknown breakdown is a 422 that names it."""
        upload = {"file": ("ex.zip", zipped_example())}
        done = webapp.post("/kpis", params={"by": "generation"}, files=upload)
        assert done.status_code == 200
        result = ck.compute_kpis(ck.io.example_path(), by="generation")
        assert done.json() == json.loads(result.to_json())
        refused = webapp.post("/kpis", params={"by": "colour"}, files=upload)
        assert refused.status_code == 422
        assert "'colour' is not a breakdown" in refused.json()["detail"]

    def test_dataset(self, webapp: TestClient) -> None:
        """The upload comes back as the Dataset model; a bad record is a located 422."""
        done = webapp.post("/dataset", files={"file": ("ex.zip", zipped_example())})
        assert done.status_code == 200
        assert ck.Dataset.model_validate(done.json()) == ck.load_example()
        bad = b'{"clusters": [{"id": "C1", "name": "N", "country": "Atlantis"}]}'
        refused = webapp.post("/dataset", files={"file": ("bad.json", bad)})
        assert refused.status_code == 422
        assert refused.json()["detail"].startswith("bad.json:1 at /clusters/0/country")

    def test_partnership_model_as_body(self, webapp: TestClient) -> None:
        """A partnership body is normalised by the model; a bad one is FastAPI's 422."""
        body = {"id": " P1 ", "acronym": "A", "name": "N", "generation": "escp-4i-1"}
        done = webapp.post("/partnerships", json=body)
        assert done.status_code == 200
        assert done.json()["id"] == "P1"
        assert done.json()["funding"] == "co_funded"
        refused = webapp.post("/partnerships", json={"id": "P1"})
        assert refused.status_code == 422
        assert {entry["loc"][-1] for entry in refused.json()["detail"]} >= {"name"}

    def test_openapi_lists_the_models(self, webapp: TestClient) -> None:
        """The schema names every record model and vocabulary of a dataset."""
        schemas = webapp.get("/openapi.json").json()["components"]["schemas"]
        assert {"Dataset", "Cluster", "SME", "ActivityRecord", "ActivityType"} <= set(
            schemas
        )

    def test_validate_keeps_a_hundred_findings(self, webapp: TestClient) -> None:
        """Bad rows by the hundred: the report keeps 100 findings and counts them all."""
        rows = ["id,partnership,type,start,target_country,b2b_meetings"] + [
            f"A{i},P{i % 7},webinarr,2016-02-3{i % 10},Frnce{i % 3},-{i}"
            for i in range(300)
        ]
        upload = io.BytesIO()
        with zipfile.ZipFile(upload, "w") as archive:
            archive.writestr("activities.csv", "\n".join(rows) + "\n")
        done = webapp.post("/validate", files={"file": ("bad.zip", upload.getvalue())})
        assert done.status_code == 200
        summary = done.json()["summary"]
        assert len(done.json()["findings"]) == summary["shown"] == 100
        assert summary["truncated"] is True
        assert summary["total"] > 1_000

    def test_kpis_of_no_dataset_is_a_422(self, webapp: TestClient) -> None:
        """An upload of which nothing could be read: a 422 that says why, not KPIs of 0."""
        refused = webapp.post("/kpis", files={"file": ("junk.bin", b"not a dataset")})
        assert refused.status_code == 422
        assert refused.json()["detail"].startswith(
            "junk.bin: cannot tell its format from its first bytes"
        )
        empty = webapp.post("/kpis", files={"file": ("empty.json", b"{}")})
        assert empty.status_code == 200

    def test_infinite_number_in_a_body_is_a_422(self, webapp: TestClient) -> None:
        """`1e400` reads as infinity: FastAPI's 422, its input written as a string."""
        body = (
            '{"id": "P1", "acronym": "A", "name": "N", "generation": "escp-4i-1", '
            '"smes_reached": 1e400}'
        )
        refused = webapp.post(
            "/partnerships",
            content=body,
            headers={"content-type": "application/json"},
        )
        assert refused.status_code == 422
        [entry] = refused.json()["detail"]
        assert entry["loc"] == ["body", "smes_reached"]
        assert entry["input"] == "Infinity"
