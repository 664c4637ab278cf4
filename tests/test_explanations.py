"""The explanation of every rule, `clusterkit explain`'s text and the rules docs page.

docs/reference/rules.md is generated from the catalogue and the explanations. After
changing either, refresh the page with
``CLUSTERKIT_UPDATE_SNAPSHOTS=1 pytest tests/test_explanations.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from clusterkit.rules._explanations import (
    EXPLANATIONS,
    FAMILIES,
    _join,
    explain,
    rules_markdown,
)
from clusterkit.rules._registry import CATALOGUE

PAGE = Path(__file__).parents[1] / "docs" / "reference" / "rules.md"
FINDING = re.compile(
    r"^[\w./-]+(?::\d+){0,2}: (?P<severity>error|warning|info) "
    r"(?P<rule>CK-[A-Z]+-\d{3}) \S"
)


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
    assert page.endswith("use --ignore CK-SME-003.\n")
    for rule_id, rule in CATALOGUE.items():
        anchor = rule_id.lower()
        assert (
            f"| [{rule_id}](#{anchor}) | {rule.severity.value} | {rule.title} |" in page
        )
        assert f"### {rule_id}: {rule.title} {{ #{anchor} }}\n" in page
        assert f"```text\n{EXPLANATIONS[rule_id].example}\n```" in page
    for family, heading in FAMILIES.items():
        assert f"## {family}: {heading} {{ #{family.lower()} }}\n" in page
    assert "`CK-ENUM` and `CK-COUNTRY`, and `CK-COUNT-001`." in page
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
