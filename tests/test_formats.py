"""The renderers of a validation report: text, JSON, GitHub, step summary, JUnit, SARIF."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

import attrs
import pytest

import clusterkit as ck
from clusterkit.report import Entity, Finding, Report, Severity, Summary, _formats
from clusterkit.report._formats import (
    FORMATS,
    render_github,
    render_json,
    render_junit,
    render_sarif,
    render_step_summary,
    render_text,
)
from clusterkit.values import Location

AS_OF = dt.date(2026, 1, 1)

CSV = Finding(
    "CK-FK-001",
    Severity.ERROR,
    "activity 'A1' refers to an unknown partnership 'P9'",
    Location("data/activities.csv", 3, 2, field="partnership"),
    hint="did you mean 'P1'?",
    entity=Entity("activities", "A1"),
    value="P9",
    expected="a partnership id",
    related=(Location("data/partnerships.csv", 2, field="id"),),
)
WORKBOOK = Finding(
    "CK-TYPE-002",
    Severity.WARNING,
    "date '14 March 2017' is not in ISO form",
    Location("data.xlsx", 12, 3, sheet="activities", cell="C12", field="start"),
)
POINTER = Finding(
    "CK-ENUM-001",
    Severity.ERROR,
    "funding 'Grant' is not one of grant, voluntary",
    Location("data.json", pointer="/partnerships/0/funding", field="funding"),
    hint="grant",
    entity=Entity("partnerships", None),
)
FILE = Finding(
    "CK-FILE-001",
    Severity.ERROR,
    "cannot read the file: it is not UTF-8 (perhaps cp1252)",
    Location("data/smes.csv"),
)
INFO = Finding(
    "CK-COUNTRY-003",
    Severity.INFO,
    "country 'Germany' is not written as its ISO code",
    Location("data/clusters.csv", 5, 3, field="country"),
    hint="write 'DE'",
)
FINDINGS = (CSV, WORKBOOK, POINTER, FILE, INFO)


def evolve(finding: Finding, **changes: Any) -> Finding:
    """A copy of `finding` with some fields changed and its fingerprint recomputed."""
    return attrs.evolve(finding, **changes, fingerprint="")


def summary_of(findings: tuple[Finding, ...], total: int | None = None) -> Summary:
    """The summary of `findings`, as if `total` were found (defaults to all)."""
    counts = Counter(finding.severity for finding in findings)
    by_rule = Counter(finding.rule for finding in findings)
    return Summary(
        error=counts[Severity.ERROR],
        warning=counts[Severity.WARNING],
        info=counts[Severity.INFO],
        by_rule=dict(sorted(by_rule.items())),
        shown=len(findings),
        total=len(findings) if total is None else total,
    )


def make_report(
    findings: tuple[Finding, ...] = FINDINGS,
    summary: Summary | None = None,
    **options: Any,
) -> Report:
    """A report as `clusterkit validate data/` would build it."""
    settings: dict[str, Any] = {
        "sources": ("data/",),
        "tool_version": "0.1.0",
        "reference_data": "2026.11.1",
    }
    settings.update(options)
    return Report(findings, summary or summary_of(findings), as_of=AS_OF, **settings)


def truncated_report() -> Report:
    """5,432 findings of which the report keeps two (one error, one warning)."""
    summary = Summary(
        error=5000,
        warning=400,
        info=32,
        by_rule={"CK-FK-001": 5000, "CK-TYPE-002": 400, "CK-COUNTRY-003": 32},
        shown=2,
        total=5432,
    )
    return make_report((CSV, WORKBOOK), summary)


def empty_report() -> Report:
    """A report with nothing found."""
    return make_report((), Summary())


SUMMARY_LINE = (
    "3 errors, 1 warning, 1 info in data/ — invalid (fail on error) · "
    "clusterkit 0.1.0 · reference data 2026.11.1 · as of 2026-01-01"
)
TRUNCATION = (
    "showing 2 of 5,432 findings; 5,430 more not shown "
    "(raise --max-findings to see them)"
)


# Text ------------------------------------------------------------------------------


def test_text_lists_each_finding_then_counts_then_summary() -> None:
    """One line per finding with its hint, the counts by rule, then the summary."""
    assert render_text(make_report()).splitlines() == [
        (
            "data/activities.csv:3:2: error CK-FK-001 partnership: activity 'A1' "
            "refers to an unknown partnership 'P9'"
        ),
        "    hint: did you mean 'P1'?",
        (
            "data.json#/partnerships/0/funding: error CK-ENUM-001 funding 'Grant' is "
            "not one of grant, voluntary"
        ),
        "    hint: grant",
        (
            "data/smes.csv: error CK-FILE-001 cannot read the file: it is not UTF-8 "
            "(perhaps cp1252)"
        ),
        (
            "data.xlsx:activities!C12: warning CK-TYPE-002 start: date '14 March 2017' "
            "is not in ISO form"
        ),
        (
            "data/clusters.csv:5:3: info CK-COUNTRY-003 country 'Germany' is not "
            "written as its ISO code"
        ),
        "    hint: write 'DE'",
        "",
        "  CK-FILE-001     error    1  unreadable file",
        "  CK-TYPE-002     warning  1  date in a non-ISO spelling",
        "  CK-ENUM-001     error    1  value outside its vocabulary",
        "  CK-COUNTRY-003  info     1  country in a non-canonical form",
        "  CK-FK-001       error    1  activity refers to an unknown partnership",
        "",
        SUMMARY_LINE,
    ]


def test_text_counts_use_every_finding_and_thousands_separators() -> None:
    """The rule counts and the summary count what was left out too, and say so."""
    assert render_text(truncated_report()).splitlines()[3:] == [
        "",
        "  CK-TYPE-002     warning    400  date in a non-ISO spelling",
        "  CK-COUNTRY-003  info        32  country in a non-canonical form",
        "  CK-FK-001       error    5,000  activity refers to an unknown partnership",
        "",
        (
            "5,000 errors, 400 warnings, 32 info in data/ — invalid (fail on error) · "
            "clusterkit 0.1.0 · reference data 2026.11.1 · as of 2026-01-01"
        ),
        TRUNCATION,
    ]


def test_text_of_an_empty_report() -> None:
    """No findings: one line saying so, then the summary."""
    assert render_text(empty_report()).splitlines() == [
        "no findings in data/",
        (
            "0 errors, 0 warnings, 0 info in data/ — valid (fail on error) · "
            "clusterkit 0.1.0 · reference data 2026.11.1 · as of 2026-01-01"
        ),
    ]


def test_text_summary_leaves_out_what_is_not_known() -> None:
    """Without sources, versions or fail-on, the summary says only what it knows."""
    report = make_report(
        (WORKBOOK,), sources=(), tool_version="", reference_data="", fail_on=None
    )
    assert render_text(report).splitlines()[-1] == (
        "0 errors, 1 warning, 0 info — valid (fail on never) · as of 2026-01-01"
    )
    bare = make_report((), Summary(), sources=(), tool_version="", reference_data="")
    assert render_text(bare).splitlines()[0] == "no findings"


def test_text_when_every_finding_was_left_out() -> None:
    """`--max-findings 0`: no finding lines, but the counts and the truncation."""
    summary = Summary(error=1, by_rule={"CK-FK-001": 1}, shown=0, total=1)
    assert render_text(make_report((), summary)).splitlines() == [
        "  CK-FK-001  error    1  activity refers to an unknown partnership",
        "",
        (
            "1 error, 0 warnings, 0 info in data/ — invalid (fail on error) · "
            "clusterkit 0.1.0 · reference data 2026.11.1 · as of 2026-01-01"
        ),
        "showing 0 of 1 finding; 1 more not shown (raise --max-findings to see it)",
    ]
    # A summary without counts by rule has no table to show.
    bare = Summary(error=1, shown=0, total=1)
    assert render_text(make_report((), bare)).splitlines()[0].startswith("1 error,")


def test_text_names_rules_outside_the_catalogue() -> None:
    """A rule id the catalogue does not know is listed after the others, untitled."""
    odd = Finding("CK-ZZZ-001", Severity.WARNING, "odd", Location("a.csv", 2))
    summary = Summary(
        error=1,
        warning=1,
        by_rule={"CK-FK-001": 1, "CK-ZZZ-001": 1, "CK-ZZZ-002": 3},
        shown=2,
        total=5,
    )
    lines = render_text(make_report((CSV, odd), summary)).splitlines()
    assert lines[4:7] == [
        "  CK-FK-001   error    1  activity refers to an unknown partnership",
        "  CK-ZZZ-001  warning  1",
        "  CK-ZZZ-002           3",
    ]


def test_text_wraps_to_a_width() -> None:
    """With a width, long lines wrap with indented continuation lines."""
    lines = render_text(make_report((CSV,)), max_width=50).splitlines()
    assert lines == [
        "data/activities.csv:3:2: error CK-FK-001",
        "    partnership: activity 'A1' refers to an",
        "    unknown partnership 'P9'",
        "    hint: did you mean 'P1'?",
        "",
        "  CK-FK-001  error    1  activity refers to an",
        "                         unknown partnership",
        "",
        "1 error, 0 warnings, 0 info in data/ — invalid",
        "  (fail on error) · clusterkit 0.1.0 · reference",
        "  data 2026.11.1 · as of 2026-01-01",
    ]
    assert all(len(line) <= 50 for line in lines)


def test_text_wraps_no_narrower_than_the_minimum() -> None:
    """A tiny width is raised to the minimum, and a hint wraps under its text."""
    long_hint = evolve(CSV, hint="did you mean 'P1', 'P2', 'P3' or 'P4'?")
    lines = render_text(make_report((long_hint,)), max_width=5).splitlines()
    assert all(len(line) <= _formats.MIN_WIDTH for line in lines)
    assert lines[3:5] == [
        "    hint: did you mean 'P1', 'P2', 'P3'",
        "          or 'P4'?",
    ]
    truncated = render_text(truncated_report(), max_width=60).splitlines()
    assert truncated[-2:] == [
        "showing 2 of 5,432 findings; 5,430 more not shown (raise",
        "  --max-findings to see them)",
    ]
    odd = Finding("CK-ZZZ-001", Severity.WARNING, "odd", Location("a.csv", 2))
    untitled = make_report((odd,))
    assert "  CK-ZZZ-001  warning  1" in render_text(untitled, max_width=60)


def test_text_neutralises_control_characters() -> None:
    """A newline, an escape or a bidi override in a value cannot break the line."""
    nasty = Finding(
        "CK-FILE-001",
        Severity.ERROR,
        "bad\nvalue \x1b[31mred\t\u202eevil \x85 \udcff",
        Location("da\rta/smes.csv"),
        hint="try\r\nagain",
    )
    lines = render_text(make_report((nasty,))).splitlines()
    assert lines[:2] == [
        (
            "da\\rta/smes.csv: error CK-FILE-001 bad\\nvalue \\x1b[31mred\\t\\u202eevil "
            "\\x85 \\udcff"
        ),
        "    hint: try\\r\\nagain",
    ]


def test_text_locations() -> None:
    """Each kind of location renders the way an editor or a spreadsheet names it."""
    where = _formats._where
    assert where(Location()) == "<input>"
    assert where(Location("a.csv", 4)) == "a.csv:4"
    assert where(Location("a.csv", 4, 2)) == "a.csv:4:2"
    assert where(Location("a.csv", column=2)) == "a.csv"
    assert where(Location("d.json", 7, 3, pointer="/x/0")) == "d.json:7:3"
    assert where(Location("d.json", pointer="/x/0")) == "d.json#/x/0"
    assert where(Location("b.xlsx", 9, 3, sheet="smes", cell="C9")) == "b.xlsx:smes!C9"
    assert where(Location("b.xlsx", 9, sheet="smes")) == "b.xlsx:smes!9:9"
    assert where(Location("b.xlsx", sheet="smes")) == "b.xlsx:smes"
    assert (
        where(Location("b.xlsx", sheet="My smes", cell="A1")) == "b.xlsx:'My smes'!A1"
    )
    assert where(Location("b.xlsx", sheet="Bob's", cell="A1")) == "b.xlsx:'Bob''s'!A1"


def test_hint_joins_the_message_as_a_sentence() -> None:
    """`message. Hint: …`, without doubling a final full stop."""
    assert _formats._with_hint(CSV) == (
        "activity 'A1' refers to an unknown partnership 'P9'. Hint: did you mean 'P1'?"
    )
    ended = evolve(CSV, message="No partnership P9.")
    assert _formats._with_hint(ended) == "No partnership P9. Hint: did you mean 'P1'?"
    assert _formats._with_hint(FILE) == FILE.message


# JSON ------------------------------------------------------------------------------


def test_json_is_the_report_as_json() -> None:
    """`--format json` is exactly `Report.to_json()`."""
    report = truncated_report()
    assert render_json(report) == report.to_json()
    assert json.loads(render_json(report))["summary"]["truncated"] is True


# GitHub ----------------------------------------------------------------------------


def test_github_commands() -> None:
    """One workflow command per finding, with what GitHub can point at."""
    assert render_github(make_report()).splitlines() == [
        (
            "::error file=data/activities.csv,line=3,title=CK-FK-001::"
            "partnership: activity 'A1' refers to an unknown partnership 'P9'. Hint: "
            "did you mean 'P1'?"
        ),
        (
            "::warning file=data.xlsx,title=CK-TYPE-002::activities!C12: start: date "
            "'14 March 2017' is not in ISO form"
        ),
        (
            "::error file=data.json,title=CK-ENUM-001::/partnerships/0/funding: funding "
            "'Grant' is not one of grant, voluntary. Hint: grant"
        ),
        (
            "::error file=data/smes.csv,title=CK-FILE-001::cannot read the file: it is "
            "not UTF-8 (perhaps cp1252)"
        ),
        (
            "::notice file=data/clusters.csv,line=5,title=CK-COUNTRY-003::country "
            "'Germany' is not written as its ISO code. Hint: write 'DE'"
        ),
    ]


def test_github_escapes_data_and_properties() -> None:
    """`%`, CR and LF are escaped everywhere; `:` and `,` in properties too."""
    finding = Finding(
        "CK-TYPE-001",
        Severity.ERROR,
        "100% wrong:\r\nsee, here\tand \x1b",
        Location("C:\\data,v2\\a%b.csv", 4),
    )
    assert render_github(make_report((finding,))) == (
        "::error file=C%3A/data%2Cv2/a%25b.csv,line=4,title=CK-TYPE-001::"
        "100%25 wrong:%0D%0Asee, here\tand \\x1b"
    )
    nameless = Finding("CK-FILE-001", Severity.WARNING, "odd", Location())
    assert render_github(make_report((nameless,))) == "::warning title=CK-FILE-001::odd"
    newline_file = Finding("CK-FILE-001", Severity.ERROR, "x", Location("a\nb.csv"))
    assert render_github(make_report((newline_file,))) == (
        "::error file=a%0Ab.csv,title=CK-FILE-001::x"
    )


def test_github_states_truncation_first_and_is_empty_without_findings() -> None:
    """A first line says how many findings were left out; no findings, no commands.

    It is an error when errors were left out (they fail the run), a warning
    when only findings that pass were.
    """
    lines = render_github(truncated_report()).splitlines()
    assert len(lines) == 3
    assert lines[0] == f"::error title=clusterkit::{TRUNCATION}"
    passing = make_report((CSV, WORKBOOK), truncated_report().summary, fail_on=None)
    assert render_github(passing).splitlines()[0] == (
        f"::warning title=clusterkit::{TRUNCATION}"
    )
    assert render_github(empty_report()) == ""


# Step summary ----------------------------------------------------------------------


def test_step_summary() -> None:
    """A verdict heading, the counts by severity and by rule, and the findings."""
    text = render_step_summary(make_report())
    lines = text.splitlines()
    assert lines[0] == "## ❌ clusterkit validate: invalid"
    assert lines[2] == SUMMARY_LINE
    assert lines[4:9] == [
        "| Severity | Findings |",
        "| --- | ---: |",
        "| error | 3 |",
        "| warning | 1 |",
        "| info | 1 |",
    ]
    assert (
        "| CK-FK-001 | error | 1 | activity refers to an unknown partnership |" in lines
    )
    assert (
        "| data/activities.csv:3:2 | CK-FK-001 | error | partnership: activity 'A1' "
        "refers to an unknown partnership 'P9'. Hint: did you mean 'P1'? |"
    ) in lines
    assert "| data.xlsx:activities!C12 | CK-TYPE-002 | warning |" in text
    assert ">" not in text  # nothing was left out


def test_step_summary_of_an_empty_report() -> None:
    """A passing run shows a tick, says there are no findings and lists no tables."""
    lines = render_step_summary(empty_report()).splitlines()
    assert lines[:3] == [
        "## ✅ clusterkit validate: valid",
        "",
        "no findings in data/.",
    ]
    assert "### By rule" not in lines
    assert "### Findings" not in lines


def test_step_summary_lists_fifty_findings_and_states_the_rest() -> None:
    """At most 50 findings are listed; both kinds of leaving out are stated."""
    many = tuple(
        evolve(CSV, location=Location("data/activities.csv", line))
        for line in range(2, 62)
    )
    summary = summary_of(many, total=100)
    lines = render_step_summary(make_report(many, summary)).splitlines()
    rows = [line for line in lines if line.startswith("| data/activities.csv:")]
    assert len(rows) == 50
    assert lines[-2:] == [
        (
            "> This table lists the first 50 of the report's 60 findings, errors "
            "first; findings that follow from another are counted with it."
        ),
        (
            "> The report is truncated: showing 60 of 100 findings; 40 more not shown "
            "(raise --max-findings to see them)."
        ),
    ]


def test_step_summary_escapes_markdown() -> None:
    """Values cannot open tables, links, HTML, code or maths in the summary."""
    nasty = Finding(
        "CK-ZZZ-001",
        Severity.WARNING,
        "a | b <script> [x](y) `c` *d* _e_ $f$ & g\nh",
        Location("data/a_b.csv", 2),
    )
    summary = Summary(warning=1, by_rule={"CK-ZZZ-001": 1, "CK-ZZZ-002": 1}, shown=1)
    text = render_step_summary(make_report((nasty,), summary))
    assert (
        "| data/a\\_b.csv:2 | CK-ZZZ-001 | warning | a \\| b \\<script\\> \\[x\\](y) "
        "\\`c\\` \\*d\\* \\_e\\_ \\$f\\$ &amp; g<br>h |"
    ) in text
    assert "| CK-ZZZ-001 | warning | 1 |  |" in text
    assert "| CK-ZZZ-002 |  | 1 |  |" in text


# JUnit -----------------------------------------------------------------------------


def parse_junit(text: str) -> ET.Element:
    """Parse a JUnit document and check its counts agree with its testcases."""
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(text)  # noqa: S314 - parses our own output in a test
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "clusterkit validate"
    cases = suite.findall("testcase")
    failures = [case for case in cases if case.find("failure") is not None]
    for element in (root, suite):
        assert element.get("tests") == str(len(cases))
        assert element.get("failures") == str(len(failures))
        assert element.get("errors") == "0"
        assert element.get("skipped") == "0"
    return suite


def test_junit_has_a_testcase_per_finding() -> None:
    """Errors fail; a warning or information below `fail_on` passes with its details."""
    suite = parse_junit(render_junit(make_report()))
    properties = {
        prop.get("name"): prop.get("value") for prop in suite.iter("property")
    }
    assert properties == {
        "clusterkit_version": "0.1.0",
        "reference_data": "2026.11.1",
        "as_of": "2026-01-01",
        "fail_on": "error",
        "sources": "data/",
    }
    cases = suite.findall("testcase")
    assert [(case.get("classname"), case.get("name")) for case in cases] == [
        ("CK-FK-001", "data/activities.csv:3:2"),
        ("CK-TYPE-002", "data.xlsx:activities!C12"),
        ("CK-ENUM-001", "data.json#/partnerships/0/funding"),
        ("CK-FILE-001", "data/smes.csv"),
        ("CK-COUNTRY-003", "data/clusters.csv:5:3"),
    ]
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("type") == "CK-FK-001"
    assert failure.get("message") == _formats._with_hint(CSV, labelled=True)
    assert failure.text == (
        "error CK-FK-001 at data/activities.csv:3:2 (partnership)\n"
        "activity 'A1' refers to an unknown partnership 'P9'\n"
        "hint: did you mean 'P1'?\n"
        "entity: activities A1\n"
        "value: P9\n"
        "expected: a partnership id\n"
        "related: data/partnerships.csv:2\n"
        f"fingerprint: {CSV.fingerprint}"
    )
    assert cases[1].find("failure") is None
    assert (
        cases[1]
        .findtext("system-out", "")
        .startswith("warning CK-TYPE-002 at data.xlsx:activities!C12 (start)\n")
    )
    pointer_failure = cases[2].find("failure")
    assert pointer_failure is not None
    assert "entity: partnerships\n" in (pointer_failure.text or "")
    assert suite.find("system-err") is None


def test_junit_follows_fail_on() -> None:
    """With `--fail-on warning` warnings fail; with `never` nothing does."""
    suite = parse_junit(render_junit(make_report(fail_on=Severity.WARNING)))
    assert suite.get("failures") == "4"
    suite = parse_junit(render_junit(make_report(fail_on=None)))
    assert suite.get("failures") == "0"
    assert suite.get("tests") == "5"


def test_junit_names_are_unique() -> None:
    """Two findings of one rule at one place get distinct testcase names."""
    twice = (CSV, evolve(CSV, value="P8"), evolve(CSV, value="P7"))
    suite = parse_junit(render_junit(make_report(twice)))
    assert [case.get("name") for case in suite.findall("testcase")] == [
        "data/activities.csv:3:2",
        "data/activities.csv:3:2 (2)",
        "data/activities.csv:3:2 (3)",
    ]


def test_junit_of_an_empty_report() -> None:
    """No findings: one passing testcase, `dataset valid`."""
    suite = parse_junit(render_junit(empty_report()))
    (case,) = suite.findall("testcase")
    assert (case.get("classname"), case.get("name")) == ("clusterkit", "dataset valid")
    assert len(case) == 0


def test_junit_states_truncation_and_fails_for_hidden_errors() -> None:
    """Findings left out are stated, and fail the suite if any of them would."""
    suite = parse_junit(render_junit(truncated_report()))
    assert suite.findtext("system-err") == TRUNCATION
    hidden = suite.findall("testcase")[-1]
    assert hidden.get("name") == "findings not shown"
    failure = hidden.find("failure")
    assert failure is not None
    assert failure.get("message") == TRUNCATION
    assert failure.text == (
        f"{TRUNCATION}\nnot shown: 4,999 errors, 399 warnings, 32 info"
    )
    # Only information left out, below fail-on: stated, but it passes.
    summary = Summary(error=1, info=3, by_rule={}, shown=1, total=4)
    suite = parse_junit(render_junit(make_report((CSV,), summary)))
    hidden = suite.findall("testcase")[-1]
    assert hidden.find("failure") is None
    assert hidden.findtext("system-out", "").endswith(
        "not shown: 0 errors, 0 warnings, 3 info"
    )
    # Everything left out: no `dataset valid`, the hidden error fails.
    summary = Summary(error=1, by_rule={"CK-FK-001": 1}, shown=0, total=1)
    suite = parse_junit(render_junit(make_report((), summary)))
    assert [case.get("name") for case in suite.findall("testcase")] == [
        "findings not shown"
    ]
    assert suite.get("failures") == "1"


def test_junit_holds_only_characters_xml_allows() -> None:
    """Control characters in values are escaped, so the document stays well-formed."""
    nasty = Finding(
        "CK-FILE-001", Severity.ERROR, "bad \x00\x1b\ufffe\udcff\nline", Location("a")
    )
    suite = parse_junit(render_junit(make_report((nasty,))))
    failure = suite.find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == "bad \\x00\\x1b\\ufffe\\udcff\nline"


# SARIF -----------------------------------------------------------------------------


def parse_sarif(text: str) -> dict[str, Any]:
    """Parse a SARIF log and check the structure every log must have."""
    log: dict[str, Any] = json.loads(text)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert isinstance(run, dict)
    driver = run["tool"]["driver"]
    assert driver["name"] == "clusterkit"
    assert driver["informationUri"] == "https://clusterkit.readthedocs.io/"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert len(set(rule_ids)) == len(rule_ids)
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in {"error", "warning", "note"}
        assert result["message"]["text"]
        assert set(result["partialFingerprints"]) == {"clusterkit/v1"}
        for location in result["locations"] + result.get("relatedLocations", []):
            region = location.get("physicalLocation", {}).get("region", {})
            assert all(value >= 1 for value in region.values())
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    return run


def test_sarif_run() -> None:
    """The tool, its rules with findings, and the run's properties."""
    run = parse_sarif(render_sarif(make_report()))
    driver = run["tool"]["driver"]
    assert driver["version"] == "0.1.0"
    assert [rule["id"] for rule in driver["rules"]] == [
        "CK-FILE-001",
        "CK-TYPE-002",
        "CK-ENUM-001",
        "CK-COUNTRY-003",
        "CK-FK-001",
    ]
    explained = ck.rules.CATALOGUE["CK-FK-001"].explanation
    assert driver["rules"][4] == {
        "id": "CK-FK-001",
        "name": "ActivityRefersToAnUnknownPartnership",
        "shortDescription": {"text": "activity refers to an unknown partnership"},
        "fullDescription": {"text": explained.meaning},
        "defaultConfiguration": {"level": "error"},
        "helpUri": "https://clusterkit.readthedocs.io/en/latest/reference/rules/#ck-fk-001",
        "help": {
            "text": f"{explained.meaning}\n\nExample:\n{explained.example}\n\n"
            f"How to fix: {explained.fix}",
            "markdown": f"{explained.meaning}\n\n**Example**\n\n```text\n"
            f"{explained.example}\n```\n\n**How to fix.** {explained.fix}",
        },
        "properties": {"severity": "error", "family": "CK-FK"},
    }
    assert driver["rules"][3]["defaultConfiguration"] == {"level": "note"}
    assert run["columnKind"] == "unicodeCodePoints"
    assert "toolExecutionNotifications" not in run["invocations"][0]
    assert run["properties"] == {
        "as_of": "2026-01-01",
        "reference_data": "2026.11.1",
        "valid": False,
        "fail_on": "error",
        "sources": ["data/"],
        "summary": make_report().summary.to_dict(),
    }


