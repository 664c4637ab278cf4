"""Country normalisation as a reviewer found it wanting: each a wrong match or a leak.

A wrong country is worse than none, so each case here is a value that named one
country silently and now names two or none, or a refusal that leaked from one
call into the next.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pydantic
import pytest

import clusterkit as ck
from clusterkit import cli
from clusterkit.countries import (
    Country,
    CountryCode,
    known_countries,
    match_country,
    normalise_country,
)
from clusterkit.countries import _match as match_module
from clusterkit.countries._grammar import ARTICLES, CODE_ARTICLES, MALTESE_ARTICLES
from clusterkit.errors import AmbiguousCountryError, CountryError
from conftest import write

EXAMPLES = Path(__file__).parent.parent / "examples"

# --- A qualifier that names a country -------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "Kosovo (Serbia)",
        "Kosovo, Serbia",
        "Kosovo, Germany",
        "Serbia, Kosovo",
        "Serbia (Kosovo*)",
        "Serbia Kosovo",
        "Burma, Thailand",
        "Thailand (Burma)",
        "Thailand Burma",
        "Malvinas, Argentina",
        "Germany (Keeling)",
    ],
)
def test_a_qualifier_naming_another_country_makes_two_countries(value: str) -> None:
    """Burma, Malvinas, Kosovo after another country's name are not dropped."""
    with pytest.raises(CountryError, match="names two countries") as caught:
        normalise_country(value)
    assert not isinstance(caught.value, AmbiguousCountryError)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Myanmar (Burma)", "MM"),
        ("Myanmar/Burma", "MM"),
        ("Myanmar Burma", "MM"),
        ("Burma (Myanmar)", "MM"),
        ("Falkland Islands (Malvinas)", "FK"),
        ("Falkland Islands, Malvinas", "FK"),
        ("Falkland Islands (Islas Malvinas)", "FK"),
        ("Malvinas (UK)", "FK"),
        ("Cocos (Keeling) Islands", "CC"),
        ("Cocos Islands (Keeling)", "CC"),
        ("Cocos Islands Keeling Islands", "CC"),
        ("Kosovo (Kosovo*)", "XK"),
        ("Kosovo* (under UNSCR 1244/99)", "XK"),
    ],
)
def test_a_qualifier_naming_the_same_country_is_read(value: str, code: str) -> None:
    """A second name of the same country, as agencies write it, agrees with the first."""
    assert normalise_country(value).alpha2 == code


def test_a_country_field_refuses_a_value_naming_two_countries() -> None:
    """The models read country fields with the normaliser: two countries are an error."""
    with pytest.raises(pydantic.ValidationError, match="names two countries"):
        ck.Cluster(id="c1", name="X", country="Kosovo (Serbia)")


# --- A typo as close to two countries --------------------------------------------


@pytest.mark.parametrize(
    ("value", "suggested"),
    [
        ("Austraia", ("AT", "AU")),
        ("Austrlia", ("AT", "AU")),
        ("Iteland", ("IE", "IS")),
        ("Iveland", ("IE", "IS")),
        ("Icreland", ("IE", "IS")),
        ("Gyana", ("GH", "GY")),
        ("Guana", ("GH", "GU", "GY")),
        ("Seria", ("RS", "SY")),
        ("Malai", ("ML", "MW")),
        ("Malwi", ("ML", "MW")),
        ("Burunei", ("BI", "BN")),
        ("Coos Islands", ("CC", "CK")),
        ("nambia", ("GM", "NA", "ZM")),
        ("niberia", ("LR", "NG")),
        ("ligeria", ("LR", "NG")),
        ("holand", ("NL", "PL")),
    ],
)
def test_a_typo_as_close_to_two_countries_is_not_corrected(
    value: str, suggested: tuple[str, ...]
) -> None:
    """One edit from two countries, by any edit: a question, never a guess."""
    with pytest.raises(CountryError, match="did you mean") as caught:
        match_country(value)
    assert caught.value.suggestions == suggested


# --- An article that is also a code -----------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["AS SAMOA", "AS Samoa", "DE FRANCE", "IL ITALY", "NA NIGERIA", "IT-GERMANY"],
)
def test_a_leading_code_is_a_code_whatever_the_case(value: str) -> None:
    """In capitals the case cannot tell a code from an article: the code is kept."""
    with pytest.raises(CountryError, match="names two countries"):
        normalise_country(value)


def test_the_articles_that_are_codes_are_listed() -> None:
    """`CODE_ARTICLES` is every article the normaliser also reads as a country code."""
    known = {country.alpha2 for country in known_countries().values()}
    known |= {country.alpha3 for country in known_countries().values()}
    known |= {"EL", "UK"}
    codes = {a for a in (*ARTICLES, *MALTESE_ARTICLES) if a.upper() in known}
    assert codes == CODE_ARTICLES


# --- A name in another language, and a reading of part of it ------------------------


@pytest.mark.parametrize(
    ("value", "language"),
    [
        ("Republik Korea", "de"),
        ("Korea, Republik", "de"),
        ("Republika Korea", "cs"),
        ("Republikken Korea", "da"),
        ("Republiek Korea", "nl"),
    ],
)
def test_an_exact_translation_outranks_an_ambiguous_reading(
    value: str, language: str
) -> None:
    """Dropping "Republik" leaves the ambiguous "Korea"; the whole name is South Korea's."""
    match = match_country(value)
    assert (match.country.alpha2, match.kind, match.language) == (
        "KR",
        "translation",
        language,
    )


