"""`scripts/check_dist.py` finds what a release's sdist or wheel lacks.

.ci/run runs the script on the distributions it builds; these tests run it on
small stand-ins built here, whole and with one thing wrong at a time.
"""

from __future__ import annotations

import importlib.util
import io
import subprocess
import tarfile
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parents[1]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_dist", ROOT / "scripts" / "check_dist.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_dist = _load()
FILES: set[str] = check_dist.package_files(ROOT)
VERSION = "1.2.3"
METADATA = f"Metadata-Version: 2.4\nName: clusterkit-eu\nVersion: {VERSION}\n"
ENTRY_POINTS = "[console_scripts]\nclusterkit = clusterkit.cli:main\n"
BUILT = f'"""The version."""\n\nVERSION = "{VERSION}"\n'


def write_wheel(
    path: Path,
    files: set[str],
    metadata: str = METADATA,
    entry_points: str | None = ENTRY_POINTS,
    built: str | None = BUILT,
    *,
    license_file: bool = True,
) -> Path:
    """A wheel of `files` (empty) with this metadata."""
    wheel = path / f"clusterkit_eu-{VERSION}-py3-none-any.whl"
    info = f"clusterkit_eu-{VERSION}.dist-info"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name in sorted(files):
            archive.writestr(name, "")
        archive.writestr(f"{info}/METADATA", metadata)
        if entry_points is not None:
            archive.writestr(f"{info}/entry_points.txt", entry_points)
        if built is not None:
            archive.writestr("clusterkit/_build_version.py", built)
        if license_file:
            archive.writestr(f"{info}/licenses/LICENSE", "MIT License\n")
    return wheel


def write_sdist(path: Path, names: set[str], metadata: str = METADATA) -> Path:
    """An sdist of `names` (empty files, and PKG-INFO with this metadata)."""
    sdist = path / f"clusterkit_eu-{VERSION}.tar.gz"
    top = f"clusterkit_eu-{VERSION}"
    with tarfile.open(sdist, "w:gz") as archive:
        for name, text in sorted(
            {**dict.fromkeys(names, ""), "PKG-INFO": metadata}.items()
        ):
            data = text.encode()
            member = tarfile.TarInfo(f"{top}/{name}")
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return sdist


SDIST = {
    *(f"src/{name}" for name in FILES),
    "src/clusterkit/_build_version.py",
    "pyproject.toml",
    "README.md",
    "CHANGELOG.md",
    "mkdocs.yml",
    "LICENSE",
    "tests/test_cli.py",
    "docs/index.md",
    "examples/compute_kpis.py",
}


@pytest.fixture
def untagged(monkeypatch: pytest.MonkeyPatch) -> None:
    """HEAD is no release tag, whatever the checkout the tests run in."""
    monkeypatch.setattr(check_dist, "release_tag_version", lambda _root: None)


def test_package_files_are_what_git_tracks() -> None:
    """The package's modules, marker and data files, as the wheel names them."""
    assert {
        "clusterkit/__init__.py",
        "clusterkit/py.typed",
        "clusterkit/data/example/activities.csv",
        "clusterkit/data/rules/CK-FK-001.md",
        "clusterkit/data/programme/dataset.json",
    } <= FILES
    assert "clusterkit/_build_version.py" not in FILES
    assert all(name.startswith("clusterkit/") for name in FILES)