@pytest.mark.parametrize("rule", sorted(ck.rules.CATALOGUE))
def test_sarif_rule_help(rule: str) -> None:
    """Every rule of the catalogue has its full help in SARIF, for code scanning."""
    entry = _formats._sarif_rule(rule)
    assert entry["shortDescription"]["text"]
    assert entry["fullDescription"]["text"]
    assert entry["help"]["text"]
    markdown = entry["help"]["markdown"]
    assert "**Example**" in markdown
    assert "**How to fix.**" in markdown
    assert all(part.strip() for part in markdown.split("**How to fix.**"))
    assert entry["helpUri"].endswith(f"#{rule.lower()}")


def test_sarif_results() -> None:
    """Each finding is a result with its place, fingerprint and details."""
    run = parse_sarif(render_sarif(make_report()))
    csv, workbook, pointer, file, info = run["results"]
    assert csv == {
        "ruleId": "CK-FK-001",
        "ruleIndex": 4,
        "level": "error",
        "message": {"text": _formats._with_hint(CSV, labelled=True)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "data/activities.csv"},
                    # A CSV column is the field's position, no character.
                    "region": {"startLine": 3},
                },
                "message": {"text": "data/activities.csv:3:2"},
                "properties": {"field": "partnership", "column": 2},
            }
        ],
        "relatedLocations": [
            {
                "id": 1,
                "physicalLocation": {
                    "artifactLocation": {"uri": "data/partnerships.csv"},
                    "region": {"startLine": 2},
                },
                "message": {"text": "data/partnerships.csv:2"},
                "properties": {"field": "id"},
            }
        ],
        "partialFingerprints": {"clusterkit/v1": CSV.fingerprint},
        "properties": {
            "severity": "error",
            "entity": {"table": "activities", "id": "A1"},
            "value": "P9",
            "expected": "a partnership id",
            "caused_by": None,
            "follows": 0,
        },
    }
    assert workbook["locations"] == [
        {
            "physicalLocation": {"artifactLocation": {"uri": "data.xlsx"}},
            "message": {"text": "data.xlsx:activities!C12"},
            "properties": {"sheet": "activities", "cell": "C12", "field": "start"},
        }
    ]
    assert "relatedLocations" not in workbook
    assert pointer["locations"][0]["properties"] == {
        "pointer": "/partnerships/0/funding",
        "field": "funding",
    }
    assert file["locations"] == [
        {
            "physicalLocation": {"artifactLocation": {"uri": "data/smes.csv"}},
            "message": {"text": "data/smes.csv"},
        }
    ]
    assert info["level"] == "note"
    assert info["properties"]["entity"] is None


