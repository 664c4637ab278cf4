r"""Private: a `Report` rendered as text, JSON, GitHub commands, JUnit XML or SARIF.

`Report.render(NAME)` (and `clusterkit validate --format NAME`) picks its renderer
from `FORMATS`; the GitHub Actions step summary (Markdown) has its own renderer,
`render_step_summary`. Every renderer is a pure function of the report and returns
text without a final newline: the caller adds one when it writes the text. Tables
and escaping come from `clusterkit.render`, as for every other output.

Messages carry values read from untrusted files, so every renderer neutralises what
could break its format or a terminal: in text, Markdown and XML, control characters,
lone surrogates and bidirectional overrides become visible escapes (a newline becomes
`\n`, an escape character `\x1b`); GitHub commands escape as GitHub specifies; JSON
escapes by itself.
"""

from __future__ import annotations

import functools
import json
import re
import textwrap
import urllib.parse
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from clusterkit._output import surrogates_escaped
from clusterkit.render import Table, markdown_table, markdown_text, safe_text
from clusterkit.report._finding import Finding, Severity
from clusterkit.report._rule import CATALOGUE
from clusterkit.values import Location

if TYPE_CHECKING:
    from clusterkit.report._report import Report, Summary

__all__ = [
    "FORMATS",
    "render_github",
    "render_json",
    "render_junit",
    "render_sarif",
    "render_step_summary",
    "render_text",
]

DOCS_RULES_URL = "https://clusterkit.readthedocs.io/en/latest/reference/rules/"
"""The rule reference; each rule is the anchor of its lower-cased id."""

INFORMATION_URL = "https://clusterkit.readthedocs.io/"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "clusterkit/v1"

MIN_WIDTH = 40
"""`render_text` wraps at no fewer columns than this, however narrow the terminal."""

STEP_SUMMARY_FINDINGS = 50
"""How many findings the GitHub step summary lists."""

CI_MESSAGE_CHARS = 1_000
"""The most characters of a message in a GitHub annotation or the step summary.

A message quoting a long value is cut there, saying how much was left out:
GitHub drops a step summary over 1 MiB whole. The other formats keep it all.
"""

_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
_GITHUB_COMMANDS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}
_SARIF_LEVELS = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}

_SURROGATE = re.compile("[\ud800-\udfff]")
_PLAIN_SHEET = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


# Shared pieces ---------------------------------------------------------------------


_safe = safe_text


def _plural(count: int, noun: str) -> str:
    """`1 error`, `2 errors`, `1,000 errors`."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _sheet_ref(location: Location) -> str:
    """`Sheet!C12` (or `Sheet!12:12` for a whole row, or `Sheet`), quoted as Excel does."""
    sheet = location.sheet or ""
    if not _PLAIN_SHEET.fullmatch(sheet):
        sheet = "'" + sheet.replace("'", "''") + "'"
    if location.cell is not None:
        return f"{sheet}!{location.cell}"
    if location.line is not None:
        return f"{sheet}!{location.line}:{location.line}"
    return sheet


def _where(location: Location) -> str:
    """A location as an editor reference: `file:line:column`, `file:Sheet!C12`, `file#/ptr`."""
    file = location.file or "<input>"
    if location.sheet is not None:
        return f"{file}:{_sheet_ref(location)}"
    if location.line is not None:
        if location.column is not None:
            return f"{file}:{location.line}:{location.column}"
        return f"{file}:{location.line}"
    if location.pointer is not None:
        return f"{file}#{location.pointer}"
    return file


def _with_hint(finding: Finding, *, labelled: bool = False) -> str:
    """The message (after its field, if `labelled`), then `. Hint: …` if it has one."""
    message = _labelled(finding) if labelled else finding.message
    if finding.hint is None:
        return message
    separator = " " if message.endswith((".", "?", "!")) else ". "
    return f"{message}{separator}Hint: {finding.hint}"


FOLDED_PLACES = 10
"""How many places of folded findings a line lists before "and N more"."""

RELATED_LIMIT = 100
"""How many folded findings a SARIF result lists as related locations."""

GITHUB_ANNOTATIONS_SHOWN = 10
"""How many annotations of each level (error, warning, notice) GitHub shows per step.

