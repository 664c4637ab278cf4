"""The console blocks of the docs and the README show real, current output.

Each example of `docs/how-to/read-validator-output.md` is a console block after a
`<!-- mistake: NAME -->` marker: the command, then what it prints. The test makes
the mistake NAME in a copy of the bundled example dataset (`data/`), runs the
command and compares. After a deliberate change of the output, rewrite the blocks
with `CLUSTERKIT_UPDATE_DOCS=1 pytest tests/test_docs_output.py`.

Any other page (and the README) marks a console block `<!-- output -->`: its
`$ clusterkit ...` lines run in order, in a folder that holds a copy of the
example dataset as `data/`, and the lines under each command are what it prints
to stdout. A line `...` stands for lines left out, so an excerpt is checked as
an excerpt; a command with no line under it is shown, not run. Such blocks are
rewritten by `CLUSTERKIT_UPDATE_DOCS=1` only when they leave nothing out.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import clusterkit as ck
from clusterkit import cli

PAGE = Path(__file__).parents[1] / "docs" / "how-to" / "read-validator-output.md"
EXAMPLE = Path(ck.__file__).parent / "data" / "example"
EXAMPLE_BLOCK = re.compile(
    r"(<!-- mistake: (?P<name>[a-z-]+) -->\n```console\n)(?P<body>.*?)(^```)",
    re.DOTALL | re.MULTILINE,
)

# The clusterkit version the page's summary lines show. The real one comes from the
# git tag of the build (`0.0.0+unknown` in a tree never built), so it is replaced.
SHOWN_VERSION = "0.1.0.dev0"

Mistake = Callable[[Path], None]
MISTAKES: dict[str, Mistake] = {}


def mistake(name: str) -> Callable[[Mistake], Mistake]:
    """Register how to make the mistake `name` in a copy of the example dataset."""

    def register(function: Mistake) -> Mistake:
        MISTAKES[name] = function
        return function

    return register


def edit(table: Path, key: str, changes: dict[str, str]) -> None:
    """Set some cells of the row whose first cell is `key`."""
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    header = rows[0]
    row = next(row for row in rows[1:] if row and row[0] == key)
    for name, value in changes.items():
        row[header.index(name)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    table.write_text(buffer.getvalue(), encoding="utf-8")


def append(table: Path, cells: dict[str, str]) -> None:
    """Add a row to a table, its other cells empty."""
    header = next(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(
        [cells.get(name, "") for name in header]
    )
    with table.open("a", encoding="utf-8") as handle:
        handle.write(buffer.getvalue())


@mistake("empty-id")
def _empty_id(data: Path) -> None:
    edit(data / "clusters.csv", "DE-001", {"id": ""})


@mistake("misnamed-file")
def _misnamed_file(data: Path) -> None:
    (data / "partnerships.csv").rename(data / "Partnerships.csv")


@mistake("duplicate-sme")
def _duplicate_sme(data: Path) -> None:
    # SME-0001, Zomo Ceramics Ltd, entered again under a new id and named on an
    # activity of its cluster's partnership.
    append(
        data / "smes.csv",
        {
            "id": "SME-0099",
            "name": "ZOMO CERAMICS LIMITED",
            "country": "IE",
            "size_class": "small",
            "clusters": "IE-001",
        },
    )
    edit(data / "activities.csv", "A0015", {"smes": "SME-0054;SME-0006;SME-0099"})
    # And one SME listed twice in one activity.
    edit(data / "activities.csv", "A0014", {"smes": "SME-0056;SME-0064;SME-0056"})


@mistake("generation")
def _generation(data: Path) -> None:
    edit(data / "partnerships.csv", "P01", {"generation": "ESCP-4i 1"})
    edit(data / "partnerships.csv", "P02", {"generation": "escp-4i-2"})


@mistake("json-document")
def _json_document(data: Path) -> None:
    # A document as people and many tools write it: indented, a field a line.
    target = data.parent / "data.json"
    ck.dump_dataset(ck.load_dataset(data), target)
    shutil.rmtree(data)
    text = json.dumps(json.loads(target.read_text(encoding="utf-8")), indent=2)
    text = text.replace('"start": "2016-08-28"', '"start": "2016-08-38"', 1)
    target.write_text(text + "\n", encoding="utf-8")


@mistake("strand")
def _strand(data: Path) -> None:
    edit(data / "partnerships.csv", "P01", {"strand": "3"})


def run_example(name: str, command: str, folder: Path) -> str:
    """The output of `command` (a `clusterkit …` line) on the example with `name`."""
    data = folder / "data"
    shutil.copytree(EXAMPLE, data, ignore=shutil.ignore_patterns("README.md"))
    MISTAKES[name](data)
    argv = shlex.split(command)
    assert argv[0] == "clusterkit"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(argv[1:])
    shown = out.getvalue().replace(
        f" · clusterkit {ck.__version__} · ", f" · clusterkit {SHOWN_VERSION} · "
    )
    return f"$ {command}\n{shown}$ echo $?\n{code}\n"


def blocks() -> list[tuple[str, str]]:
    """Each example of the page: its mistake and its console block."""
    text = PAGE.read_text(encoding="utf-8")
    return [(match["name"], match["body"]) for match in EXAMPLE_BLOCK.finditer(text)]


def test_the_page_shows_each_mistake_once() -> None:
    """Every mistake registered here is on the page, once, and only those."""
    assert sorted(name for name, _ in blocks()) == sorted(MISTAKES)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_the_page_shows_the_real_output(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each console block is what the command prints on the mistaken data today."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    text = PAGE.read_text(encoding="utf-8")
    (body,) = [body for found, body in blocks() if found == name]
    command = body.splitlines()[0].removeprefix("$ ")
    output = run_example(name, command, tmp_path)
    if os.environ.get("CLUSTERKIT_UPDATE_DOCS") == "1":
        marker = f"<!-- mistake: {name} -->\n```console\n"
        PAGE.write_text(text.replace(marker + body, marker + output), encoding="utf-8")
        return
    assert output == body


# --- Blocks marked `<!-- output -->` on any page -----------------------------------

ROOT = Path(__file__).parents[1]
MARKED_PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
OUTPUT_BLOCK = re.compile(
    r"(<!-- output -->\n```console\n)(?P<body>.*?)(^```)", re.DOTALL | re.MULTILINE
)
LEFT_OUT = "..."


def output_blocks() -> list[tuple[Path, int, str]]:
    """Each marked block of every page: the page, the block's number on it, its body."""
    return [
        (page, number, match["body"])
        for page in MARKED_PAGES
        for number, match in enumerate(
            OUTPUT_BLOCK.finditer(page.read_text(encoding="utf-8")), 1
        )
    ]


