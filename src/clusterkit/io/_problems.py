"""Private: what can be wrong when a dataset is read, as the rules of the read stage.

Readers never classify a problem by its message: each problem is reported with
its `Rule`, declared here once. A lenient reader hands every problem to a
`Reporter` and goes on; the strict readers behind `load_dataset` use
`raise_problem`, which stops at the first. `cell_problem` turns a pydantic error
on one value into the rule and message a data steward sees, for the model-level
path (`load_dataset`) and the column path (`clusterkit.validate`) alike.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import math
from collections.abc import Mapping
from typing import Any, Protocol

import attrs

from clusterkit._dates import (
    PartialDate,
    parse_end_date,
    parse_iso_date,
    parse_start_date,
)
from clusterkit._hints import allowed_values
from clusterkit.countries import match_country
from clusterkit.errors import AmbiguousCountryError, CountryError, DatasetReadError
from clusterkit.io._fields import FieldShape
from clusterkit.io._number_spellings import date_number_hint, number_hint
from clusterkit.models import EnterpriseSize, Funding, ThirdCountryRule
from clusterkit.report import Entity, Rule, Severity
from clusterkit.values import Location

__all__ = [
    "AMBIGUOUS_COUNTRY",
    "AMBIGUOUS_DATE",
    "BAD_VALUE",
    "COUNTRY_TYPO",
    "DUPLICATE_COLUMN",
    "DUPLICATE_FIELD",
    "DUPLICATE_TABLE",
    "MALFORMED_ROW",
    "MISNAMED_TABLE_FILE",
    "MISSING",
    "MISSING_COLUMN",
    "NEGATIVE",
    "NON_CANONICAL_COUNTRY",
    "NON_ISO_DATE",
    "NOT_A_COUNTRY",
    "NOT_IN_VOCABULARY",
    "OTHER_SEPARATOR",
    "PARTIAL_DATE",
    "UNKNOWN_COLUMN",
    "UNREADABLE",
    "CellProblem",
    "Reporter",
    "cell_problem",
    "country_cell",
    "date_remark",
    "non_iso_date",
    "parse_date",
    "raise_problem",
    "vocabulary_problem",
    "with_outcome",
]

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

UNREADABLE = Rule("CK-FILE-001", E, "unreadable file", "read")
OTHER_SEPARATOR = Rule(
    "CK-FILE-002", W, "CSV file separated by semicolons or tabs", "read"
)
MISNAMED_TABLE_FILE = Rule(
    "CK-FILE-003", E, "a table's file under another name", "read"
)
MISSING_COLUMN = Rule("CK-HDR-001", E, "missing required column", "read")
UNKNOWN_COLUMN = Rule("CK-HDR-002", W, "unknown column", "read")
DUPLICATE_COLUMN = Rule("CK-HDR-003", E, "duplicate column", "read")
DUPLICATE_FIELD = Rule("CK-HDR-004", E, "field given twice in one record", "read")
DUPLICATE_TABLE = Rule("CK-HDR-005", E, "table given twice", "read")
MALFORMED_ROW = Rule("CK-ROW-001", E, "malformed row", "read")
BAD_VALUE = Rule("CK-TYPE-001", E, "value does not parse", "read")
NON_ISO_DATE = Rule("CK-TYPE-002", W, "date in a non-ISO spelling", "read")
AMBIGUOUS_DATE = Rule("CK-TYPE-003", E, "ambiguous date", "read")
NOT_IN_VOCABULARY = Rule("CK-ENUM-001", E, "value outside its vocabulary", "read")
NOT_A_COUNTRY = Rule("CK-COUNTRY-001", E, "not a country", "read")
AMBIGUOUS_COUNTRY = Rule("CK-COUNTRY-002", E, "ambiguous country", "read")
NON_CANONICAL_COUNTRY = Rule(
    "CK-COUNTRY-003", INFO, "country in a non-canonical form", "read", default=False
)
COUNTRY_TYPO = Rule("CK-COUNTRY-004", W, "country read from a typo", "read")
NEGATIVE = Rule("CK-COUNT-001", E, "negative count or amount", "read")
# On by default: it never fails a run, and it says which day a month or a year
# was read as, which the date rules (CK-DATE-001 to 004) then compare.
PARTIAL_DATE = Rule(
    "CK-DATE-005",
    INFO,
    "date given to the month or the year",
    "read",
    tables=("partnerships", "targets", "activities"),
)


class Reporter(Protocol):
    """Told of one problem a lenient reader found; the reader then goes on.

    `clusterkit.rules` passes the validation run's own `report`, which turns the
    problem into a `Finding` when the rule is enabled. `outcome` says what a
    reader that goes on does about the problem ("it is ignored"): a reporter
    that goes on adds it to the message (`with_outcome`), and `raise_problem`,
    which stops, leaves it out, since it would not be true.
    """

    def __call__(
        self,
        rule: Rule,
        location: Location,
        message: str,
        *,
        hint: str | None = None,
        entity: Entity | None = None,
        value: Any = None,
        expected: str | None = None,
        outcome: str | None = None,
    ) -> object:
        """Report one problem (what it returns, if anything, is ignored)."""


def with_outcome(message: str, outcome: str | None) -> str:
    """The message of a problem a reader went on after: what it did, added."""
    return message if outcome is None else f"{message}; {outcome}"


def raise_problem(
    rule: Rule,  # noqa: ARG001 - a Reporter
    location: Location,
    message: str,
    *,
    hint: str | None = None,
    entity: Entity | None = None,  # noqa: ARG001 - a Reporter
    value: Any = None,  # noqa: ARG001 - a Reporter
    expected: str | None = None,  # noqa: ARG001 - a Reporter
    outcome: str | None = None,  # noqa: ARG001 - not true of a reader that stops
) -> None:
    """The `Reporter` of the strict readers: stop at the first problem.

    The message says what is wrong and, with a hint, how it may be put right;
    not the `outcome`, what a reader that goes on would do.

    Raises:
        DatasetReadError: Always, located at the problem.
    """
    raise DatasetReadError.at(
        location, message if hint is None else f"{message}; {hint}"
    )


@attrs.frozen
class CellProblem:
    """What is wrong with one cell, before it is placed in a file."""

    rule: Rule
    message: str
    hint: str | None = None
    expected: str | None = None
    # The part of the cell the problem is about (a key given twice), quoted
    # instead of the whole cell, which may be long and hold many problems.
    value: str | None = None

    def report_at(
        self, report: Reporter, location: Location, *, entity: Entity | None, raw: Any
    ) -> None:
        """Report this problem of the cell value `raw`, placed at `location`.

        Added in version 0.2.0.
        """
        report(
            self.rule,
            location,
            self.message,
            hint=self.hint,
            entity=entity,
            value=_cell_text(raw) if self.value is None else self.value,
            expected=self.expected,
        )


def _cell_text(cell: Any) -> str | None:
    """A cell value as text: a list `;`-separated, as in a CSV file."""
    if cell is None:
        return None
    if isinstance(cell, (tuple, list)):
        return ";".join(map(_text, cell))
    return _text(cell)


def _text(value: Any) -> str:
    try:
        return str(value)
    except ValueError:  # an integer of more digits than Python turns into text
        digits = int(value.bit_length() * math.log10(2))
        return f"a number of about {digits:,} digits"


MISSING = CellProblem(BAD_VALUE, "a value is required here, but the cell is empty")
"""A required cell left empty."""


def cell_problem(  # noqa: PLR0911 - one return per kind of error
    field: FieldShape, entry: Mapping[str, Any], raw: Any
) -> CellProblem:
    """The problem of one value, from the first pydantic error entry it raised."""
    kind = entry["type"]
    text = str(entry["msg"])
    if kind == "country_ambiguous":
        candidates = entry.get("ctx", {}).get("candidates", "")
        return _ambiguous_country(raw, candidates)
    if kind == "country_unknown":
        return CellProblem(
            NOT_A_COUNTRY, text, expected="a country name or ISO 3166-1 code"
        )
    if kind == "date_ambiguous":
        readings = entry.get("ctx", {}).get("readings")
        return CellProblem(AMBIGUOUS_DATE, text, hint=f"it reads as {readings}")
    if kind in {"greater_than_equal", "greater_than"}:
        return CellProblem(
            NEGATIVE,
            f"{raw!r} is negative; {field.name} counts, so it is at least 0",
            expected=">= 0",
        )
    if kind == "enum" and field.enum is not None:
        # In a list, the item that is not in the vocabulary.
        item = entry.get("input", raw) if field.is_list and entry["loc"] else raw
        return vocabulary_problem(field.enum, item)
    if kind == "sme_size_class":
        return CellProblem(
            NOT_IN_VOCABULARY,
            text,
            hint=allowed_values(_MEANINGS[EnterpriseSize]),
            expected="micro, small or medium",
        )
    if kind == "date_format":
        return CellProblem(BAD_VALUE, text, hint=date_number_hint(raw))
    if kind in _NUMBER_ERRORS and not (field.is_list and entry["loc"]):
        # `1.200` or `448750,50`, as spreadsheets write numbers: say how to write it.
        hint = number_hint(raw, whole=kind.startswith("int"))
        return CellProblem(BAD_VALUE, f"{raw!r}: {text}", hint=hint)
    return CellProblem(BAD_VALUE, _text_problem(field, entry, raw))


_NUMBER_ERRORS = frozenset(
    {"int_parsing", "decimal_parsing", "int_from_float", "decimal_type"}
)


def _text_problem(field: FieldShape, entry: Mapping[str, Any], raw: Any) -> str:
    """The message of a text, an id or a list item that its field refuses."""
    kind = entry["type"]
    if kind == "string_pattern_mismatch" and field.items == "item":
        return (
            f"{entry.get('input')!r} is not a valid list item: an item has no ';' "
            "or control characters"
        )
    if kind in {"string_pattern_mismatch", "string_too_long"} and (
        field.is_id or field.is_list
    ):
        return (
            f"{entry.get('input')!r} is not a valid id: an id has 1 to 64 "
            "characters, without ';' or control characters"
        )
    if kind == "string_pattern_mismatch" and field.is_text:
        return f"{raw!r} contains control characters"
    if kind == "string_pattern_mismatch" and field.name == "region":
        return (
            f"{raw!r} is not a NUTS code (a country code and up to 3 more, e.g. DE30)"
        )
    if field.is_list and entry["loc"]:
        return f"item {entry['loc'][0]!s} ({entry.get('input')!r}): {entry['msg']!s}"
    return str(entry["msg"])


def parse_date(field: FieldShape, raw: Any) -> Any:
    """A date cell's value, read as its field reads it (a month or a year as a day)."""
    if field.period == "start":
        return parse_start_date(raw)
    if field.period == "end":
        return parse_end_date(raw)
    return parse_iso_date(raw)