It drops the others, and shows at most 50 per job ("Workflow commands for
GitHub Actions", docs.github.com).
"""

SARIF_RESULTS_LIMIT = 25_000
"""The most results a SARIF run holds.

GitHub code scanning rejects a run with more than 25,000 results (and shows
5,000 of them): "SARIF support for code scanning", docs.github.com.
"""


@attrs.frozen
class _Folded:
    """A finding shown, with the findings that follow from it folded under it."""

    finding: Finding
    follows: tuple[Finding, ...] = ()


def _folded(findings: Sequence[Finding], *, by_severity: bool) -> list[_Folded]:
    """The findings to show, each with those that follow from it (`caused_by`).

    A finding whose cause is shown is folded under it (under the first cause of
    a chain); one whose cause is not shown (left out by `--max-findings` or
    `--min-severity`) is shown on its own. With `by_severity`, errors come
    first, then warnings, then information, each in the order given.
    """
    shown = {finding.fingerprint: finding for finding in reversed(findings)}

    def root(finding: Finding) -> Finding:
        top, seen = finding, {finding.fingerprint}
        while top.caused_by is not None and top.caused_by in shown:
            top = shown[top.caused_by]
            if top.fingerprint in seen:
                return finding  # a loop has no root: each stands alone
            seen.add(top.fingerprint)
        return top

    follows: dict[int, list[Finding]] = {}
    roots: list[Finding] = []
    for finding in findings:
        top = root(finding) if finding.caused_by is not None else finding
        if top is finding:
            roots.append(finding)
        else:
            follows.setdefault(id(top), []).append(finding)
    if by_severity:
        roots.sort(key=lambda finding: -finding.severity.rank)
    return [_Folded(item, tuple(follows.get(id(item), ()))) for item in roots]


def listed_findings(findings: Sequence[Finding]) -> list[tuple[Finding, str]]:
    """The findings a summary lists, in the order the text rendering lists them.

    Errors first, then warnings, then information, each in the order given. A
    finding that follows from another (`caused_by`) is not listed but counted in
    its root's message, as the step summary counts it: `… (and 24 findings that
    follow from it: CK-FK-007 19 times in a.csv)`.

    Returns:
        Each finding listed, with its message and what follows from it.
    """
    return [
        (
            item.finding,
            f"{item.finding.message} {_follow_summary(item.follows)}"
            if item.follows
            else item.finding.message,
        )
        for item in _folded(findings, by_severity=True)
    ]


def _places(findings: Sequence[Finding]) -> str:
    """Where findings are, compactly: `a.csv lines 4, 11 and 3 more; b.csv line 2`."""
    # Each file's places in order, once each: a dict, so that thousands of
    # findings following one cause are placed in linear time.
    by_file: dict[str, dict[str, None]] = {}
    for finding in findings:
        where = finding.location
        file = where.file or "<input>"
        if where.sheet is not None:
            place = _sheet_ref(where)
        elif where.line is not None:
            place = str(where.line)
        elif where.pointer is not None:
            place = where.pointer
        else:
            continue
        by_file.setdefault(file, {})[place] = None
    parts = []
    for file, placed in by_file.items():
        places = list(placed)
        lines = all(place.isdigit() for place in places)
        noun = ("line" if len(places) == 1 else "lines") if lines else "at"
        listed = ", ".join(places[:FOLDED_PLACES])
        if len(places) > FOLDED_PLACES:
            listed += f" and {len(places) - FOLDED_PLACES:,} more"
        parts.append(f"{file} {noun} {listed}")
    return "; ".join(parts)


def _follow_groups(follows: Sequence[Finding]) -> list[str]:
    """`CK-FK-007 19 times: cluster 'X' does not exist in clusters, at a.csv lines 4, 11`."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in follows:
        groups.setdefault((finding.rule, finding.message), []).append(finding)
    lines = []
    for (rule, message), members in groups.items():
        places = _places(members)
        lines.append(
            f"{rule} {_times(len(members))}: {message}"
            + (f", at {places}" if places else "")
        )
    return lines


def _times(count: int) -> str:
    """`once`, `twice`, `19 times`."""
    return {1: "once", 2: "twice"}.get(count, f"{count:,} times")


def _follow_sentence(count: int) -> str:
    return f"and {_plural(count, 'finding')} that follow{'s' if count == 1 else ''} from it"


def _follow_summary(follows: Sequence[Finding]) -> str:
    """`(and 24 findings that follow from it: CK-FK-007 19 times in a.csv, …)`."""
    counts: Counter[tuple[str, str]] = Counter(
        (finding.rule, finding.location.file or "<input>") for finding in follows
    )
    parts = ", ".join(
        f"{rule} {_times(n)} in {file}" for (rule, file), n in counts.items()
    )
    return f"({_follow_sentence(len(follows))}: {parts})"


def _labelled(finding: Finding) -> str:
    """The message with the field it is about in front (`start: …`).

    Not when the message names it already: starting with it ("partnership 'P9'
    …" of the field `partnership`, "SME 'S9' …" of `smes`), or quoting it
    ("required column 'acronym' …").
    """
    field = finding.location.field
    message = finding.message
    if (
        not field
        or message.lower().startswith(field.lower().removesuffix("s"))
        or f"'{field}'" in message
    ):
        return message
    return f"{field}: {message}"


def _fails(report: Report, severity: Severity) -> bool:
    """Whether a finding of this severity makes the data invalid."""
    return report.fail_on is not None and severity >= report.fail_on


def truncation_sentence(summary: Summary, *, python: bool = False) -> str:
    """The sentence that says how many findings a truncated report leaves out.

    Findings below `--min-severity` are not among them: raising
    `--max-findings` would not show those (`below_sentence` counts them).
    With `python`, the options are named as `validate` takes them
    (`max_findings`).
    """
    showable = summary.total - summary.below
    hidden = showable - summary.shown
    them = "it" if hidden == 1 else "them"
    which = (
        f" at or above {_option('min-severity', python=python)} "
        f"{summary.min_severity.value}"
        if summary.below
        else ""
    )
    return (
        f"showing {summary.shown:,} of {_plural(showable, 'finding')}{which}; "
        f"{hidden:,} more not shown "
        f"(raise {_option('max-findings', python=python)} to see {them})"
    )


def _option(name: str, *, python: bool) -> str:
    """`--min-severity` on the command line, `min_severity` as a keyword argument."""
    return name.replace("-", "_") if python else f"--{name}"


def _severity_counts(counts: Mapping[Severity, int]) -> str:
    """`3 errors, 1 warning, 0 info` ("info" has no plural)."""
    return (
        f"{_plural(counts[Severity.ERROR], 'error')}, "
        f"{_plural(counts[Severity.WARNING], 'warning')}, "
        f"{counts[Severity.INFO]:,} info"
    )


def _summary_line(report: Report) -> str:
    """`3 errors, 1 warning, 0 info in data/ — invalid (fail on error) · clusterkit …`."""
    summary = report.summary
    counts = _severity_counts(
        {severity: summary.count(severity) for severity in _SEVERITIES}
    )
    place = f" in {', '.join(report.sources)}" if report.sources else ""
    verdict = "valid" if report.ok else "invalid"
    fail_on = "never" if report.fail_on is None else report.fail_on.value
    parts = [f"{counts}{place} — {verdict} (fail on {fail_on})"]
    if report.tool_version:
        parts.append(f"clusterkit {report.tool_version}")
    if report.reference_data:
        parts.append(f"reference data {report.reference_data}")
    parts.append(f"as of {report.as_of.isoformat()}")
    return " · ".join(parts)


def _no_findings(report: Report) -> str:
    place = f" in {', '.join(report.sources)}" if report.sources else ""
    return f"no findings{place}"


def _rules_found(report: Report) -> list[str]:
    """The rule ids counted in the summary or shown, in catalogue order."""
    found = set(report.summary.by_rule) | {finding.rule for finding in report.findings}
    known = [rule for rule in CATALOGUE if rule in found]
    return known + sorted(found.difference(CATALOGUE))


@attrs.frozen
class _RuleRow:
    """One rule's line in the counts by rule."""

    rule: str
    severity: str
    count: int
    title: str


def _rule_rows(report: Report) -> list[_RuleRow]:
    """Each rule with findings, its severity, count and title.

    The severity is the highest shown for the rule (one rule, CK-PART-008, has
    two), else the rule's default; the count includes findings not shown.
    """
    counts = Counter(finding.rule for finding in report.findings)
    highest: dict[str, Severity] = {}
    for finding in report.findings:
        known = highest.get(finding.rule)
        if known is None or finding.severity > known:
            highest[finding.rule] = finding.severity
    rows = []
    for rule in _rules_found(report):
        entry = CATALOGUE.get(rule)
        severity = highest.get(rule) or (None if entry is None else entry.severity)
        rows.append(
            _RuleRow(
                rule,
                "" if severity is None else severity.value,
                max(report.summary.by_rule.get(rule, 0), counts[rule]),
                "" if entry is None else entry.title,
            )
        )
    return rows


def _details(finding: Finding, follows: Sequence[Finding] = ()) -> str:
    """Every part of a finding on its own line, for JUnit bodies.

    The findings that follow from it are listed after it, one per line.
    """
    where = _where(finding.location)
    if finding.location.field:
        where += f" ({finding.location.field})"
    lines = [
        f"{finding.severity.value} {finding.rule} at {where}",
        finding.message,
    ]
    if finding.hint is not None:
        lines.append(f"hint: {finding.hint}")
    if finding.entity is not None:
        entity = finding.entity.table
        if finding.entity.id is not None:
            entity += f" {finding.entity.id}"
        lines.append(f"entity: {entity}")
    if finding.value is not None:
        lines.append(f"value: {finding.value}")
    if finding.expected is not None:
        lines.append(f"expected: {finding.expected}")
    lines.extend(f"related: {_where(related)}" for related in finding.related)
    lines.append(f"fingerprint: {finding.fingerprint}")
    if finding.caused_by is not None:
        lines.append(f"caused by: {finding.caused_by}")
    if follows:
        lines.append(_follow_sentence(len(follows)) + ":")
        lines.extend(
            f"  {_where(item.location)}: {item.rule} {item.message}" for item in follows
        )
    return "\n".join(lines)


# Text ------------------------------------------------------------------------------


def render_text(report: Report, *, max_width: int | None = None) -> str:
    """The report for a person at a terminal (`--format text`).

    Errors first, then warnings, then information, each in file order; one line
    per finding, `file:line:column: severity RULE field: message`, with its hint
    on the next line and the findings that follow from it (`caused_by`) folded
    under it, grouped by rule and message with their places. Then the count of
    each rule, the summary and what was left out, if anything.

    Args:
        report: The report to render.
        max_width: Wrap lines at this many columns (at least `MIN_WIDTH`), with
            continuation lines indented; `None` leaves lines as long as they are.

    Returns:
        The text, without a final newline.
    """
    width = None if max_width is None else max(max_width, MIN_WIDTH)

    def wrap(text: str, indent: str = "", hanging: str = "    ") -> list[str]:
        if width is None:
            return [indent + text]
        return textwrap.wrap(
            text,
            width,
            initial_indent=indent,
            subsequent_indent=hanging,
            break_long_words=False,
            break_on_hyphens=False,
        )

    findings: list[str] = []
    for item in _folded(report.findings, by_severity=True):
        finding = item.finding
        where = _safe(_where(finding.location))
        line = f"{where}: {finding.severity.value} {finding.rule} {_safe(_labelled(finding))}"
        findings.extend(wrap(line))
        if finding.hint is not None:
            findings.extend(wrap(f"hint: {_safe(finding.hint)}", "    ", " " * 10))
        if item.follows:
            findings.extend(
                wrap(_follow_sentence(len(item.follows)) + ":", "    ", " " * 6)
            )
            for group in _follow_groups(item.follows):
                findings.extend(wrap(_safe(group), " " * 6, " " * 10))
    tail: list[str] = []
    if not report.findings and not report.summary.total:
        tail.extend(wrap(_safe(_no_findings(report)), hanging="  "))
    tail.extend(wrap(_safe(_summary_line(report)), hanging="  "))
    if report.summary.below:
        tail.extend(wrap(below_sentence(report), hanging="  "))
    if report.summary.truncated:
        tail.extend(wrap(truncation_sentence(report.summary), hanging="  "))
    blocks = [findings, _rule_table(report, width), tail]
    return "\n\n".join("\n".join(block) for block in blocks if block)


def below_sentence(report: Report, *, python: bool = False) -> str:
    """`not shown: 8 warnings, 0 info (below --min-severity error)`.

    With `python`, `min_severity`, as `validate` takes it.
    """
    summary = report.summary
    hidden = [
        _plural(summary.count(severity), severity.value)
        if severity is not Severity.INFO
        else f"{summary.count(severity):,} info"
        for severity in _SEVERITIES
        if severity < summary.min_severity
    ]
    return (
        f"not shown: {', '.join(hidden)} "
        f"(below {_option('min-severity', python=python)} "
        f"{summary.min_severity.value})"
    )


def _rule_table(report: Report, width: int | None) -> list[str]:
    """`  CK-FK-001  error    12  activity refers to an unknown partnership`."""
    rows = [
        (_safe(row.rule), row.severity, f"{row.count:,}", row.title)
        for row in _rule_rows(report)
    ]
    if not rows:
        return []
    id_width = max(len(row[0]) for row in rows)
    count_width = max(len(row[2]) for row in rows)
    lines = []
    for rule, level, count, title in rows:
        head = f"  {rule:<{id_width}}  {level:<7}  {count:>{count_width}}  "
        if width is None or not title:
            lines.append((head + title).rstrip())
        else:
            lines.extend(
                textwrap.wrap(
                    title,
                    max(width, len(head) + 10),
                    initial_indent=head,
                    subsequent_indent=" " * len(head),
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
    return lines


# JSON ------------------------------------------------------------------------------


def render_json(report: Report) -> str:
    """The report as JSON (`--format json`), exactly `Report.to_json()`."""
    return report.to_json()


# GitHub Actions --------------------------------------------------------------------


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report) -> str:
    """GitHub Actions workflow commands, one annotation per finding (`--format github`).

    `::error file=…,line=…,col=…,title=RULE::message`; warnings become `::warning`,
    information `::notice`. A workbook cell or a JSON pointer without a line, which
    GitHub cannot point at, starts the message instead.

    GitHub shows only `GITHUB_ANNOTATIONS_SHOWN` annotations of each level per
    step, so the lines about the run come first: when some annotations will not
    show, a line with the counts; a `::notice` counting the findings below
    `--min-severity`; a `::warning` saying how many `--max-findings` left out.
    Either is an `::error` when the findings it counts fail the run.

    Returns:
        The commands, one per line, without a final newline (empty for no findings).
    """
    folded = _folded(report.findings, by_severity=False)
    lines = _github_preamble(report, folded)
    line_breaks = "\n\r"
    for item in folded:
        finding = item.finding
        location = finding.location
        properties: list[tuple[str, str]] = []
        if location.file is not None:
            properties.append(("file", location.file.replace("\\", "/")))
        message = _shortened(_with_hint(finding, labelled=True))
        if item.follows:
            message += f" {_follow_summary(item.follows)}"
        if location.sheet is not None:
            message = f"{_sheet_ref(location)}: {message}"
        elif location.line is not None:
            properties.append(("line", str(location.line)))
            column = _character_column(location)
            if column is not None:
                properties.append(("col", str(column)))
        elif location.pointer is not None:
            message = f"{location.pointer}: {message}"
        properties.append(("title", finding.rule))
        attributes = ",".join(
            f"{name}={_github_property(_safe(value, keep=line_breaks))}"
            for name, value in properties
        )
        text = _github_data(_safe(message, keep=line_breaks + "\t"))
        lines.append(f"::{_GITHUB_COMMANDS[finding.severity]} {attributes}::{text}")
    return "\n".join(lines)


def _github_preamble(report: Report, folded: Sequence[_Folded]) -> list[str]:
    """The lines about the run that come before the findings' annotations.

    First, so that GitHub, which shows only `GITHUB_ANNOTATIONS_SHOWN` of each
    level, never drops them: the counts, when some annotations will not show,
    and what the report left out, an `::error` when a finding left out fails the
    run (it decides the exit code).
    """
    summary = report.summary
    per_level = Counter(item.finding.severity for item in folded)
    lines = []
    if max(per_level.values(), default=0) > GITHUB_ANNOTATIONS_SHOWN:
        level = "notice" if report.ok else "error"
        text = (
            f"{_summary_line(report)}; GitHub shows at most "
            f"{GITHUB_ANNOTATIONS_SHOWN} annotations of each level per step: the "
            "step summary and the SARIF or JSON report list the others"
        )
        lines.append(f"::{level} title=clusterkit::{_github_data(_safe(text))}")
    if summary.below:
        level = "error" if _any_fail(report, _below_counts(report)) else "notice"
        lines.append(
            f"::{level} title=clusterkit::{_github_data(below_sentence(report))}"
        )
    if summary.truncated:
        level = (
            "error"
            if _any_fail(report, _hidden_counts(report, below=False))
            else "warning"
        )
        lines.append(
            f"::{level} title=clusterkit::{_github_data(truncation_sentence(summary))}"
        )
    return lines


def _character_column(location: Location) -> int | None:
    """The column as GitHub and SARIF count it, in characters; `None` if unknown.

    A CSV location's column is the position of its field in the header (the
    cells before it may have any length), so it is left out.
    """
    file = location.file or ""
    return None if file.lower().endswith(".csv") else location.column


def _shortened(message: str) -> str:
    """A message cut at `CI_MESSAGE_CHARS`, saying how many characters it left out."""
    if len(message) <= CI_MESSAGE_CHARS:
        return message
    left_out = len(message) - CI_MESSAGE_CHARS
    return f"{message[:CI_MESSAGE_CHARS]}… ({left_out:,} more characters)"


# GitHub step summary (Markdown) ----------------------------------------------------


def render_step_summary(report: Report) -> str:
    """The report as Markdown for `$GITHUB_STEP_SUMMARY`.

    A heading with ✅ or ❌, the counts by severity, the counts by rule and the
    first `STEP_SUMMARY_FINDINGS` findings; what is left out is stated.

    Returns:
        Markdown text (UTF-8 when written), without a final newline.
    """
    summary = report.summary
    mark, verdict = ("✅", "valid") if report.ok else ("❌", "invalid")
    lines = [f"## {mark} clusterkit validate: {verdict}", ""]
    if not report.findings and not summary.total:
        lines += [markdown_text(_no_findings(report)) + ".", ""]
    lines += [markdown_text(_summary_line(report)), ""]
    lines.append(
        markdown_table(
            Table.of(
                ["Severity", "Findings"],
                [
                    [severity.value, f"{summary.count(severity):,}"]
                    for severity in _SEVERITIES
                ],
                align=["left", "right"],
            )
        )
    )
    rule_rows = _rule_rows(report)
    if rule_rows:
        rows = [
            [row.rule, row.severity, f"{row.count:,}", row.title] for row in rule_rows
        ]
        lines += ["", "### By rule", ""]
        lines.append(
            markdown_table(
                Table.of(
                    ["Rule", "Severity", "Findings", "Title"],
                    rows,
                    align=["left", "left", "right", "left"],
                )
            )
        )
    folded = _folded(report.findings, by_severity=True)
    listed = folded[:STEP_SUMMARY_FINDINGS]
    if listed:
        lines += ["", "### Findings", ""]
        lines.append(
            markdown_table(
                Table.of(
                    ["Location", "Rule", "Severity", "Message"],
                    [
                        [
                            _where(item.finding.location),
                            item.finding.rule,
                            item.finding.severity.value,
                            _shortened(_with_hint(item.finding, labelled=True))
                            + (
                                f" {_follow_summary(item.follows)}"
                                if item.follows
                                else ""
                            ),
                        ]
                        for item in listed
                    ],
                    align=["left"] * 4,
                )
            )
        )
    notes = []
    if len(listed) < len(folded):
        notes.append(
            f"This table lists the first {len(listed):,} of the report's "
            f"{_plural(len(folded), 'finding')}, errors first; findings that "
            "follow from another are counted with it."
        )
    if summary.below:
        notes.append(
            f"The report leaves out findings below its severity: {below_sentence(report)}."
        )
    if summary.truncated:
        notes.append(f"The report is truncated: {truncation_sentence(summary)}.")
    if notes:
        lines += ["", *(f"> {note}" for note in notes)]
    return "\n".join(lines)


# JUnit XML -------------------------------------------------------------------------


def _xml(text: str) -> str:
    """Text that XML 1.0 can hold, newlines and tabs kept."""
    return _safe(text, keep="\n\t")


def _testcase(parent: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(parent, "testcase", classname=classname, name=name)


def render_junit(report: Report) -> str:
    """The report as JUnit XML (`--format junit`), for CI test report views.

    One testsuite, `clusterkit validate`, with one testcase per finding: class name
    the rule, name the location. A finding at or above `fail_on` is a `<failure>`;
    one below it passes and carries its details in `<system-out>`. When findings
    were left out by `--max-findings`, or below `--min-severity` fail the run, a
    testcase `findings not shown` says how many and fails if any of them would
    have; otherwise a report with no findings has one passing testcase, `dataset
    valid`. `<system-err>` says what was left out, and why.

    Returns:
        The XML document with its UTF-8 declaration, without a final newline.
    """
    suite = ET.Element("testsuite", name="clusterkit validate")
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("clusterkit_version", report.tool_version),
        ("reference_data", report.reference_data),
        ("as_of", report.as_of.isoformat()),
        ("fail_on", "never" if report.fail_on is None else report.fail_on.value),
        ("sources", ", ".join(report.sources)),
    ):
        ET.SubElement(properties, "property", name=name, value=_xml(value))

    tests = failures = 0
    seen: Counter[tuple[str, str]] = Counter()
    for item in _folded(report.findings, by_severity=False):
        finding = item.finding
        classname = _xml(finding.rule)
        name = _xml(_where(finding.location))
        seen[classname, name] += 1
        if seen[classname, name] > 1:
            name += f" ({seen[classname, name]})"
        case = _testcase(suite, classname, name)
        tests += 1
        details = _details(finding, item.follows)
        if _fails(report, finding.severity):
            failures += 1
            message = _with_hint(finding, labelled=True)
            if item.follows:
                message += f" {_follow_summary(item.follows)}"
            failure = ET.SubElement(
                case, "failure", type=classname, message=_xml(message)
            )
            failure.text = _xml(details)
        else:
            ET.SubElement(case, "system-out").text = _xml(details)

    summary = report.summary
    left_out = [
        *([below_sentence(report)] if summary.below else []),
        *([truncation_sentence(summary)] if summary.truncated else []),
    ]
    # A finding below --min-severity still decides the exit code: when one
    # fails the run, a testcase must fail too.
    hidden_failing = _hidden_fail(report)
    if summary.truncated or hidden_failing:
        case = _testcase(suite, "clusterkit", "findings not shown")
        tests += 1
        hidden = _severity_counts(_hidden_counts(report, below=False))
        text = "\n".join(
            [*left_out, *([f"not shown: {hidden}"] if summary.truncated else [])]
        )
        if hidden_failing:
            failures += 1
            failure = ET.SubElement(
                case, "failure", type="clusterkit", message="; ".join(left_out)
            )
            failure.text = text
        else:
            ET.SubElement(case, "system-out").text = text
    elif not report.findings:
        _testcase(suite, "clusterkit", "dataset valid")
        tests += 1
    if left_out:
        ET.SubElement(suite, "system-err").text = "\n".join(left_out)

    counts = {
        "tests": str(tests),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
    }
    suite.attrib.update(counts)
    root = ET.Element("testsuites", {"name": "clusterkit", **counts})
    root.append(suite)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}'


def _hidden_counts(report: Report, *, below: bool = True) -> Mapping[Severity, int]:
    """How many findings of each severity the report leaves out.

    Those `--max-findings` left out and, with `below`, those below
    `--min-severity`: both still count towards the verdict.
    """
    summary = report.summary
    shown = Counter(finding.severity for finding in report.findings)
    return {
        severity: 0
        if not below and severity < summary.min_severity
        else max(summary.count(severity) - shown[severity], 0)
        for severity in _SEVERITIES
    }


def _below_counts(report: Report) -> Mapping[Severity, int]:
    """How many findings of each severity are below `--min-severity`."""
    summary = report.summary
    return {
        severity: summary.count(severity) if severity < summary.min_severity else 0
        for severity in _SEVERITIES
    }


def _any_fail(report: Report, counts: Mapping[Severity, int]) -> bool:
    """Whether these counts of findings include one that fails the run."""
    return any(counts[severity] for severity in _SEVERITIES if _fails(report, severity))


def _hidden_fail(report: Report) -> bool:
    """Whether a finding the report leaves out fails the run."""
    return _any_fail(report, _hidden_counts(report))


# SARIF -----------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _uri(file: str) -> str:
    """A file path as a URI reference: forward slashes, percent-encoded.

    A name that is not UTF-8 has its bytes (lone surrogates to Python, PEP 383)
    percent-encoded as they are on the disk.
    """
    path = file.replace("\\", "/")
    if re.match(r"[A-Za-z]:/", path):
        return "file:///" + _quoted(path, safe="/:")
    if path.startswith("/"):
        return "file://" + _quoted(path)
    return _quoted(path)


def _quoted(path: str, safe: str = "/") -> str:
    try:
        return urllib.parse.quote(path, safe=safe, errors="surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name holds: a stream's name=
        return urllib.parse.quote(path, safe=safe, errors="surrogatepass")


def _sarif_location(location: Location) -> dict[str, Any]:
    """A SARIF location: the file and the region of lines, or a message instead."""
    result: dict[str, Any] = {}
    if location.file is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(location.file)}}
        # A workbook is binary: its rows are not lines of the file.
        if location.line is not None and location.sheet is None:
            region = {"startLine": location.line}
            column = _character_column(location)
            if column is not None:
                region["startColumn"] = column
            physical["region"] = region
        result["physicalLocation"] = physical
    result["message"] = {"text": _where(location)}
    extra = {
        "sheet": location.sheet,
        "cell": location.cell,
        "pointer": location.pointer,
        "field": location.field,
        # A CSV field's position, which is no character column.
        "column": None if _character_column(location) else location.column,
    }
    extra = {key: value for key, value in extra.items() if value is not None}
    if extra:
        result["properties"] = extra
    return result


def _sarif_name(title: str) -> str:
    """`activity refers to an unknown SME` → `ActivityRefersToAnUnknownSME`."""
    words = re.findall(r"[A-Za-z0-9]+", title.replace("'", ""))
    return "".join(word[0].upper() + word[1:] for word in words)


def _sarif_rule(rule: str) -> dict[str, Any]:
    entry = CATALOGUE.get(rule)
    if entry is None:
        return {"id": rule, "name": _sarif_name(rule)}
    explained = entry.explanation
    return {
        "id": rule,
        "name": _sarif_name(entry.title),
        "shortDescription": {"text": entry.title},
        "fullDescription": {"text": explained.meaning},
        "defaultConfiguration": {"level": _SARIF_LEVELS[entry.severity]},
        "helpUri": f"{DOCS_RULES_URL}#{rule.lower()}",
        "help": {
            "text": (
                f"{explained.meaning}\n\nExample:\n{explained.example}\n\n"
                f"How to fix: {explained.fix}"
            ),
            "markdown": (
                f"{explained.meaning}\n\n**Example**\n\n```text\n"
                f"{explained.example}\n```\n\n**How to fix.** {explained.fix}"
            ),
        },
        "properties": {"severity": entry.severity.value, "family": entry.family},
    }


