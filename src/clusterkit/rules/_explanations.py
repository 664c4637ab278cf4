"""Private: what every rule means, a failing example and how to fix it (DESIGN.md §4).

Each rule's explanation is a Markdown file in the package, `data/rules/<RULE>.md`
(`data/rules/README.md` describes the format), read on first use and cached.
`clusterkit explain RULE` prints one entry with `explain`, and `rules_markdown` writes
the whole catalogue as the docs page `docs/reference/rules.md`. Each entry is plain
text; the examples show a file as `head` does (`==> activities.csv <==`) and the
finding line as `clusterkit validate` prints it.
"""

from __future__ import annotations

import difflib
import re
import textwrap
from collections.abc import Iterator, Mapping

from clusterkit.report import CATALOGUE, Explanation, Rule, load_explanation

__all__ = [
    "EXPLANATIONS",
    "FAMILIES",
    "Explanation",
    "explain",
    "explanation",
    "rules_markdown",
]


def _rule_key(rule_id: str) -> str:
    """The catalogue id of a rule id in any case, or a ValueError with suggestions.

    Raises:
        TypeError: `rule_id` is not a string.
        ValueError: It names no rule.
    """
    if not isinstance(rule_id, str):
        msg = f"rule_id must be a string, not {type(rule_id).__name__}"
        raise TypeError(msg)
    key = rule_id.strip().upper()
    if key not in CATALOGUE:
        close = difflib.get_close_matches(key, CATALOGUE, n=3, cutoff=0.6)
        suggestion = f"did you mean {', '.join(close)}? " if close else ""
        msg = (
            f"unknown rule {rule_id!r}; {suggestion}'clusterkit rules' lists every rule"
        )
        raise ValueError(msg)
    return key


def explanation(rule_id: str) -> Explanation:
    """The explanation of one rule, read from its file on first use and then cached.

    Added in version 0.2.0.

    Args:
        rule_id: A rule id such as `CK-FK-001`, in any case.

    Returns:
        The rule's meaning, failing example and fix.

    Raises:
        ValueError: `rule_id` is not in the catalogue (the message suggests the
            closest ids), or the rule's file is malformed.
        TypeError: `rule_id` is not a string.

    Examples:
        >>> explanation("ck-fk-001").fix.split(", ")[0]
        "Correct the id (here 'P1'"
    """
    return load_explanation(_rule_key(rule_id))


class _Explanations(Mapping[str, Explanation]):
    """The explanations of the catalogue by rule id, each read on first access."""

    def __getitem__(self, rule_id: str) -> Explanation:
        # Only exact catalogue ids, as in a dict: `in` and `get` rely on KeyError.
        if rule_id not in CATALOGUE:
            raise KeyError(rule_id)
        return load_explanation(rule_id)

    def __iter__(self) -> Iterator[str]:
        return iter(CATALOGUE)

    def __len__(self) -> int:
        return len(CATALOGUE)

    def __repr__(self) -> str:
        return f"<EXPLANATIONS of {len(self)} rules>"


EXPLANATIONS: Mapping[str, Explanation] = _Explanations()
"""The explanation of every catalogue rule, by rule id, in catalogue order.

A read-only mapping: an entry's file is read the first time the entry is used, not
when clusterkit is imported.

Added in version 0.1.0.
"""


FAMILIES: dict[str, str] = {
    "CK-FILE": "files",
    "CK-HDR": "headers",
    "CK-ROW": "rows",
    "CK-TYPE": "values and dates",
    "CK-ENUM": "vocabularies",
    "CK-COUNTRY": "countries",
    "CK-COUNT": "counts",
    "CK-PK": "identity",
    "CK-FK": "references",
    "CK-ORPHAN": "unused records",
    "CK-DATE": "dates and periods",
    "CK-GEO": "geography",
    "CK-PART": "partnership structure",
    "CK-SME": "SMEs",
    "CK-DUP": "duplicates",
    "CK-ID": "identifiers: VAT numbers and PICs",
}
"""The heading of every rule family on the docs page."""

_STAGES = {
    "read": "checked while the files are read",
    "rows": "checked on every row, after reading",
    "dataset": "checked once, over the whole dataset",
}
_WIDTH = 88
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[A-Z`'])")


def _paragraph(text: str) -> str:
    """Wrap prose for a terminal, indented by two spaces."""
    return textwrap.fill(
        text,
        width=_WIDTH,
        initial_indent="  ",
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )


def explain(rule_id: str) -> str:
    """The text `clusterkit explain RULE` prints: meaning, example and how to fix.

    Added in version 0.1.0.

    Args:
        rule_id: A rule id such as `CK-FK-001`, in any case.

    Returns:
        The rule's id, severity and title, then its meaning, a failing example and
        how to fix it, as plain text with lines shorter than 100 characters.

    Raises:
        ValueError: `rule_id` is not in the catalogue (the message suggests the
            closest ids), or the rule's file is malformed.
        TypeError: `rule_id` is not a string.

    Examples:
        >>> print(explain("ck-fk-001").splitlines()[0])
        CK-FK-001  [error]  activity refers to an unknown partnership
    """
    key = _rule_key(rule_id)
    rule = CATALOGUE[key]
    entry = load_explanation(key)
    example = textwrap.indent(entry.example, "    ", lambda line: bool(line.strip()))
    return "\n".join(
        (
            f"{rule.id}  [{rule.severity.value}]  {rule.title}",
            "",
            "Meaning",
            _paragraph(entry.meaning),
            "",
            "Example",
            example,
            "",
            "How to fix",
            _paragraph(entry.fix),
            "",
        )
    )


def _sentences(text: str) -> str:
    """Prose for Markdown, one sentence per line, as the other docs pages have it."""
    return _SENTENCE_END.sub("\n", text)


def _join(names: list[str]) -> str:
    """Names as code, in an English list: `A`, `B` and `C` (empty for none)."""
    quoted = [f"`{name}`" for name in names]
    return " and ".join(text for text in (", ".join(quoted[:-1]), *quoted[-1:]) if text)


def _summary_row(rule: Rule) -> str:
    """The summary table's row for one rule."""
    anchor = rule.id.lower()
    return f"| [{rule.id}](#{anchor}) | {rule.severity.value} | {rule.title} |"


def _section(rule: Rule) -> str:
    """The Markdown section of one rule."""
    entry = EXPLANATIONS[rule.id]
    runs = _STAGES[rule.stage]
    if not rule.default:
        runs += "; off unless named with `--select`"
    return "\n".join(
        (
            f"### {rule.id}: {rule.title} {{ #{rule.id.lower()} }}",
            "",
            f"Severity: **{rule.severity.value}**; {runs}.",
            "",
            _sentences(entry.meaning),
            "",
            "For example:",
            "",
            "```text",
            entry.example,
            "```",
            "",
            f"**How to fix.** {_sentences(entry.fix)}",
            "",
        )
    )