def date_remark(raw: str | PartialDate, value: dt.date) -> CellProblem:
    """The remark on a date not written `YYYY-MM-DD` (`CK-DATE-005` or `CK-TYPE-002`)."""
    if isinstance(value, PartialDate):
        return partial_date(raw, value)
    return non_iso_date(str(raw), value)


def partial_date(raw: str | PartialDate, value: PartialDate) -> CellProblem:
    """The remark on a date given to the month or the year (`CK-DATE-005`)."""
    day = value.day_date().isoformat()
    bound = "last" if value.is_end else "first"
    return CellProblem(
        PARTIAL_DATE,
        f"{str(raw).strip()!r} is given to the {value.precision}: read as its {bound} "
        f"day, {day}",
        hint=f"write the day (YYYY-MM-DD) if it is known; {day} is what is compared",
        expected="YYYY-MM-DD",
    )


def non_iso_date(raw: str, value: dt.date) -> CellProblem:
    """The remark on a date read from another spelling than ISO 8601 (`CK-TYPE-002`)."""
    return CellProblem(
        NON_ISO_DATE,
        f"{raw!r} is not an ISO 8601 date; read as {value.isoformat()}",
        hint=f"write it as {value.isoformat()}",
        expected="YYYY-MM-DD",
    )


# What the values of a vocabulary mean, where a name alone does not say; the
# values allowed in a record, where the vocabulary has more (`large` is no SME).
_MEANINGS: dict[type[enum.Enum], dict[str, str | None]] = {
    Funding: {"co_funded": "EU grant", "voluntary": "no EU grant"},
    EnterpriseSize: {
        "micro": "fewer than 10 staff",
        "small": "fewer than 50 staff",
        "medium": "fewer than 250 staff",
    },
    ThirdCountryRule: {
        "non-programme": "outside the EU and the programme's countries",
        "beyond-europe": "also outside Europe",
    },
}