def test_sarif_uris() -> None:
    """Paths become URI references with forward slashes, percent-encoded."""
    uri = _formats._uri
    assert uri("data/activities.csv") == "data/activities.csv"
    assert uri("my data\\a#1.csv") == "my%20data/a%231.csv"
    assert uri("/srv/data/ä.csv") == "file:///srv/data/%C3%A4.csv"
    assert uri("C:\\data\\a.csv") == "file:///C:/data/a.csv"


def test_sarif_states_truncation_and_handles_odd_input() -> None:
    """Truncation is a tool notification; odd rules and names still give valid JSON."""
    run = parse_sarif(render_sarif(truncated_report()))
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"] == TRUNCATION
    assert note["level"] == "warning"
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == [
        "CK-TYPE-002",
        "CK-COUNTRY-003",
        "CK-FK-001",
    ]
    odd = Finding("CK-ZZZ-001", Severity.WARNING, "odd \udcff", Location())
    text = render_sarif(make_report((odd,), tool_version=""))
    text.encode("utf-8")  # no lone surrogate is left to fail the write
    run = parse_sarif(text)
    assert "version" not in run["tool"]["driver"]
    assert run["tool"]["driver"]["rules"] == [{"id": "CK-ZZZ-001", "name": "CKZZZ001"}]
    assert run["results"][0]["locations"] == [{"message": {"text": "<input>"}}]
    assert run["results"][0]["message"]["text"] == "odd \udcff"