# --- Codes are ASCII -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["\u00df", "\u00dfd", "\ufb01", "\ufb01n", "\ufb06", "\u0131t"]
)
def test_letters_that_upper_case_to_a_code_are_no_code(value: str) -> None:
    """Sharp s upper-cases to "SS", the fi ligature to "FI": no South Sudan, no Finland."""
    with pytest.raises(CountryError, match="is not a known country"):
        normalise_country(value)


# --- The cache of refusals -------------------------------------------------------------


def test_each_refusal_is_a_fresh_error() -> None:
    """A note or context one caller adds stays with that caller's error."""
    rows: dict[str, int] = {}
    try:
        rows["secret-row-42"]
    except KeyError:
        try:
            normalise_country("Atlantis")
        except CountryError as error:
            # What `add_note` does on Python 3.11 and later.
            error.__notes__ = ["row 7 of file A.csv"]  # type: ignore[attr-defined]
            first = error
    with pytest.raises(CountryError) as caught:
        normalise_country("Atlantis")
    assert caught.value is not first
    assert not hasattr(caught.value, "__notes__")
    assert caught.value.__context__ is None
    assert (caught.value.value, caught.value.suggestions) == ("Atlantis", ())
    with pytest.raises(AmbiguousCountryError) as twice:
        normalise_country("Korea")
    with pytest.raises(AmbiguousCountryError) as again:
        normalise_country("Korea")
    assert again.value is not twice.value
    assert again.value.candidates == ("KP", "KR")
    with pytest.raises(CountryError) as suggested:
        normalise_country("Gambit")
    assert suggested.value.suggestions == ("GM",)


def test_values_too_long_to_be_a_country_are_not_cached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A megabyte of text is refused each time, and never kept."""
    monkeypatch.setattr(match_module, "_CACHE", {})
    for digit in "012":
        with pytest.raises(CountryError, match="characters long"):
            normalise_country(digit * 1_000_000)
    assert match_module._CACHE == {}


# --- A hand-built Country ----------------------------------------------------------------


class _Row(pydantic.BaseModel):
    country: CountryCode


def test_a_hand_built_country_must_be_a_known_one() -> None:
    """A `Country` is taken as it is only when it is one of `known_countries()`."""
    made_up = Country("ZZ", "ZZZ", "999", "Nowhere", "ZZ")
    with pytest.raises(CountryError, match="is not a known country"):
        normalise_country(made_up)
    with pytest.raises(pydantic.ValidationError, match="is not a known country"):
        _Row(country=made_up)
    renamed = Country("DE", "DEU", "276", "Germania", "DE")
    with pytest.raises(CountryError):
        normalise_country(renamed)
    germany = Country("DE", "DEU", "276", "Germany", "DE")
    assert germany in known_countries().values()
    assert normalise_country(germany) == germany


# --- The command line's dates -------------------------------------------------------------


@pytest.mark.parametrize("day", ["20190601", "2019-W22-6", "2019-152"])
@pytest.mark.parametrize(
    "command",
    [
        ("country", "DE", "--on"),
        ("validate", str(ck.io.example_path()), "--as-of"),
        ("kpis", str(ck.io.example_path()), "--from"),
    ],
)
def test_dates_on_the_command_line_are_yyyy_mm_dd_only(
    capsys: pytest.CaptureFixture[str], command: tuple[str, ...], day: str
) -> None:
    """The forms Python 3.11's `fromisoformat` also takes are usage errors."""
    assert cli.main([*command, day]) == 2
    assert f"{day!r} is not a date in the form YYYY-MM-DD" in capsys.readouterr().err


# --- The example that cleans a column -------------------------------------------------------


def clean_column(*args: str) -> subprocess.CompletedProcess[str]:
    """Run examples/clean_country_column.py as a user would."""
    return subprocess.run(
        [sys.executable, str(EXAMPLES / "clean_country_column.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_cleaning_a_file_that_is_not_utf8_says_so(tmp_path: Path) -> None:
    """A Latin-1 file: a message and exit 2, no traceback."""
    path = write(tmp_path / "members.csv", "name,country\nA,Française\n", "latin-1")
    done = clean_column(str(path), "country")
    assert done.returncode == 2
    assert "it is not UTF-8 text" in done.stderr
    assert "Traceback" not in done.stderr


def test_cleaning_a_missing_column_says_so(tmp_path: Path) -> None:
    """A wrong column name is named with the file's columns, not read as empty values."""
    path = write(tmp_path / "members.csv", "name,country\nA,DE\n")
    done = clean_column(str(path), "land")
    assert (done.returncode, done.stdout) == (2, "")
    assert "has no column 'land' (its columns: 'name', 'country')" in done.stderr
    done = clean_column(str(tmp_path / "missing.csv"), "country")
    assert done.returncode == 2
    assert "cannot read" in done.stderr
    assert "Traceback" not in done.stderr
    too_long = write(tmp_path / "long.csv", "country\n" + "x" * 200_000 + "\n")
    done = clean_column(str(too_long), "country")
    assert done.returncode == 2
    assert "field larger than field limit" in done.stderr
