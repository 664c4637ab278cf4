"""The worked examples of "Reading the validator's output" show real, current output.

Each example of `docs/how-to/read-validator-output.md` is a console block after a
`<!-- mistake: NAME -->` marker: the command, then what it prints. The test makes
the mistake NAME in a copy of the bundled example dataset (`data/`), runs the
command and compares. After a deliberate change of the output, rewrite the blocks
with `CLUSTERKIT_UPDATE_DOCS=1 pytest tests/test_docs_output.py`.
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
