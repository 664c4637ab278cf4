"""The explanation of every rule, `clusterkit explain`'s text and the rules docs page.

docs/reference/rules.md is generated from the catalogue and the explanations (the
files src/clusterkit/data/rules/<RULE>.md). After changing either, refresh the page
with ``CLUSTERKIT_UPDATE_SNAPSHOTS=1 pytest tests/test_explanations.py``.
"""

from __future__ import annotations

import importlib.resources
import os
import re
import subprocess
import sys
from collections.abc import Mapping, MutableMapping
from pathlib import Path

import pytest

from clusterkit.report import CATALOGUE
from clusterkit.report._explanation import _sections
from clusterkit.report._explanation import parse_explanation as _parse
from clusterkit.rules._explanations import (
    EXPLANATIONS,
    FAMILIES,
    Explanation,
    _join,
    _sentences,
    explain,
    explanation,
    rules_markdown,
)

PAGE = Path(__file__).parents[1] / "docs" / "reference" / "rules.md"
FINDING = re.compile(
    # A file, its line and column, or a workbook's sheet and cell.
    r"^[\w./-]+(?:(?::\d+){0,2}|:[\w ]+(?:![A-Z]+\d+)?): "
    r"(?P<severity>error|warning|info) "
    r"(?P<rule>CK-[A-Z]+-\d{3}) \S"
)

# The explanation files, one per rule, as the package ships them.
RULE_FILES = importlib.resources.files("clusterkit").joinpath("data").joinpath("rules")
# A well-formed rule file for the parser tests, which break it in one place each.
VALID = """\
## Meaning

First sentence of the meaning.
Second sentence, on its own line.

## Example

```text
==> clusters.csv <==
# not a heading: inside the fence, a line of the file

clusters.csv:1: error CK-HDR-001 required column 'country' is missing from clusters
```

## How to fix

The one sentence of the fix.
"""
FENCED = VALID[VALID.index("```text") : VALID.index("```\n\n## How") + 4]


def test_every_rule_is_explained() -> None:
    """Every catalogue rule has an explanation, and there are no others."""
    assert list(EXPLANATIONS) == list(CATALOGUE)


def test_every_family_has_a_heading() -> None:
    """Every rule family has a heading on the docs page, and there are no others."""
    assert set(FAMILIES) == {rule.family for rule in CATALOGUE.values()}


@pytest.mark.parametrize("rule_id", list(CATALOGUE))
def test_explain(rule_id: str) -> None:
    """The text names the rule, its severity and title, and has all three parts."""
    rule = CATALOGUE[rule_id]
    text = explain(rule_id)
    lines = text.splitlines()
    assert lines[0] == f"{rule_id}  [{rule.severity.value}]  {rule.title}"
    assert lines[1] == ""
    assert lines.index("Meaning") < lines.index("Example") < lines.index("How to fix")
    entry = EXPLANATIONS[rule_id]
    for line in entry.example.splitlines():
        assert (f"    {line}" if line else "") in lines
    flat = " ".join(text.split())
    assert " ".join(entry.meaning.split()) in flat
    assert " ".join(entry.fix.split()) in flat
    assert all(len(line) < 100 for line in lines)


@pytest.mark.parametrize("rule_id", list(CATALOGUE))
def test_example_finding_names_its_rule(rule_id: str) -> None:
    """Each example ends in finding lines of its own rule, at the rule's severity."""
    found = [
        match
        for line in EXPLANATIONS[rule_id].example.splitlines()
        if (match := FINDING.match(line))
    ]
    assert found
    assert {match["rule"] for match in found} == {rule_id}
    assert {match["severity"] for match in found} == {CATALOGUE[rule_id].severity.value}


@pytest.mark.parametrize("rule_id", list(CATALOGUE))
def test_explanations_are_plain_text(rule_id: str) -> None:
    """Meaning and fix are one paragraph without Markdown; examples fit a terminal."""
    entry = EXPLANATIONS[rule_id]
    for prose in (entry.meaning, entry.fix):
        assert "\n" not in prose
        assert not re.search(r"[`*#<>]", prose)
        assert prose.endswith(".")
    assert "```" not in entry.example
    assert all(len(line) < 96 for line in entry.example.splitlines())


def test_explain_accepts_lower_case() -> None:
    """Rule ids are matched without regard to case or surrounding space."""
    assert explain(" ck-fk-001 ") == explain("CK-FK-001")


