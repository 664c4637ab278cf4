"""The command line: schema and convert, exit codes, no tracebacks."""

from __future__ import annotations

import ast
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import clusterkit as ck
from clusterkit import cli
from clusterkit.cli import _schema
from clusterkit.io import dump_dataset, load_dataset
from clusterkit.schema import json_schema
from conftest import write


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return the exit code, stdout and stderr."""
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_schema_of_the_dataset_and_of_a_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`schema` prints JSON Schema; with a table, that table's record schema."""
    code, out, _ = run(capsys, "schema")
    assert code == 0
    assert json.loads(out)["title"] == "clusterkit dataset"
    code, out, _ = run(capsys, "schema", "activities")
    assert json.loads(out) == json_schema("activities")
    code, out, _ = run(capsys, "schema", "clusters", "--format", "table-schema")
    assert json.loads(out)["primaryKey"] == ["id"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "a COMMAND is required"),
        (("schema", "members"), "invalid choice: 'members'"),
        (("schema", "--format", "table-schema"), "needs a TABLE"),
        (("convert", "only-one"), "the following arguments are required: DEST"),
        (("frobnicate",), "invalid choice"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], message: str
) -> None:
    """A command line that cannot be carried out exits 2 with the reason."""
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--help and --version print and exit 0."""
    code, out, _ = run(capsys, "--help")
    assert (code, "convert" in out) == (0, True)
    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"clusterkit {ck.__version__}")


class TestConvert:
    """`clusterkit convert SRC DEST`."""

    @pytest.mark.parametrize(
        ("dest", "to"),
        [
            ("out.json", None),
            ("out.xlsx", None),
            ("out", "jsonl"),
            ("out.jsonl", None),
            ("out", None),
        ],
    )
    def test_between_layouts(
        self,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
        example_dir: Path,
        example: ck.Dataset,
        dest: str,
        to: str | None,
    ) -> None:
        """Every layout converts to every other without losing a record."""
        argv = ["convert", str(example_dir), str(tmp_path / dest)] + (
            ["--to", to] if to else []
        )
        code, out, _ = run(capsys, *argv)
        assert code == 0
        assert "150 activities" in out
        assert load_dataset(tmp_path / dest) == example

    def test_refuses_to_overwrite(
        self,
        capsys: pytest.CaptureFixture[str],
        tmp_path: Path,
        example: ck.Dataset,
        example_dir: Path,
    ) -> None:
        """An existing destination needs --force; the source is never the destination."""
        dump_dataset(example, tmp_path / "d.json")
        code, _, err = run(
            capsys, "convert", str(example_dir), str(tmp_path / "d.json")
        )
        assert code == 2
        assert "use --force" in err
        assert (
            run(
                capsys, "convert", str(example_dir), str(tmp_path / "d.json"), "--force"
            )[0]
            == 0
        )
        code, _, err = run(
            capsys,
            "convert",
            str(tmp_path / "d.json"),
            str(tmp_path / "d.json"),
            "--force",
        )
        assert code == 2
        assert "is an input of this run" in err

    def test_bad_input_exits_1(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """An unreadable source exits 1 with the located message, no traceback."""
        write(tmp_path / "src" / "clusters.csv", "id,name,country\nC1,N,Atlantis\n")
        code, out, err = run(
            capsys, "convert", str(tmp_path / "src"), str(tmp_path / "out.json")
        )
        assert code == 1
        assert f"{tmp_path / 'src' / 'clusters.csv'}:2:3 (country)" in err
        assert "Traceback" not in out + err
        assert not (tmp_path / "out.json").exists()


def test_internal_errors_exit_3(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug prints one line with where to report it, and exits 3."""

    def broken(table: str | None) -> dict[str, object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(_schema, "json_schema", broken)
    code, _, err = run(capsys, "schema")
    assert code == 3
    assert err.count("\n") == 1
    assert "internal error: RuntimeError: boom; please report it" in err


def test_closed_pipe_is_not_an_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the reader goes away (`| head`), the command ends quietly."""

    def closed(data: object, out: object) -> None:
        raise BrokenPipeError

    monkeypatch.setattr(_schema, "print_json", closed)
    real_stdout = sys.stdout
    try:
        assert run(capsys, "schema")[0] == 0
    finally:
        sys.stdout.close()
        sys.stdout = real_stdout


def test_python_dash_m(tmp_path: Path) -> None:
    """`python -m clusterkit` runs the same command line."""
    done = subprocess.run(
        [sys.executable, "-m", "clusterkit", "schema", "targets"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0
    assert json.loads(done.stdout)["title"] == "ThirdCountryTarget"


class TestCountry:
    """`clusterkit country VALUE ...`."""

    def test_table(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Each value gets its codes and its status on the day, one line each."""
        code, out, _ = run(
            capsys,
            "country",
            "EL",
            "U.S.A.",
            "Frnce",
            "Allemagne",
            "--on",
            "2019-06-01",
        )
        assert code == 0
        lines = out.splitlines()
        assert lines[0] == "on 2019-06-01"
        assert lines[1].split()[:6] == ["input", "read", "as", "ISO", "EU", "alpha-3"]
        assert lines[2].split()[:7] == [
            "EL",
            "code",
            "GR",
            "EL",
            "GRC",
            "300",
            "Greece",
        ]
        assert lines[2].split()[-4:] == ["yes", "yes", "no", "no"]
        assert lines[3].split()[:4] == ["U.S.A.", "alias", "US", "US"]
        assert lines[3].split()[-4:] == ["no", "no", "yes", "yes"]
        assert lines[4].split()[:3] == ["Frnce", "typo", "FR"]
        assert lines[5].split()[:4] == ["Allemagne", "translation", "(fr)", "DE"]

    def test_errors_are_reported_on_their_line(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """An unknown or ambiguous value is reported in place and the exit code is 1."""
        code, out, _ = run(
            capsys, "country", "Atlantis", "Korea", "Japan", "--on", "2019-06-01"
        )
        assert code == 1
        lines = out.splitlines()
        assert lines[2].startswith("Atlantis")
        assert "error: 'Atlantis' is not a known country" in lines[2]
        assert "could be several countries: KP, KR" in lines[3]
        assert lines[4].split()[:3] == ["Japan", "name", "JP"]

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--format json gives one object with the day, the programme and each value."""
        code, out, _ = run(
            capsys,
            "country",
            "UK",
            "Korea",
            "--on",
            "2021-03-01",
            "--format",
            "json",
            "--programme",
            "COSME",
        )
        assert code == 1
        report = json.loads(out)
        assert (report["on"], report["programme"], report["reference_data"]) == (
            "2021-03-01",
            "COSME",
            ck.reference.version(),
        )
        uk, korea = report["countries"]
        assert uk["country"]["alpha2"] == "GB"
        assert uk["country"]["eu_code"] == "UK"
        assert (uk["eu_member"], uk["programme_participant"]) == (False, False)
        assert uk["third_country"] == {"non-programme": True, "beyond-europe": False}
        assert korea["error"]["type"] == "ambiguous"
        assert korea["error"]["candidates"] == ["KP", "KR"]

    def test_default_day_and_bad_day(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The day defaults to today; a malformed day is a usage error."""
        code, out, _ = run(capsys, "country", "DE")
        assert code == 0
        assert out.startswith("on 20")
        code, _, err = run(capsys, "country", "DE", "--on", "2019-02-30")
        assert code == 2
        assert "'2019-02-30' is not a date in the form YYYY-MM-DD" in err


def test_convert_with_eu_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """--country-codes eu writes EL and UK, which read back as the same dataset."""
    ds = ck.Dataset(
        clusters=[
            ck.Cluster(id="C1", name="N", country="Greece"),
            ck.Cluster(id="C2", name="M", country="GB"),
        ]
    )
    dump_dataset(ds, tmp_path / "in.json")
    code, _, _ = run(
        capsys,
        "convert",
        str(tmp_path / "in.json"),
        str(tmp_path / "out"),
        "--country-codes",
        "eu",
    )
    assert code == 0
    text = (tmp_path / "out" / "clusters.csv").read_text(encoding="utf-8")
    assert ",EL," in text
    assert ",UK," in text
    assert load_dataset(tmp_path / "out") == ds


CLI_PACKAGE = Path(cli.__file__).parent
# Private modules of other clusterkit packages that a CLI module may import, each
# by name and with its reason. Nothing else private: the CLI is a client of the API.
PRIVATE_IMPORTS_ALLOWED: set[tuple[str, str]] = {
    # The private leaf of safe output: the CLI writes its own --output files,
    # escapes the KPIs' CSV as the readers' writers do, and writes JSON that a
    # name which is not UTF-8 cannot stop.
    ("_common.py", "clusterkit._output"),
    ("_import.py", "clusterkit._output"),
    ("_kpis.py", "clusterkit._output"),
}


def private_part(name: str) -> str | None:
    """`clusterkit.x._y.z` -> `clusterkit.x._y`: up to the first private part, if any."""
    parts = name.split(".")
    for end, part in enumerate(parts[1:], 2):
        if part.startswith("_") and not part.endswith("__"):  # dunders are public
            return ".".join(parts[:end])
    return None


def private_imports(tree: ast.Module) -> set[str]:
    """The private clusterkit modules and names a CLI module imports, but its own."""
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            # A relative import is resolved from clusterkit.cli, where the modules are.
            base = ["clusterkit", "cli"][: 3 - node.level] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            private = private_part(name)
            own = name.split(".")[:2] == ["clusterkit", "cli"]
            if name.startswith("clusterkit.") and private and not own:
                found.add(private)
    return found


def test_the_cli_imports_only_public_api() -> None:
    """No CLI module imports a private module of another package, but the allowed."""
    modules = sorted(CLI_PACKAGE.glob("*.py"))
    assert len(modules) >= 8
    found = {
        (path.name, name)
        for path in modules
        for name in private_imports(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert found - PRIVATE_IMPORTS_ALLOWED == set(), "private imports in the CLI"
    assert PRIVATE_IMPORTS_ALLOWED - found == set(), "stale allow-list entry: remove it"


def test_the_private_import_check_sees_imports() -> None:
    """Private modules and names are found in every form; public and own ones are not."""
    source = (
        "import clusterkit.io._csv\n"
        "from clusterkit.rules._formats import FORMATS\n"
        "from clusterkit.kpis import _compute\n"
        "from clusterkit import _dates, __version__, countries\n"
        "from clusterkit.countries import country_status\n"
        "from clusterkit.cli._common import count\n"
        "from . import _schema\n"
        "from .._version import VERSION\n"
        "import json, clusterkit\n"
    )
    assert private_imports(ast.parse(source)) == {
        "clusterkit.io._csv",
        "clusterkit.rules._formats",
        "clusterkit.kpis._compute",
        "clusterkit._dates",
        "clusterkit._version",
    }


@pytest.mark.parametrize("name", ["in.zip", "in.xlsx", "in.json"])
def test_convert_reads_standard_input(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    """`convert - DEST` reads a zip, a workbook or a JSON document on standard input."""
    example = ck.load_example()
    source = tmp_path / name
    if name == "in.zip":
        dump_dataset(example, tmp_path / "folder")
        with zipfile.ZipFile(source, "w") as archive:
            for path in sorted((tmp_path / "folder").iterdir()):
                archive.write(path, path.name)
    else:
        dump_dataset(example, source)
    stdin = io.TextIOWrapper(io.BytesIO(source.read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, out, _ = run(capsys, "convert", "-", str(tmp_path / "out.json"))
    assert code == 0
    assert out.startswith(f"wrote {tmp_path / 'out.json'} (json): ")
    assert load_dataset(tmp_path / "out.json") == example


def test_error_messages_show_control_characters(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    r"""A path with a terminal escape in an error on stderr: shown as \x1b, not sent."""
    missing = tmp_path / "data\x1b[2J\x07"
    code, _, err = run(capsys, "convert", str(missing), str(tmp_path / "out.json"))
    assert code == 1
    assert "\x1b" not in err
    assert "\x07" not in err
    assert "data\\x1b[2J\\x07: no such file or directory" in err