# All formats -----------------------------------------------------------------------


def test_formats_table() -> None:
    """Every `--format` has its renderer, each stating truncation."""
    assert set(FORMATS) == {"text", "json", "github", "junit", "sarif"}
    report = truncated_report()
    for name, render in FORMATS.items():
        text = render(report)
        assert not text.endswith("\n"), name
        assert "5,430 more not shown" in text or '"truncated": true' in text, name
    assert "5,430 more not shown" in render_step_summary(report)


@pytest.mark.parametrize("render", [*FORMATS.values(), render_step_summary])
def test_renderers_are_deterministic(render: Any) -> None:
    """Rendering twice gives the same text."""
    assert render(make_report()) == render(make_report())


# Root causes and severity --------------------------------------------------------


ROOT = Finding(
    "CK-TYPE-001",
    Severity.ERROR,
    "a value is required here, but the cell is empty",
    Location("data/clusters.csv", 6, 1, field="id"),
    hint="records elsewhere refer to cluster ids that are in no row of clusters",
    entity=Entity("clusters", None),
)


def follower(line: int, file: str = "data/activities.csv", **changes: Any) -> Finding:
    """A reference to the cluster whose id did not read, following from `ROOT`."""
    settings: dict[str, Any] = {
        "location": Location(file, line, 10, field="clusters"),
        "entity": Entity("activities", f"A{line}"),
        "value": "DE-001",
        "caused_by": ROOT.fingerprint,
    }
    settings.update(changes)
    return Finding(
        "CK-FK-007",
        Severity.ERROR,
        "cluster 'DE-001' does not exist in clusters",
        **settings,
    )