@pytest.mark.usefixtures("untagged")
def test_a_whole_release_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A wheel and an sdist with every file: the version, exit code 0."""
    write_wheel(tmp_path, FILES)
    write_sdist(tmp_path, SDIST)
    assert check_dist.main([str(tmp_path), "--root", str(ROOT)]) == 0
    assert capsys.readouterr() == (f"{VERSION}\n", "")


@pytest.mark.usefixtures("untagged")
def test_a_wheel_without_its_data_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing data file or marker, and a stray file, are each named."""
    files = FILES - {"clusterkit/py.typed", "clusterkit/data/rules/CK-FK-001.md"}
    wheel = write_wheel(tmp_path, files | {"tests/test_cli.py"})
    write_sdist(tmp_path, SDIST)
    assert check_dist.main([str(tmp_path), "--root", str(ROOT)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{wheel.name}: missing clusterkit/data/rules/CK-FK-001.md",
        f"{wheel.name}: missing clusterkit/py.typed",
        f"{wheel.name}: unexpected tests/test_cli.py",
    ]


def test_wheel_metadata(tmp_path: Path) -> None:
    """The distribution's name, the command and the version file are checked."""
    wheel = write_wheel(
        tmp_path,
        FILES,
        metadata=METADATA.replace("clusterkit-eu", "clusterkit"),
        entry_points=None,
        built='VERSION = "0.0.0+unknown"\n',
        license_file=False,
    )
    version, problems = check_dist.wheel_problems(wheel, FILES)
    assert version == VERSION
    assert problems == [
        f"{wheel.name}: Name is ['clusterkit']",
        f"{wheel.name}: no console script 'clusterkit = clusterkit.cli:main'",
        f"{wheel.name}: clusterkit/_build_version.py does not hold {VERSION}",
        f"{wheel.name}: no licenses/LICENSE in its dist-info",
    ]


def test_a_wheel_without_metadata(tmp_path: Path) -> None:
    """A wheel without its dist-info or version file has every problem named."""
    wheel = tmp_path / "broken.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("clusterkit/__init__.py", "")
    version, problems = check_dist.wheel_problems(wheel, {"clusterkit/__init__.py"})
    assert version == "?"
    assert problems[:3] == [
        "broken.whl: Name is None",
        "broken.whl: no console script 'clusterkit = clusterkit.cli:main'",
        "broken.whl: clusterkit/_build_version.py does not hold ?",
    ]


def test_sdist_problems(tmp_path: Path) -> None:
    """An sdist must carry the package, the version file, the tests and the docs."""
    names = SDIST - {"src/clusterkit/py.typed", "mkdocs.yml", "docs/index.md"}
    sdist = write_sdist(tmp_path, names, metadata=METADATA.replace("1.2.3", "1.2.4"))
    version, problems = check_dist.sdist_problems(sdist, FILES)
    assert version == "1.2.4"
    assert problems == [
        f"{sdist.name}: missing mkdocs.yml",
        f"{sdist.name}: missing src/clusterkit/py.typed",
        f"{sdist.name}: no docs/",
    ]


def test_an_empty_sdist(tmp_path: Path) -> None:
    """An sdist without PKG-INFO has no name and no version."""
    sdist = tmp_path / "empty.tar.gz"
    with tarfile.open(sdist, "w:gz"):
        pass
    version, problems = check_dist.sdist_problems(sdist, set())
    assert version == "?"
    assert problems[0] == "empty.tar.gz: Name is None"


@pytest.mark.usefixtures("untagged")
def test_versions_must_agree(tmp_path: Path) -> None:
    """The sdist and the wheel are one version."""
    write_wheel(tmp_path, FILES)
    write_sdist(tmp_path, SDIST, metadata=METADATA.replace("1.2.3", "1.2.4"))
    assert check_dist.check(tmp_path, ROOT) == (
        VERSION,
        ["the sdist is 1.2.4, the wheel 1.2.3"],
    )


def test_a_release_tag_must_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the release tag v1.2.4, a build of 1.2.3 is refused."""
    monkeypatch.setattr(check_dist, "release_tag_version", lambda _root: "1.2.4")
    write_wheel(tmp_path, FILES)
    write_sdist(tmp_path, SDIST)
    assert check_dist.check(tmp_path, ROOT)[1] == [
        "HEAD is tagged v1.2.4 but the version built is 1.2.3"
    ]


@pytest.mark.parametrize("wheels", [0, 2])
def test_one_wheel_and_one_sdist(tmp_path: Path, wheels: int) -> None:
    """A folder without exactly one of each is refused before anything is read."""
    for number in range(wheels):
        (tmp_path / f"clusterkit_eu-{number}-py3-none-any.whl").touch()
    version, problems = check_dist.check(tmp_path, ROOT)
    assert version == "?"
    assert problems == [
        f"{tmp_path}: expected one wheel and one sdist, found "
        + (
            ", ".join(f"clusterkit_eu-{n}-py3-none-any.whl" for n in range(wheels))
            or "nothing"
        )
    ]


def test_release_tag_version(tmp_path: Path) -> None:
    """HEAD's release tag without its `v`; None off a tag or on another tag."""
    git = ["git", "-c", "user.name=ck", "-c", "user.email=ck@example.org"]

    def run(*argv: str) -> None:
        subprocess.run([*git, *argv], cwd=tmp_path, check=True, capture_output=True)

    run("init", "-q")
    run("commit", "-q", "--allow-empty", "-m", "one")
    assert check_dist.release_tag_version(tmp_path) is None
    run("tag", "not-a-release")
    assert check_dist.release_tag_version(tmp_path) is None
    run("tag", "v1.2.3")
    assert check_dist.release_tag_version(tmp_path) == "1.2.3"
