"""The rule catalogue, checked on data: each `tests/data/invalid/<RULE>` case.

Every case folder is the valid base dataset (`tests/data/valid/base`) with one small
edit; its `expected.json` lists every finding the validator must give, as rule,
file, line and field. A case yields exactly those findings: the rule it is named
after, at the right place, and nothing unexpected.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

import clusterkit as ck
from clusterkit.rules import CATALOGUE

DATA = Path(__file__).parent / "data"
CASES = sorted(path for path in (DATA / "invalid").iterdir() if path.is_dir())
AS_OF = dt.date(2026, 1, 1)


def found(
    report: ck.Report, folder: Path
) -> list[tuple[str, str | None, int | None, str | None]]:
    """Each finding as (rule, file path in `folder`, line, field), sorted."""
    return sorted(
        (
            f.rule,
            _in(folder, f.location.file),
            f.location.line,
            f.location.field,
        )
        for f in report.findings
    )


def _in(folder: Path, file: str | None) -> str | None:
    """A file's path in `folder` (`archive/clusters.csv`), as `expected.json` gives it."""
    return None if file is None else Path(file).relative_to(folder).as_posix()


def expected_of(case: Path) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """The options and the expected findings of a case."""
    data = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    rows = sorted(
        (item["rule"], item["file"], item["line"], item["field"])
        for item in data["findings"]
    )
    return data.get("options", {}), rows


CASCADES = [
    case
    for case in CASES
    if any(
        "follows" in item
        for item in json.loads((case / "expected.json").read_text(encoding="utf-8"))[
            "findings"
        ]
    )
]


def _place(
    finding: ck.Finding, folder: Path
) -> tuple[str, str | None, int | None, str | None]:
    where = finding.location
    return (finding.rule, _in(folder, where.file), where.line, where.field)


@pytest.mark.parametrize("case", CASCADES, ids=lambda case: case.name)
def test_cascade_links_each_finding_to_its_root(case: Path) -> None:
    """Findings that follow carry their root's fingerprint and no hint; roots none."""
    items = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    expected = items["findings"]
    report = ck.validate(case, as_of=AS_OF)
    by_place = {_place(finding, case): finding for finding in report.findings}
    for item in expected:
        finding = by_place[item["rule"], item["file"], item["line"], item["field"]]
        if "follows" in item:
            root = expected[item["follows"]]
            cause = by_place[root["rule"], root["file"], root["line"], root["field"]]
            assert finding.caused_by == cause.fingerprint
            assert finding.hint is None
        else:
            assert finding.caused_by is None


@pytest.mark.parametrize("case", CASCADES, ids=lambda case: case.name)
def test_cascade_root_is_the_first_error_shown_and_the_rest_folded(
    case: Path,
) -> None:
    """The text output starts with the root; what follows is folded, never its own line."""
    items = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    follows = [item for item in items["findings"] if "follows" in item]
    text = ck.validate(case, as_of=AS_OF).render("text")
    first = text.splitlines()[0]
    root = items["findings"][follows[0]["follows"]]
    assert f"{root['file']}:{root['line']}:" in first
    assert f" error {root['rule']} " in first
    assert f"    and {len(follows)} findings that follow from it:" in text
    finding_lines = [line for line in text.splitlines() if ": error CK-" in line]
    assert len(finding_lines) == len(items["findings"]) - len(follows) - sum(
        1 for item in items["findings"] if item["rule"] == "CK-ORPHAN-001"
    )
    assert "did you mean" not in "".join(
        line for line in text.splitlines() if line.startswith("      CK-")
    )


def test_the_base_dataset_is_valid() -> None:
    """The base dataset gives no finding at all, with every rule selected."""
    base = DATA / "valid" / "base"
    report = ck.validate(base, as_of=AS_OF, select=["CK"])
    assert found(report, base) == []


# Rules a CSV folder cannot break, checked by the tests of hostile input instead.
NOT_IN_CSV = {"CK-HDR-004"}


def test_every_rule_has_a_case() -> None:
    """Each rule of the catalogue a CSV folder can break has a case folder named after it."""
    names = {case.name for case in CASES}
    assert set(CATALOGUE) - NOT_IN_CSV <= names


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_case_yields_exactly_its_findings(case: Path) -> None:
    """A case yields exactly the findings of its expected.json."""
    options, expected = expected_of(case)
    report = ck.validate(
        case / options.get("source", ""),
        as_of=AS_OF,
        select=options.get("select", ()),
        ignore=options.get("ignore", ()),
    )
    assert found(report, case) == expected
    rule = case.name[:11] if case.name[:11] in CATALOGUE else None
    if expected:
        assert any(item[0] == (rule or item[0]) for item in expected)