CASCADE = (
    *(follower(line) for line in range(2, 15)),
    follower(4, "data/partnerships.csv", entity=Entity("partnerships", "P1")),
    ROOT,
)


def test_text_folds_what_follows_under_its_root() -> None:
    """The root is shown once, with its followers grouped and their places listed."""
    lines = render_text(make_report(CASCADE)).splitlines()
    assert lines[:5] == [
        (
            "data/clusters.csv:6:1: error CK-TYPE-001 id: a value is required here, "
            "but the cell is empty"
        ),
        f"    hint: {ROOT.hint}",
        "    and 14 findings that follow from it:",
        (
            "      CK-FK-007 14 times: cluster 'DE-001' does not exist in clusters, at "
            "data/activities.csv lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 and 3 more; "
            "data/partnerships.csv line 4"
        ),
        "",
    ]


def test_text_shows_errors_then_warnings_then_information() -> None:
    """Severity groups come in order; the order within a group is kept."""
    report = make_report((INFO, WORKBOOK, CSV, FILE))
    heads = [
        line.split(": ", 1)[1].split(" ")[:2]
        for line in render_text(report).splitlines()
        if line.startswith("data")
    ]
    assert heads == [
        ["error", "CK-FK-001"],
        ["error", "CK-FILE-001"],
        ["warning", "CK-TYPE-002"],
        ["info", "CK-COUNTRY-003"],
    ]