def test_explain_unknown_rule_suggests_close_ids() -> None:
    """An unknown id is a ValueError that suggests the closest ids."""
    with pytest.raises(
        ValueError, match="unknown rule 'CK-FK-01'; did you mean CK-FK-001"
    ):
        explain("CK-FK-01")


def test_explain_unknown_rule_without_close_ids() -> None:
    """An id like no other is a ValueError that points at `clusterkit rules`."""
    with pytest.raises(
        ValueError, match=r"^unknown rule 'nonsense'; 'clusterkit rules'"
    ):
        explain("nonsense")


def test_rules_markdown_structure() -> None:
    """The page has a summary row and a section, with its example, for every rule."""
    page = rules_markdown()
    assert page.startswith("# Rules\n")
    assert page.endswith("copy the PIC again from the Funding & Tenders Portal.\n")
    for rule_id, rule in CATALOGUE.items():
        anchor = rule_id.lower()
        assert (
            f"| [{rule_id}](#{anchor}) | {rule.severity.value} | {rule.title} |" in page
        )
        assert f"### {rule_id}: {rule.title} {{ #{anchor} }}\n" in page
        assert f"```text\n{EXPLANATIONS[rule_id].example}\n```" in page
    for family, heading in FAMILIES.items():
        assert f"## {family}: {heading} {{ #{family.lower()} }}\n" in page
    assert "`CK-ENUM` and `CK-COUNTRY`, and `CK-COUNT-001` and `CK-DATE-005`." in page
    assert "`CK-COUNTRY-003` is off by default" in page
    assert "\n- **warning**: the data is probably wrong" in page
    assert "checked while the files are read; off unless named with `--select`." in page


def test_rules_page_is_current() -> None:
    """docs/reference/rules.md is exactly what rules_markdown() generates."""
    text = rules_markdown()
    if os.environ.get("CLUSTERKIT_UPDATE_SNAPSHOTS") == "1":
        PAGE.write_text(text, encoding="utf-8")
    assert PAGE.read_text(encoding="utf-8") == text, (
        "docs/reference/rules.md is out of date; see this module's docstring"
    )


def test_join() -> None:
    """Names are listed as code, the last two joined by 'and'."""
    assert _join([]) == ""
    assert _join(["A"]) == "`A`"
    assert _join(["A", "B", "C"]) == "`A`, `B` and `C`"


def test_cli_page_shows_the_real_explain_output() -> None:
    """The `clusterkit explain` sample on the CLI page is what the command prints."""
    page = (Path(__file__).parents[1] / "docs" / "reference" / "cli.md").read_text(
        encoding="utf-8"
    )
    marker = "$ clusterkit explain CK-FK-001\n"
    shown = page[page.index(marker) + len(marker) :].split("```", 1)[0]
    assert shown == explain("CK-FK-001").rstrip("\n") + "\n"


def test_every_rule_has_one_file_and_every_file_one_rule() -> None:
    """The rules folder holds a file for each catalogue rule, its README and no more."""
    names = {resource.name for resource in RULE_FILES.iterdir()}
    assert names - {"README.md"} == {f"{rule_id}.md" for rule_id in CATALOGUE}
    assert "README.md" in names


@pytest.mark.parametrize("rule_id", list(CATALOGUE))
def test_rule_file_prose_is_one_sentence_per_line(rule_id: str) -> None:
    """A prose section's lines are its sentences, and joined they are one paragraph."""
    name = f"{rule_id}.md"
    sections = _sections(RULE_FILES.joinpath(name).read_text(encoding="utf-8"), name)
    entry = EXPLANATIONS[rule_id]
    for title, prose in (("Meaning", entry.meaning), ("How to fix", entry.fix)):
        lines = sections[title]
        assert " ".join(lines) == prose
        assert "\n".join(lines) == _sentences(prose), (
            f"{name}: write '## {title}' with one sentence per line"
        )