def _intro() -> str:
    """The introduction of the docs page, with the rule lists taken from the catalogue."""
    families: list[str] = []
    singles: list[str] = []
    for rule in CATALOGUE.values():
        family = [other for other in CATALOGUE.values() if other.family == rule.family]
        whole = all(other.stage == "read" for other in family)
        if rule.stage == "read" and not whole:
            singles.append(rule.id)
        elif rule.stage == "read" and rule.family not in families:
            families.append(rule.family)
    read_text = ", and ".join(
        text
        for text in (f"every rule of the families {_join(families)}", _join(singles))
        if text
    )
    off = _join([rule.id for rule in CATALOGUE.values() if not rule.default])
    paragraphs = (
        "# Rules",
        (
            "Every finding of `clusterkit validate` names the rule that found it, such "
            "as `CK-FK-001`. This page lists every rule: what it finds, a small failing "
            "example with the finding it produces, and how to fix it. `clusterkit "
            "rules` lists the rules with their severities, and `clusterkit explain "
            "CK-FK-001` prints one rule's entry from this page."
        ),
        (
            "Rule ids are stable: a rule is never renamed or reused for something "
            "else, and renaming one would be a breaking change, announced in the "
            "[changelog](../changelog.md). The wording of messages may improve between "
            "versions; rule ids and locations do not change."
        ),
        "## Severities and when rules run",
        "Each rule has a severity:",
        (
            "- **error**: the data is wrong, and `clusterkit validate` fails (with the "
            "default `--fail-on error`, exit code 1);\n"
            "- **warning**: the data is probably wrong, or unusual; warnings fail the "
            "run only with `--fail-on warning`;\n"
            "- **info**: a remark, for tidying a dataset, that never fails the run."
        ),
        (
            "`CK-PART-008` is the one rule with two severities: an error for too few "
            "target countries and a warning for too many."
        ),
        (
            "These rules are checked while the files are read, cell by cell: "
            f"{read_text}. A file that cannot be read (`CK-FILE-001`) stops there, and "
            "a row that cannot be read (`CK-ROW-001`) is skipped, so neither reaches "
            "the later checks. The other rules run after reading: on every row, "
            "against the ids of the other tables, or once over the whole dataset."
        ),
        (
            f"{off} is off by default: it runs only when named with `--select`. "
            "`--select` and `--ignore` take rule ids or family prefixes such as "
            "`CK-GEO`; see the [command line](cli.md)."
        ),
        "## Reading the examples",
        (
            "Each example shows the file as `head` does (`==> activities.csv <==`), "
            "with only the columns that matter, then the finding line as `clusterkit "
            "validate` prints it: `file:line:column: severity RULE message`. Lines are "
            "physical lines of the file with the header on line 1, and the column is "
            "the field's position in the header, counting from 1. Lines in "
            "parentheses describe the rest of the dataset. A finding line too long "
            "for the page continues on the next line, indented by four spaces. An "
            "indented line starting with `hint:` is the finding's hint (the closest "
            "valid id or value, or how to write the value), which the text format "
            "prints under the finding. A finding also carries related places (the "
            "first occurrence of a duplicate, the partnership row of an activity), "
            "which the JSON report shows. The [data format](data-format.md) says how "
            "every value is written."
        ),
    )
    return "\n\n".join(_sentences(paragraph) for paragraph in paragraphs) + "\n"


def rules_markdown() -> str:
    """The docs page `docs/reference/rules.md`: every rule, generated from the catalogue.

    Added in version 0.1.0.

    Returns:
        Markdown: an introduction, a summary table, then one section per rule
        family with the meaning, a failing example and how to fix each rule.
    """
    parts = [
        _intro(),
        "## Summary",
        "",
        "| Rule | Severity | Title |",
        "| --- | --- | --- |",
        *(_summary_row(rule) for rule in CATALOGUE.values()),
        "",
    ]
    # A family's rules together, by number, in the families' order: a rule of
    # the read stage (CK-DATE-005) is declared before the rest of its family.
    by_family: dict[str, list[Rule]] = {family: [] for family in FAMILIES}
    for rule in sorted(CATALOGUE.values(), key=lambda rule: rule.id):
        by_family[rule.family].append(rule)
    for family, rules in by_family.items():
        parts.extend((f"## {family}: {FAMILIES[family]} {{ #{family.lower()} }}", ""))
        parts.extend(_section(rule) for rule in rules)
    return "\n".join(parts).rstrip("\n") + "\n"