def test_a_follower_whose_root_is_not_shown_stands_alone() -> None:
    """Left out by max_findings or min_severity, the root cannot fold anything."""
    alone = follower(2)
    lines = render_text(make_report((alone,))).splitlines()
    assert lines[0] == (
        "data/activities.csv:2:10: error CK-FK-007 cluster 'DE-001' does not exist "
        "in clusters"
    )
    assert "follow" not in render_text(make_report((alone,)))


def test_a_chain_folds_under_its_first_root_and_a_loop_stops() -> None:
    """A follower of a follower is folded under the first root; a loop ends."""
    middle = follower(2)
    last = follower(3, caused_by=middle.fingerprint)
    folded = _formats._folded([ROOT, middle, last], by_severity=False)
    assert [(item.finding, item.follows) for item in folded] == [(ROOT, (middle, last))]
    one = attrs.evolve(follower(2), fingerprint="a", caused_by="b")
    two = attrs.evolve(follower(3), fingerprint="b", caused_by="a")
    looped = _formats._folded([one, two], by_severity=False)
    assert [(item.finding, item.follows) for item in looped] == [(one, ()), (two, ())]


def test_places_of_workbooks_pointers_and_placeless_findings() -> None:
    """Cells and pointers are listed as they are; a finding without a place is not."""
    cells = [
        follower(2, location=Location("d.xlsx", 2, 3, sheet="activities", cell="C2")),
        follower(3, location=Location("d.json", pointer="/activities/1/clusters")),
        follower(4, location=Location("d.csv")),
    ]
    assert _formats._places(cells) == (
        "d.xlsx at activities!C2; d.json at /activities/1/clusters"
    )
    assert _formats._follow_groups([follower(4, location=Location())]) == [
        "CK-FK-007 once: cluster 'DE-001' does not exist in clusters"
    ]