def _sarif_result(item: _Folded, rule_index: Mapping[str, int]) -> dict[str, Any]:
    finding = item.finding
    entity = finding.entity
    message = _with_hint(finding, labelled=True)
    if item.follows:
        message += f" {_follow_summary(item.follows)}"
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index[finding.rule],
        "level": _SARIF_LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [_sarif_location(finding.location)],
    }
    related = list(finding.related)
    # The findings that follow from this one are places it touches, listed up to
    # a bound (the message counts them all).
    related += [follow.location for follow in item.follows[:RELATED_LIMIT]]
    if related:
        result["relatedLocations"] = [
            {"id": number, **_sarif_location(place)}
            for number, place in enumerate(related, start=1)
        ]
    return result | {
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "severity": finding.severity.value,
            "entity": None
            if entity is None
            else {"table": entity.table, "id": entity.id},
            "value": finding.value,
            "expected": finding.expected,
            "caused_by": finding.caused_by,
            "follows": len(item.follows),
        },
    }


def _sarif_kept(folded: Sequence[_Folded]) -> Sequence[_Folded]:
    """The first `SARIF_RESULTS_LIMIT` results, most severe first, in file order."""
    if len(folded) <= SARIF_RESULTS_LIMIT:
        return folded
    # A stable sort: the same severity stays in file order.
    by_severity = sorted(
        range(len(folded)), key=lambda index: -folded[index].finding.severity.rank
    )
    return [folded[index] for index in sorted(by_severity[:SARIF_RESULTS_LIMIT])]


