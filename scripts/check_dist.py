"""Check the sdist and wheel of clusterkit-eu that a release would upload.

Run from the repository root on the folder `python -m build` wrote; `.ci/run` does::

    python -m build --outdir dist/ && python scripts/check_dist.py dist/

It prints the version built and exits 0, or prints each problem and exits 1, unless:

- the folder holds one wheel and one sdist of clusterkit-eu, of one version;
- the wheel holds every file git tracks under `src/clusterkit` (the modules, the
  `py.typed` marker and the data files: the example dataset, the reference data, the
  programme register, the rules' explanations), the `_build_version.py` the build
  wrote with the version, its metadata and nothing else;
- its metadata names the distribution clusterkit-eu and the command `clusterkit`;
- the sdist holds the same package files, and the tests and docs;
- when HEAD is a release tag `vX.Y.Z`, the version is `X.Y.Z`.
"""

from __future__ import annotations

import argparse
import email.parser
import re
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

DISTRIBUTION = "clusterkit-eu"
PACKAGE = "clusterkit"
BUILD_VERSION = f"{PACKAGE}/_build_version.py"
ENTRY_POINT = "clusterkit = clusterkit.cli:main"
# Files an sdist must carry besides the package, for its tests and docs to run.
SDIST_FILES = ("pyproject.toml", "README.md", "CHANGELOG.md", "mkdocs.yml", "LICENSE")
SDIST_FOLDERS = ("tests/", "docs/", "examples/")


def package_files(root: Path) -> set[str]:
    """The package's files as git tracks them, as wheel paths (`clusterkit/...`)."""
    listed = subprocess.run(  # noqa: S603 - git with a fixed path
        ["git", "ls-files", "-z", "--", f"src/{PACKAGE}"],  # noqa: S607 - git from PATH, as every developer runs it
        cwd=root,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return {name.removeprefix("src/") for name in listed.split("\0") if name}


def release_tag_version(root: Path) -> str | None:
    """`X.Y.Z` when HEAD is the release tag `vX.Y.Z`, else None."""
    described = subprocess.run(
        ["git", "describe", "--tags", "--exact-match", "--match", "v[0-9]*", "HEAD"],  # noqa: S607 - git from PATH
        cwd=root,
        capture_output=True,
        check=False,
        text=True,
    )
    tag = described.stdout.strip()
    return tag.removeprefix("v") if described.returncode == 0 and tag else None


def _metadata(text: str) -> dict[str, list[str]]:
    message = email.parser.HeaderParser().parsestr(text)
    fields: dict[str, list[str]] = {}
    for key, value in message.items():
        fields.setdefault(key, []).append(value)
    return fields


def wheel_problems(wheel: Path, expected: set[str]) -> tuple[str, list[str]]:
    """The wheel's version and what is wrong with it."""
    problems: list[str] = []
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = {name for name in names if name.split("/")[0].endswith(".dist-info")}
        folder = next(iter(info), "?/").split("/")[0]
        metadata = _metadata(
            archive.read(f"{folder}/METADATA").decode() if info else ""
        )
        version = metadata.get("Version", ["?"])[0]
        entry_points = (
            archive.read(f"{folder}/entry_points.txt").decode()
            if f"{folder}/entry_points.txt" in names
            else ""
        )
        built = archive.read(BUILD_VERSION).decode() if BUILD_VERSION in names else ""
    if metadata.get("Name") != [DISTRIBUTION]:
        problems.append(f"{wheel.name}: Name is {metadata.get('Name')}")
    if ENTRY_POINT not in entry_points.splitlines():
        problems.append(f"{wheel.name}: no console script '{ENTRY_POINT}'")
    if re.search(rf'^VERSION = "{re.escape(version)}"$', built, re.MULTILINE) is None:
        problems.append(f"{wheel.name}: {BUILD_VERSION} does not hold {version}")
    if f"{folder}/licenses/LICENSE" not in names:
        problems.append(f"{wheel.name}: no licenses/LICENSE in its dist-info")
    files = names - info
    problems += [f"{wheel.name}: missing {name}" for name in sorted(expected - files)]
    problems += [
        f"{wheel.name}: unexpected {name}"
        for name in sorted(files - expected - {BUILD_VERSION})
    ]
    return version, problems


def sdist_problems(sdist: Path, expected: set[str]) -> tuple[str, list[str]]:
    """The sdist's version and what is wrong with it."""
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
        top = members[0].split("/")[0] if members else "?"
        names = {name.removeprefix(f"{top}/") for name in members}
        pkg_info = (
            archive.extractfile(f"{top}/PKG-INFO") if "PKG-INFO" in names else None
        )
        metadata = _metadata(pkg_info.read().decode() if pkg_info else "")
    version = metadata.get("Version", ["?"])[0]
    problems: list[str] = []
    if metadata.get("Name") != [DISTRIBUTION]:
        problems.append(f"{sdist.name}: Name is {metadata.get('Name')}")
    required = {f"src/{name}" for name in expected | {BUILD_VERSION}}
    required |= set(SDIST_FILES)
    problems += [f"{sdist.name}: missing {name}" for name in sorted(required - names)]
    problems += [
        f"{sdist.name}: no {folder}"
        for folder in SDIST_FOLDERS
        if not any(name.startswith(folder) for name in names)
    ]
    return version, problems


def check(dist: Path, root: Path) -> tuple[str, list[str]]:
    """The version built in `dist` and every problem found with it."""
    wheels = sorted(dist.glob("*.whl"))
    sdists = sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        found = ", ".join(path.name for path in [*wheels, *sdists]) or "nothing"
        return "?", [f"{dist}: expected one wheel and one sdist, found {found}"]
    expected = package_files(root)
    version, problems = wheel_problems(wheels[0], expected)
    sdist_version, more = sdist_problems(sdists[0], expected)
    problems += more
    if sdist_version != version:
        problems.append(f"the sdist is {sdist_version}, the wheel {version}")
    tagged = release_tag_version(root)
    if tagged is not None and tagged != version:
        problems.append(f"HEAD is tagged v{tagged} but the version built is {version}")
    return version, problems


def main(argv: Sequence[str] | None = None) -> int:
    """Check the distributions in the folder given; print the version or the problems."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path, help="the folder python -m build wrote")
    parser.add_argument(
        "--root", type=Path, default=Path(), help="the repository (default: .)"
    )
    args = parser.parse_args(argv)
    version, problems = check(args.dist, args.root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