def test_github_step_summary_junit_and_sarif_fold_too() -> None:
    """Machine formats show the root with a count; JSON keeps every finding."""
    report = make_report(CASCADE)
    github = render_github(report).splitlines()
    assert len(github) == 1
    assert github[0].endswith(
        "(and 14 findings that follow from it: CK-FK-007 13 times in "
        "data/activities.csv, CK-FK-007 once in data/partnerships.csv)"
    )
    summary = render_step_summary(report)
    assert summary.count("| data/") == 1
    assert "and 14 findings that follow from it" in summary
    suite = parse_junit(render_junit(report))
    (case,) = suite.findall("testcase")
    failure = case.find("failure")
    assert failure is not None
    assert failure.text is not None
    assert "and 14 findings that follow from it:" in failure.text
    assert "  data/partnerships.csv:4:10: CK-FK-007 cluster 'DE-001'" in failure.text
    (result,) = parse_sarif(render_sarif(report))["results"]
    assert result["properties"]["follows"] == 14
    assert len(result["relatedLocations"]) == 14
    assert len(json.loads(render_json(report))["findings"]) == 15


def test_junit_details_name_the_cause() -> None:
    """A follower shown alone says which finding it follows from."""
    suite = parse_junit(render_junit(make_report((follower(2),))))
    failure = suite.findall("testcase")[0].find("failure")
    assert failure is not None
    assert failure.text is not None
    assert failure.text.endswith(f"caused by: {ROOT.fingerprint}")


