"""Private: a rule's explanation — what it means, a failing example, how to fix it.

Each rule's explanation is a Markdown file in the package, `data/rules/<RULE>.md`
(`data/rules/README.md` describes the format), read on first use and cached, and
rendered by `clusterkit explain`, the SARIF help of each rule and the docs page
`docs/reference/rules.md`.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Container

import attrs

__all__ = ["Explanation", "load_explanation", "parse_explanation"]


@attrs.frozen
class Explanation:
    """The documentation of one rule.

    Added in version 0.1.0.

    Attributes:
        meaning: What the rule finds and why it matters, in one to three sentences.
        example: A small failing file and the finding line it produces.
        fix: How a data steward fixes the data (or deliberately silences the rule).
    """

    meaning: str
    example: str
    fix: str


_SECTIONS = ("Meaning", "Example", "How to fix")
_EXPECTED = ", ".join(f"'## {title}'" for title in _SECTIONS)
_FENCE = "```"


def _trim(lines: list[str]) -> list[str]:
    """The lines without the blank lines around them."""
    start, end = 0, len(lines)
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end - 1].strip():
        end -= 1
    return lines[start:end]


def _title(line: str, where: str, seen: Container[str]) -> str:
    """The section title of a heading line; an unknown or repeated one is an error."""
    title = line.removeprefix("## ")
    if title not in _SECTIONS:
        raise ValueError(f"{where}: unknown section {line!r}; expected {_EXPECTED}")
    if title in seen:
        raise ValueError(f"{where}: duplicate section {line!r}")
    return title


def _sections(text: str, name: str) -> dict[str, list[str]]:
    """Split a rule file into the lines of its three sections.

    Args:
        text: The file's text.
        name: The file's name, for error messages.

    Returns:
        The lines of each section by title, without the blank lines around them.

    Raises:
        ValueError: A heading other than the three sections, a section twice or not
            at all, the sections out of order, text before the first section or an
            unclosed code fence.
    """
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        # A '#' inside the example is file content, such as a comment line, not a
        # heading, so headings are only looked for outside code fences.
        if not fenced and line.startswith("#"):
            current = sections[_title(line, f"{name}:{number}", sections)] = []
            continue
        if line.startswith(_FENCE):
            fenced = not fenced
        if current is not None:
            current.append(line)
        elif line.strip():
            msg = (
                f"{name}:{number}: text before the first section; expected {_EXPECTED}"
            )
            raise ValueError(msg)
    if fenced:
        raise ValueError(f"{name}: a {_FENCE} code fence is not closed")
    missing = [title for title in _SECTIONS if title not in sections]
    if missing:
        raise ValueError(f"{name}: missing section '## {missing[0]}'")
    if tuple(sections) != _SECTIONS:
        raise ValueError(f"{name}: the sections must come in the order {_EXPECTED}")
    return {title: _trim(lines) for title, lines in sections.items()}


def _prose(lines: list[str], title: str, name: str) -> str:
    """A prose section's lines, one sentence each, joined into one paragraph."""
    if not lines or not all(line.strip() for line in lines):
        msg = f"{name}: section '## {title}' must be one paragraph, without blank lines"
        raise ValueError(msg)
    return " ".join(line.strip() for line in lines)


def _example(lines: list[str], name: str) -> str:
    """The example section's lines, inside their fence, exactly as written."""
    inner = lines[1:-1]
    if (
        len(lines) < 3  # noqa: PLR2004 -- an opening fence, one line, a closing fence
        or lines[0] != f"{_FENCE}text"
        or lines[-1] != _FENCE
        or any(line.startswith(_FENCE) for line in inner)
    ):
        msg = f"{name}: section '## Example' must be one fenced {_FENCE}text block"
        raise ValueError(msg)
    return "\n".join(inner)


def parse_explanation(text: str, name: str) -> Explanation:
    """Read the explanation of one rule from the text of its file.

    Args:
        text: The file's text, in the format of `data/rules/README.md`.
        name: The file's name, for error messages.

    Returns:
        The explanation, its prose sections each joined into one paragraph.

    Raises:
        ValueError: The text is not in that format; the message names the file.
    """
    sections = _sections(text, name)
    return Explanation(
        meaning=_prose(sections["Meaning"], "Meaning", name),
        example=_example(sections["Example"], name),
        fix=_prose(sections["How to fix"], "How to fix", name),
    )


@functools.cache
def load_explanation(rule_id: str) -> Explanation:
    """Read and parse the file of one catalogue rule, once."""
    # One joinpath per step: Traversable.joinpath takes a single name on Python 3.10.
    resource = (
        importlib.resources.files("clusterkit")
        .joinpath("data")
        .joinpath("rules")
        .joinpath(f"{rule_id}.md")
    )
    return parse_explanation(
        resource.read_text(encoding="utf-8"), f"clusterkit/data/rules/{rule_id}.md"
    )