def commands_of(body: str) -> list[tuple[str, list[str]]]:
    """The commands of a block, each with the lines shown under it."""
    commands: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            commands.append((line.removeprefix("$ "), []))
        else:
            assert commands, f"output before any command: {line!r}"
            commands[-1][1].append(line)
    return commands


def run_command(command: str) -> list[str]:
    """What a `clusterkit ...` line prints to stdout, as lines."""
    argv = shlex.split(command, comments=True)
    assert argv[0] == "clusterkit", f"not a clusterkit command: {command!r}"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        cli.main(argv[1:])
    shown = out.getvalue().replace(
        f" · clusterkit {ck.__version__} · ", f" · clusterkit {SHOWN_VERSION} · "
    )
    return shown.splitlines()


def shows(printed: list[str], shown: list[str]) -> bool:
    """Whether `shown` is `printed`, but for the lines its `...` lines leave out."""
    parts: list[list[str]] = [[]]
    for line in shown:
        if line == LEFT_OUT:
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) == 1:
        return printed == shown
    first, *middle, last = parts
    if printed[: len(first)] != first:
        return False
    at = len(first)
    for part in middle:
        starts = range(at, len(printed) - len(part) + 1)
        found = [s for s in starts if printed[s : s + len(part)] == part]
        if not found:
            return False
        at = found[0] + len(part)
    end = len(printed) - len(last)
    return end >= at and printed[end:] == last


def test_shows_reads_left_out_lines() -> None:
    """`...` stands for any lines, none included; the other lines must be there."""
    printed = ["a", "b", "c", "d"]
    assert shows(printed, ["a", "b", "c", "d"])
    assert not shows(printed, ["a", "b", "c"])
    assert shows(printed, ["a", "...", "d"])
    assert shows(printed, ["...", "b", "c", "..."])
    assert shows(printed, ["a", "b", "...", "c", "d"])
    assert not shows(printed, ["a", "...", "c", "b", "..."])
    assert not shows(printed, ["b", "..."])
    assert not shows(printed, ["...", "c"])
    assert not shows(printed, ["a", "b", "c", "...", "c", "d"])


def test_marked_blocks_are_found() -> None:
    """The pages this test keeps true hold their marked blocks."""
    found = {str(page.relative_to(ROOT)) for page, _, _ in output_blocks()}
    assert {
        "README.md",
        "docs/how-to/normalise-countries.md",
        "docs/reference/cli.md",
        "docs/reference/limits.md",
    } <= found


@pytest.mark.parametrize(
    ("page", "number", "body"),
    output_blocks(),
    ids=[f"{page.relative_to(ROOT)}-{number}" for page, number, _ in output_blocks()],
)
def test_marked_blocks_show_the_real_output(
    page: Path,
    number: int,
    body: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each command of a marked block prints the lines shown under it, today."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    shutil.copytree(
        EXAMPLE, tmp_path / "data", ignore=shutil.ignore_patterns("README.md")
    )
    rewritten: list[str] = []
    for command, shown in commands_of(body):
        rewritten.append(f"$ {command}")
        if not shown:
            continue  # shown, not run
        printed = run_command(command)
        if os.environ.get("CLUSTERKIT_UPDATE_DOCS") == "1" and LEFT_OUT not in shown:
            rewritten.extend(printed)
            continue
        rewritten.extend(shown)
        assert shows(printed, shown), (
            f"{page.name} block {number}: `{command}` prints\n" + "\n".join(printed)
        )
    if os.environ.get("CLUSTERKIT_UPDATE_DOCS") == "1":
        text = page.read_text(encoding="utf-8")
        marker = "<!-- output -->\n```console\n"
        new = marker + "\n".join(rewritten) + "\n"
        page.write_text(text.replace(marker + body, new, 1), encoding="utf-8")


def _keys(value: object) -> set[str]:
    """Every key of every object in a JSON value."""
    if isinstance(value, dict):
        return set(value) | {key for item in value.values() for key in _keys(item)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


def test_cli_page_names_every_key_of_the_country_json() -> None:
    """The JSON form `clusterkit country` prints, described on the CLI page, in full."""
    page = (ROOT / "docs" / "reference" / "cli.md").read_text(encoding="utf-8")
    section = page.split("## `clusterkit country VALUE ...`", 1)[1].split("\n## ", 1)[0]
    printed = run_command("clusterkit country EL Korea Gambit --format json")
    keys = _keys(json.loads("\n".join(printed)))
    assert {"read_as", "suggestions"} <= keys
    assert sorted(key for key in keys if f'"{key}"' not in section) == []