def test_parse_joins_prose_and_keeps_the_example(tmp_path: Path) -> None:
    """Prose lines become one paragraph; the example is kept line for line."""
    path = tmp_path / "CK-TEST-001.md"
    path.write_text(VALID, encoding="utf-8")
    assert _parse(path.read_text(encoding="utf-8"), str(path)) == Explanation(
        meaning="First sentence of the meaning. Second sentence, on its own line.",
        example=(
            "==> clusters.csv <==\n"
            "# not a heading: inside the fence, a line of the file\n"
            "\n"
            "clusters.csv:1: error CK-HDR-001 required column 'country' is missing"
            " from clusters"
        ),
        fix="The one sentence of the fix.",
    )
    # Blank lines before the first section, as an editor may leave, are harmless.
    assert _parse(f"\n\n{VALID}", "x.md") == _parse(VALID, "x.md")


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        pytest.param(
            "\n## How to fix\n\nThe one sentence of the fix.\n",
            "",
            ": missing section '## How to fix'",
            id="missing-section",
        ),
        pytest.param(
            "## Example",
            "## Examples",
            ":6: unknown section '## Examples'",
            id="unknown",
        ),
        pytest.param(
            "## Meaning", "# Meaning", ":1: unknown section '# Meaning'", id="level-one"
        ),
        pytest.param(
            "## How to fix",
            "## Meaning",
            ":15: duplicate section '## Meaning'",
            id="duplicate",
        ),
        pytest.param(
            "## Meaning\n\nFirst sentence of the meaning.\n"
            "Second sentence, on its own line.\n\n",
            "",
            ": missing section '## Meaning'",
            id="missing-first",
        ),
        pytest.param(
            "## Meaning",
            "Preamble.\n\n## Meaning",
            ":1: text before the first section",
            id="preamble",
        ),
        pytest.param(
            "```\n\n## How to fix",
            "\n## How to fix",
            ": a ``` code fence is not closed",
            id="unclosed-fence",
        ),
        pytest.param(
            FENCED,
            "==> clusters.csv <==\n",
            ": section '## Example' must be one fenced ```text block",
            id="no-fence",
        ),
        pytest.param(
            "```text\n",
            "```csv\n",
            ": section '## Example' must be one fenced ```text block",
            id="other-language",
        ),
        pytest.param(
            "```\n\n## How",
            "```\n```text\nmore\n```\n\n## How",
            ": section '## Example' must be one fenced ```text block",
            id="two-fences",
        ),
        pytest.param(
            "First sentence of the meaning.\n",
            "First sentence of the meaning.\n\n",
            ": section '## Meaning' must be one paragraph, without blank lines",
            id="two-paragraphs",
        ),
        pytest.param(
            "The one sentence of the fix.\n",
            "",
            ": section '## How to fix' must be one paragraph",
            id="empty-prose",
        ),
    ],
)
def test_parse_rejects_a_malformed_file(
    tmp_path: Path, old: str, new: str, error: str
) -> None:
    """A malformed rule file is a ValueError that names the file and the problem."""
    assert old in VALID
    path = tmp_path / "CK-TEST-001.md"
    path.write_text(VALID.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"{path}{error}")):
        _parse(path.read_text(encoding="utf-8"), str(path))


def test_sections_out_of_order() -> None:
    """The three sections come in the documented order."""
    text = VALID.replace("## Meaning", "## Swap").replace("## How to fix", "## Meaning")
    with pytest.raises(
        ValueError, match=r"^x\.md: the sections must come in the order"
    ):
        _parse(text.replace("## Swap", "## How to fix"), "x.md")


def test_explanations_is_a_read_only_mapping() -> None:
    """EXPLANATIONS behaves as a read-only dict keyed by the exact rule ids."""
    assert isinstance(EXPLANATIONS, Mapping)
    assert not isinstance(EXPLANATIONS, MutableMapping)
    assert len(EXPLANATIONS) == len(CATALOGUE)
    assert "CK-FK-001" in EXPLANATIONS
    assert "ck-fk-001" not in EXPLANATIONS
    assert EXPLANATIONS.get("nonsense") is None
    assert repr(EXPLANATIONS) == f"<EXPLANATIONS of {len(CATALOGUE)} rules>"


def test_explanation_reads_each_file_once() -> None:
    """`explanation` accepts any case and returns the one cached object."""
    assert explanation(" ck-fk-001 ") is explanation("CK-FK-001")
    assert explanation("CK-FK-001") is EXPLANATIONS["CK-FK-001"]
    with pytest.raises(ValueError, match="unknown rule 'CK-FK-01'; did you mean"):
        explanation("CK-FK-01")


def test_import_reads_no_rule_file() -> None:
    """Importing clusterkit reads none of the rule files; the first use does."""
    code = (
        "import clusterkit, clusterkit.cli\n"
        "from clusterkit.report import load_explanation as load\n"
        "from clusterkit.rules import explain\n"
        "assert load.cache_info().currsize == 0, load.cache_info()\n"
        "explain('CK-FK-001')\n"
        "assert load.cache_info().currsize == 1, load.cache_info()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