def test_sarif_lists_at_most_a_hundred_followers_as_related() -> None:
    """Related locations are bounded; the count in the properties is not."""
    many = (*(follower(line) for line in range(2, 152)), ROOT)
    (result,) = parse_sarif(render_sarif(make_report(many)))["results"]
    assert len(result["relatedLocations"]) == _formats.RELATED_LIMIT
    assert result["properties"]["follows"] == 150


def test_text_states_what_min_severity_left_out() -> None:
    """The counts cover every finding; a last line says what was not shown."""
    summary = attrs.evolve(
        summary_of((CSV, FILE)),
        warning=3,
        info=2,
        total=7,
        min_severity=Severity.ERROR,
    )
    report = make_report((CSV, FILE), summary)
    assert not summary.truncated
    assert summary.below == 5
    assert render_text(report).splitlines()[-1] == (
        "not shown: 3 warnings, 2 info (below --min-severity error)"
    )
    warnings_up = attrs.evolve(
        summary, warning=0, total=4, min_severity=Severity.WARNING
    )
    assert render_text(make_report((CSV, FILE), warnings_up)).splitlines()[-1] == (
        "not shown: 2 info (below --min-severity warning)"
    )


def test_the_field_is_named_unless_the_message_names_it() -> None:
    """`field: message`, except when the message starts with the field's name."""
    assert (
        _formats._labelled(WORKBOOK) == "start: date '14 March 2017' is not in ISO form"
    )
    assert _formats._labelled(POINTER) == POINTER.message
    assert _formats._labelled(FILE) == FILE.message
    quoted = evolve(
        FILE,
        message="required column 'id' is missing",
        location=Location("a.csv", 1, field="id"),
    )
    assert _formats._labelled(quoted) == quoted.message