def render_sarif(report: Report) -> str:
    """The report as SARIF 2.1.0 (`--format sarif`), e.g. for GitHub code scanning.

    One run; its rules are those with findings, each linked to its documentation.
    Results carry the stable fingerprint as `partialFingerprints["clusterkit/v1"]`.
    A run holds at most `SARIF_RESULTS_LIMIT` results (GitHub's limit), the most
    severe. What the run leaves out (findings below `--min-severity`, beyond
    `--max-findings` or beyond that limit) is said in tool execution notifications.

    Returns:
        The SARIF log as indented JSON, without a final newline.
    """
    rules = _rules_found(report)
    rule_index = {rule: index for index, rule in enumerate(rules)}
    driver: dict[str, Any] = {
        "name": "clusterkit",
        "informationUri": INFORMATION_URL,
        "rules": [_sarif_rule(rule) for rule in rules],
    }
    if report.tool_version:
        driver["version"] = report.tool_version
    folded = _folded(report.findings, by_severity=False)
    results = _sarif_kept(folded)
    notifications = []
    if report.summary.below:
        # A warning, not an error: SARIF reads an error notification as an
        # analysis that could not run in full, which some consumers refuse.
        fails = _any_fail(report, _below_counts(report))
        notifications.append(
            {
                "level": "warning" if fails else "note",
                "message": {"text": below_sentence(report)},
                "descriptor": {"id": "clusterkit/below-min-severity"},
            }
        )
    if report.summary.truncated:
        notifications.append(
            {
                "level": "warning",
                "message": {"text": truncation_sentence(report.summary)},
                "descriptor": {"id": "clusterkit/truncated"},
            }
        )
    if len(results) < len(folded):
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"showing {len(results):,} of {len(folded):,} results, "
                    "errors first: GitHub code scanning takes at most "
                    f"{SARIF_RESULTS_LIMIT:,} (the JSON report holds every finding)"
                },
                "descriptor": {"id": "clusterkit/results-limit"},
            }
        )
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": [_sarif_result(item, rule_index) for item in results],
                "properties": {
                    "as_of": report.as_of.isoformat(),
                    "reference_data": report.reference_data,
                    "valid": report.ok,
                    "fail_on": None if report.fail_on is None else report.fail_on.value,
                    "sources": list(report.sources),
                    "summary": report.summary.to_dict(),
                },
            }
        ],
    }
    text = surrogates_escaped(json.dumps(log, indent=2, ensure_ascii=False))
    # A lone surrogate (from an undecodable file name) cannot be written as UTF-8.
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "junit": render_junit,
    "sarif": render_sarif,
}
"""The renderer of each `--format` of `clusterkit validate`."""
