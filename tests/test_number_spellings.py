"""Numbers spelt as spreadsheets write them: the hint of a count or amount that does not parse."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit.io._number_spellings import date_number_hint, number_hint

BASE = Path(__file__).parent / "data" / "valid" / "base"
AS_OF = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("raw", "whole", "hint"),
    [
        ("1.200", True, "write it as 1200: a count is a whole number"),
        ("1 200", True, "write it as 1200: a count is a whole number"),
        ("1\u00a0200", True, "write it as 1200: a count is a whole number"),
        ("1'200", True, "write it as 1200: a count is a whole number"),
        ("1,000", True, "write it as 1 or as 1000, whichever it means"),
        ("448750,50", False, "write it as 448750.5: an amount has a '.'"),
        ("1.234.567,89", False, "write it as 1234567.89:"),
        ("1,234,567.89", False, "write it as 1234567.89:"),
        ("1 234,5", False, "write it as 1234.5:"),
        ("1,200", False, "write it as 1.2 or as 1200, whichever it means"),
        ("€400", False, "write it as 400: an amount"),
        ("400 EUR", False, "in euros without a currency sign"),
    ],
)
def test_a_spreadsheet_spelling_gets_the_number_to_write(
    raw: str, whole: bool, hint: str
) -> None:
    """Thousands separators, decimal commas and currency signs: what to write instead."""
    found = number_hint(raw, whole=whole)
    assert found is not None
    assert found.startswith(hint) or hint in found


@pytest.mark.parametrize(
    ("raw", "whole"),
    [("about 40", True), ("12,5", True), ("12.5", True), ("-1,5", False), (3, True)],
)
def test_no_hint_where_no_spelling_gives_such_a_number(
    raw: object, whole: bool
) -> None:
    """Words, a fraction for a count, a negative number, a value that is no text."""
    assert number_hint(raw, whole=whole) is None


_SEPARATORS = st.sampled_from(
    [("", ","), (".", ","), (" ", ","), ("\u00a0", ","), (",", "."), ("'", ".")]
)


@given(
    value=st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
    style=_SEPARATORS,
)
def test_every_style_reads_back_the_amount(
    value: Decimal, style: tuple[str, str]
) -> None:
    """An amount that a spreadsheet style spells so that it does not parse: among the readings."""
    group, mark = style
    whole, _, fraction = f"{value:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", group) if group else whole
    raw = f"{grouped}{mark}{fraction}"
    assume(not re.fullmatch(r"\d+(\.\d+)?", raw))  # written as it should be: it parses
    hint = number_hint(raw, whole=False)
    assert hint is not None
    readings = re.findall(r"[\d.]+(?= or as |, whichever|:)", hint)
    assert any(Decimal(reading) == value for reading in readings), (raw, hint)


def base_with(folder: Path, table: str, old: str, new: str) -> Path:
    """The base dataset as CSV files in `folder`, with `old` replaced by `new` once in a table."""
    ck.dump_dataset(ck.load_dataset(BASE), folder, overwrite=True)
    path = folder / f"{table}.csv"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return folder


# In partnership P1: 60 SMEs reached, a grant of 400000 euros.
P1_NUMBERS = ",60,400000,"
# Activity A1 starts on 2018-05-14, which a spreadsheet numbers 43234.
A1_START = ",2018-05-14,"


def test_validate_puts_the_hint_on_the_cell(tmp_path: Path) -> None:
    """In a CSV file, `1.200` people and `400000,50` euros get their hints."""
    folder = base_with(tmp_path, "partnerships", P1_NUMBERS, ',"1.200","400000,50",')
    report = ck.validate(folder, as_of=AS_OF)
    hints = {f.location.field: f.hint for f in report.findings}
    assert hints == {
        "smes_reached": (
            "write it as 1200: a count is a whole number, without a thousands separator"
        ),
        "grant_eur": (
            "write it as 400000.5: an amount has a '.' for the decimal point and "
            "no thousands separator"
        ),
    }


@pytest.mark.parametrize(
    ("raw", "day"),
    [("43529", "2019-03-05"), (" 42005 ", "2015-01-01"), ("18264", "1950-01-01")],
)
def test_a_spreadsheet_day_number_names_its_day(raw: str, day: str) -> None:
    """A date cell saved unformatted holds the day number that Excel and LibreOffice count."""
    hint = date_number_hint(raw)
    assert hint is not None
    assert f"for the day {day}" in hint
    assert hint.endswith(f"or write {day}")


@pytest.mark.parametrize(
    "raw", ["18263", "73051", "2019", "4352", "4352a", "٤٣٥٢٩", 43529]
)
def test_no_day_number_outside_1950_to_2099(raw: object) -> None:
    """Numbers outside the years a programme date can be in, other digits, no text: no hint."""
    assert date_number_hint(raw) is None


def test_validate_names_the_day_of_a_day_number(tmp_path: Path) -> None:
    """An activity's start saved as 43234 is the 2018-05-14 it was."""
    folder = base_with(tmp_path, "activities", A1_START, ",43234,")
    (finding,) = ck.validate(folder, as_of=AS_OF).findings
    assert (finding.rule, finding.location.field) == ("CK-TYPE-001", "start")
    assert finding.hint is not None
    assert "for the day 2018-05-14" in finding.hint


def test_load_dataset_says_what_to_write_too(tmp_path: Path) -> None:
    """The strict load's error carries the hints `validate` gives."""
    folder = base_with(tmp_path, "partnerships", P1_NUMBERS, ',"1.200",400000,')
    with pytest.raises(ck.DatasetReadError) as raised:
        ck.load_dataset(folder)
    assert "(got '1.200') (hint: write it as 1200: a count is a whole number" in str(
        raised.value
    )
    folder = base_with(tmp_path, "activities", A1_START, ",43234,")
    with pytest.raises(ck.DatasetReadError, match="for the day 2018-05-14"):
        ck.load_dataset(folder)