def vocabulary_problem(kind: type[enum.Enum], raw: Any) -> CellProblem:
    """A value outside an enumeration; the hint lists the allowed values.

    With what each means where the name does not say it (`co_funded = EU
    grant`), after the nearest allowed value when one is close.
    """
    meanings = _MEANINGS.get(kind) or dict.fromkeys(str(m.value) for m in kind)
    allowed = list(meanings)
    nearest = difflib.get_close_matches(
        str(raw).strip().lower(), allowed, n=1, cutoff=0.5
    )
    question = f"did you mean {nearest[0]!r}?" if nearest else None
    return CellProblem(
        NOT_IN_VOCABULARY,
        f"{raw!r} is not one of the allowed values",
        hint=allowed_values(meanings, question),
        expected=", ".join(allowed),
    )


def _ambiguous_country(raw: Any, candidates: str) -> CellProblem:
    return CellProblem(
        AMBIGUOUS_COUNTRY,
        f"{raw!r} could be several countries: {candidates}",
        hint=f"write one ISO code: {candidates}",
        expected="an ISO 3166-1 alpha-2 code",
    )


_NO_PROBLEMS: tuple[CellProblem, ...] = ()


def country_cell(raw: Any) -> tuple[str | None, tuple[CellProblem, ...]]:
    """The ISO code of one country cell and its problems (code `None` if not a country).

    A code read from another spelling is kept, with a `CK-COUNTRY-003` remark;
    one guessed from a typo also gets a `CK-COUNTRY-004` warning.
    """
    if not isinstance(raw, (str, int)) or isinstance(raw, bool):
        return None, (
            CellProblem(
                NOT_A_COUNTRY,
                f"{raw!r} is not a country: give a name or code as text",
                expected="a country name or ISO 3166-1 code",
            ),
        )
    return _country(raw)


@functools.lru_cache(maxsize=4096)
def _country(raw: str | int) -> tuple[str | None, tuple[CellProblem, ...]]:
    try:
        # A number is the ISO numeric code (276, a workbook cell typed as a
        # number), as the models read it.
        match = match_country(str(raw) if isinstance(raw, int) else raw)
    except AmbiguousCountryError as error:
        return None, (_ambiguous_country(raw, ", ".join(error.candidates)),)
    except CountryError as error:
        suggested = error.suggestions
        return None, (
            CellProblem(
                NOT_A_COUNTRY,
                str(error),
                hint=f"write {suggested[0]} if that is the country meant"
                if len(suggested) == 1
                else None,
                expected="a country name or ISO 3166-1 code",
            ),
        )
    country = match.country
    if raw == country.alpha2:
        return country.alpha2, _NO_PROBLEMS
    canonical = CellProblem(
        NON_CANONICAL_COUNTRY,
        f"{raw!r} is {country.name}; write it as its ISO code {country.alpha2}",
        hint=f"write {country.alpha2}",
        expected=country.alpha2,
    )
    if match.is_guess:
        # A guess is kept, so the dataset stays usable, but always said.
        typo = CellProblem(
            COUNTRY_TYPO,
            f"{raw!r} read as {country.name} ({country.alpha2})",
            hint=f"write {country.alpha2} if that is the country meant",
            expected=country.alpha2,
        )
        return country.alpha2, (typo, canonical)
    return country.alpha2, (canonical,)
