"""Country codes and names, and the CountryCode field type."""

from __future__ import annotations

import csv
import datetime as dt
import gettext
import json
from pathlib import Path

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

import clusterkit as ck
from clusterkit.countries import (
    Country,
    CountryCode,
    CountryStatus,
    _names,
    country_status,
    normalise_country,
)
from clusterkit.countries import _match as match_module
from clusterkit.countries._keys import fold
from clusterkit.countries._names import EU_LANGUAGES
from clusterkit.errors import AmbiguousCountryError, CountryError

ALL = list(pycountry.countries)
with (Path(__file__).parent / "data" / "country_variants.csv").open(
    encoding="utf-8"
) as _table:
    VARIANTS = list(csv.DictReader(_table))


@pytest.mark.parametrize("row", VARIANTS, ids=lambda r: f"{r['category']}:{r['input']}")
def test_variant_table(row: dict[str, str]) -> None:
    """Every row of the curated variant table gives its expected country or error."""
    expected = row["expected"]
    if expected == "!":
        with pytest.raises(CountryError) as caught:
            normalise_country(row["input"])
        assert not isinstance(caught.value, AmbiguousCountryError)
    elif expected.startswith("?"):
        with pytest.raises(AmbiguousCountryError) as ambiguous:
            normalise_country(row["input"])
        assert sorted(ambiguous.value.candidates) == sorted(expected[1:].split("|"))
    else:
        assert normalise_country(row["input"]).alpha2 == expected


def test_variant_table_covers_every_category() -> None:
    """The table has rows of every kind of spelling the issue names."""
    categories = {row["category"] for row in VARIANTS}
    assert {
        "un",
        "world-bank",
        "eu-protocol",
        "abbreviation",
        "historic",
        "translation",
        "kosovo",
        "messy",
        "typo",
        "negative",
        "ambiguous",
    } <= categories


@pytest.mark.parametrize("language", EU_LANGUAGES)
def test_every_translation(language: str) -> None:
    """Every country's name in each official EU language names that country."""
    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
    )
    for entry in ALL:
        name = translation.gettext(entry.name)
        assert entry.alpha_2 in answers(name), (language, name)


def answers(value: str) -> tuple[str, ...]:
    """The country a value names, or the candidates when it names several."""
    try:
        return (normalise_country(value).alpha2,)
    except AmbiguousCountryError as error:
        return error.candidates


@pytest.mark.parametrize(
    ("typo", "alpha2"),
    [
        ("Germny", "DE"),
        ("Gernmany", "DE"),
        ("Gremany", "DE"),
        ("Portugall", "PT"),
        ("Itally", "IT"),
        ("Frnace", "FR"),
    ],
)
def test_one_letter_typos(typo: str, alpha2: str) -> None:
    """A letter missing, added, wrong or swapped is corrected when one country is that close."""
    assert normalise_country(typo).alpha2 == alpha2


@pytest.mark.parametrize("value", ["Inda", "Germ", "Chinaaa", "Gremanyy"])
def test_short_or_distant_typos_are_not_guessed(value: str) -> None:
    """Names under five letters, or two edits away, are not corrected."""
    with pytest.raises(CountryError):
        normalise_country(value)


def test_exact_names_win() -> None:
    """An exact name is never read as a typo or an ambiguity."""
    assert normalise_country("Guinea").alpha2 == "GN"
    assert normalise_country("Niger").alpha2 == "NE"
    assert normalise_country("Georgia").alpha2 == "GE"
    assert normalise_country("Dominica").alpha2 == "DM"


def test_results_are_cached_and_the_cache_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Repeated values hit the cache, failures included; a full cache starts afresh."""
    monkeypatch.setattr(match_module, "_CACHE", {})
    monkeypatch.setattr(match_module, "_CACHE_SIZE", 2)
    assert normalise_country("France").alpha2 == "FR"
    with pytest.raises(CountryError):
        normalise_country("Atlantis")
    with pytest.raises(CountryError):
        normalise_country("Atlantis")
    assert normalise_country("Spain").alpha2 == "ES"
    assert set(match_module._CACHE) == {"Spain"}


def test_empty_keys_are_not_indexed() -> None:
    """A name that folds to nothing (only an article) is never a key."""
    index: dict[str, _names.NameMatch] = {}
    _names._add(index, fold("The"), ["DE"], 0, "name")
    assert index == {}
    with pytest.raises(CountryError):
        normalise_country("The")


def test_code_forms() -> None:
    """A country's code in ISO or EU form; other forms are a programming error."""
    uk = normalise_country("United Kingdom")
    assert (uk.code(), uk.code("iso"), uk.code("eu")) == ("GB", "GB", "UK")
    with pytest.raises(ValueError, match="form must be"):
        uk.code("un")  # type: ignore[arg-type]


def test_fold() -> None:
    """Keys ignore case, accents, articles, dots and separators."""
    assert fold("The Netherlands") == fold("Netherlands, The") == "netherlands"
    assert fold("U.S.A.") == "usa"
    assert (
        fold("Bosnia & Herzegovina")
        == fold("Bosnia-Herzegovina")
        == "bosnia herzegovina"
    )
    assert fold("Congo, Democratic Republic of the") == "congo democratic republic"
    assert fold("Føroyar") == "foroyar"
    assert fold("THE") == ""


@pytest.mark.parametrize("entry", ALL, ids=[c.alpha_2 for c in ALL])
def test_every_iso_country_by_every_code_and_name(entry: object) -> None:
    """Alpha-2, alpha-3, numeric (padded or not) and every English name agree."""
    alpha2: str = entry.alpha_2  # type: ignore[attr-defined]
    spellings = [
        alpha2,
        alpha2.lower(),
        entry.alpha_3,  # type: ignore[attr-defined]
        entry.alpha_3.lower(),  # type: ignore[attr-defined]
        entry.numeric,  # type: ignore[attr-defined]
        str(int(entry.numeric)),  # type: ignore[attr-defined]
        entry.name,  # type: ignore[attr-defined]
        entry.name.upper(),  # type: ignore[attr-defined]
    ]
    spellings += [
        getattr(entry, name)
        for name in ("official_name", "common_name")
        if hasattr(entry, name)
    ]
    for spelling in spellings:
        assert normalise_country(spelling).alpha2 == alpha2, spelling


@pytest.mark.parametrize(
    ("value", "alpha2", "eu_code"),
    [
        ("EL", "GR", "EL"),
        ("GR", "GR", "EL"),
        ("UK", "GB", "UK"),
        ("gb", "GB", "UK"),
        ("XK", "XK", "XK"),
        ("XKX", "XK", "XK"),
        ("Kosovo", "XK", "XK"),
        ("  de ", "DE", "DE"),
        ("276", "DE", "DE"),
        ("Côte d'Ivoire", "CI", "CI"),
        ("Congo", "CG", "CG"),
        ("U. S. A.", "US", "US"),
        ("Macedonia, North", "MK", "MK"),
        ("Netherlands, The", "NL", "NL"),
        ("COTE D\u2019IVOIRE", "CI", "CI"),
        ("guinea bissau", "GW", "GW"),
        ("Türkiye", "TR", "TR"),
        ("Czechia", "CZ", "CZ"),
    ],
)
def test_eu_codes_and_spellings(value: str, alpha2: str, eu_code: str) -> None:
    """EU codes, Kosovo, padding, accents and punctuation are understood."""
    country = normalise_country(value)
    assert (country.alpha2, country.eu_code) == (alpha2, eu_code)


def test_kosovo_has_no_numeric_code() -> None:
    """Kosovo's codes are user-assigned and it has no ISO numeric code."""
    assert normalise_country("XK") == Country("XK", "XKX", None, "Kosovo", "XK")


def test_country_value() -> None:
    """A Country renders as its alpha-2 code and normalises to itself."""
    greece = normalise_country("Greece")
    assert str(greece) == "GR"
    assert normalise_country(greece) is greece


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "Atlantis",
        "Georgia, USA",
        "Germanyy land",
        "1234",
        "ZZ",
        "Europe",
        "EU27",
        "N/A",
        "-",
        "nan",
        "Germany and France",
    ],
)
def test_unknown_values_raise(value: str) -> None:
    """Anything that is not a whole country name or code raises CountryError."""
    with pytest.raises(CountryError) as caught:
        normalise_country(value)
    assert caught.value.value == value
    assert not isinstance(caught.value, AmbiguousCountryError)


@pytest.mark.parametrize(
    ("value", "candidates"),
    [
        ("Korea", ("KP", "KR")),
        ("Yugoslavia", ("BA", "HR", "ME", "MK", "RS", "SI", "XK")),
    ],
)
def test_ambiguous_values_name_the_candidates(
    value: str, candidates: tuple[str, ...]
) -> None:
    """A name of several countries raises AmbiguousCountryError with all of them."""
    with pytest.raises(AmbiguousCountryError) as caught:
        normalise_country(value)
    assert caught.value.candidates == candidates
    assert all(code in str(caught.value) for code in candidates)


@pytest.mark.parametrize("value", [None, 276, 3.5, ["DE"]])
def test_non_text_raises(value: object) -> None:
    """Only text (or a Country) names a country."""
    with pytest.raises(CountryError, match="as text"):
        normalise_country(value)


@given(st.text(max_size=30))
def test_never_raises_anything_but_country_error(text: str) -> None:
    """Arbitrary text either normalises or raises CountryError."""
    try:
        country = normalise_country(text)
    except CountryError:
        return
    assert normalise_country(country.alpha2) == country


@given(st.sampled_from([c.alpha_2 for c in ALL] + [c.name for c in ALL]))
def test_idempotent(value: str) -> None:
    """Normalising a result's code (or the result) gives the same country."""
    country = normalise_country(value)
    assert normalise_country(country.alpha2) == country
    assert normalise_country(country.alpha3) == country
    assert normalise_country(country) == country


class _Row(BaseModel):
    country: CountryCode


def test_country_code_field_stores_alpha2() -> None:
    """A CountryCode field accepts any spelling and stores ISO alpha-2."""
    assert _Row(country="Deutschland".replace("Deutschland", "Germany")).country == "DE"
    assert _Row.model_validate({"country": "EL"}).country == "GR"


def test_country_code_field_error_type() -> None:
    """An unknown country is a pydantic error with the stable type country_unknown."""
    with pytest.raises(ValidationError) as caught:
        _Row(country="Atlantis")
    (error,) = caught.value.errors()
    assert error["type"] == "country_unknown"
    assert "Atlantis" in error["msg"]


def test_country_code_field_ambiguous_type() -> None:
    """An ambiguous country is a pydantic error with the stable type country_ambiguous."""
    with pytest.raises(ValidationError) as caught:
        _Row(country="Korea")
    (error,) = caught.value.errors()
    assert error["type"] == "country_ambiguous"
    assert "'Korea' could be several countries: KP, KR" in error["msg"]


NAMES = json.loads(
    (Path(ck.__file__).parent / "data" / "country_names.json").read_text(
        encoding="utf-8"
    )
)


@pytest.mark.parametrize(
    "alias", NAMES["aliases"], ids=lambda a: f"{a['kind']}:{a['name']}"
)
def test_every_curated_spelling(alias: dict[str, str]) -> None:
    """Every curated spelling (UN, World Bank, protocol, historic, own-language, Kosovo) works."""
    assert normalise_country(alias["name"]).alpha2 == alias["country"]
    assert alias["kind"] in {
        "un",
        "world-bank",
        "eu-protocol",
        "abbreviation",
        "common",
        "historic",
        "native",
        "kosovo",
        "eu-code-name",
    }


@pytest.mark.parametrize("entry", NAMES["refused"], ids=lambda e: e["name"])
def test_every_refused_name(entry: dict[str, str]) -> None:
    """Every refused name raises CountryError saying what it is, never a guess."""
    with pytest.raises(CountryError) as caught:
        normalise_country(entry["name"])
    assert not isinstance(caught.value, AmbiguousCountryError)
    if entry["name"].strip():  # an empty value is refused before any list is read
        assert entry["kind"] in str(caught.value)


@pytest.mark.parametrize("entry", NAMES["ambiguous"], ids=lambda e: e["name"])
def test_every_ambiguous_name(entry: dict[str, object]) -> None:
    """Every ambiguous name offers its candidates, and none is an exact ISO name."""
    with pytest.raises(AmbiguousCountryError) as caught:
        normalise_country(str(entry["name"]))
    assert caught.value.candidates == tuple(sorted(entry["candidates"]))  # type: ignore[call-overload]
    assert fold(str(entry["name"])) not in ISO_NAME_KEYS


ISO_NAME_KEYS = {
    fold(getattr(c, attribute))
    for c in ALL
    for attribute in ("name", "official_name", "common_name")
    if hasattr(c, attribute)
}


@given(st.sampled_from([a["name"] for a in NAMES["aliases"]] + [c.name for c in ALL]))
def test_idempotent_on_every_spelling(value: str) -> None:
    """Normalising a result's code, in either form, gives the same country back."""
    country = normalise_country(value)
    assert normalise_country(country.alpha2) == country
    assert normalise_country(country.eu_code) == country
    assert normalise_country(country.name) == country


def test_translations_are_indexed_only_when_needed() -> None:
    """An English name is found without building the index of the other languages."""
    _names.full_index.cache_clear()
    match_module._CACHE.clear()
    assert normalise_country("Germany").alpha2 == "DE"
    assert _names.full_index.cache_info().currsize == 0
    assert normalise_country("Deutschland").alpha2 == "DE"
    assert _names.full_index.cache_info().currsize == 1


def test_country_field_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Country fields remember codes by text, and start afresh when the cache is full."""
    from clusterkit.countries import _pydantic  # noqa: PLC0415 - the module under test

    monkeypatch.setattr(_pydantic, "_CODES", {})
    monkeypatch.setattr(_pydantic, "_CODES_SIZE", 1)
    assert _Row(country="Deutschland").country == "DE"
    assert _Row(country="Deutschland").country == "DE"
    assert _Row(country="Frankreich").country == "FR"
    assert _pydantic._CODES == {"Frankreich": "FR"}


class TestCountryStatus:
    """`country_status`: a value's country and its classifications, never raising."""

    ON = dt.date(2019, 6, 1)

    def test_known(self) -> None:
        """A known value holds its country and every classification on the day."""
        status = country_status("EL", on=self.ON)
        assert status == CountryStatus(
            "EL",
            self.ON,
            "COSME",
            country=normalise_country("GR"),
            eu_member=True,
            programme_participant=True,
            third_country_non_programme=False,
            third_country_beyond_europe=False,
            kind="code",
        )
        assert status.ok
        assert (status.error, status.message, status.candidates) == (None, None, ())

    def test_known_under_another_programme(self) -> None:
        """The programme decides participation and the third-country rules."""
        on = dt.date(2021, 3, 1)
        assert country_status("UK", on=on).programme_participant is False
        switzerland = country_status("Switzerland", on=on, programme="SMP")
        assert switzerland.programme == "SMP"
        assert switzerland.third_country_non_programme is True
        assert switzerland.third_country_beyond_europe is False

    def test_ambiguous(self) -> None:
        """An ambiguous value holds the error and its candidates, and no country."""
        status = country_status("Korea", on=self.ON)
        assert not status.ok
        assert status.country is None
        assert status.eu_member is None
        assert (status.error, status.candidates) == ("ambiguous", ("KP", "KR"))
        assert status.message == "'Korea' could be several countries: KP, KR"

    def test_unknown(self) -> None:
        """An unknown value holds the error, its message and no candidates."""
        status = country_status("Atlantis", on=self.ON)
        assert (status.ok, status.error, status.candidates) == (False, "unknown", ())
        assert status.message is not None
        assert status.message.startswith("'Atlantis' is not a known country")

    def test_typo_and_suggestion(self) -> None:
        """A typo says it was guessed; an unknown value near one country suggests it."""
        typo = country_status("Frnce", on=self.ON)
        assert (typo.country, typo.kind) == (normalise_country("FR"), "typo")
        assert country_status("Allemagne", on=self.ON).language == "fr"
        inda = country_status("Inda", on=self.ON)
        assert (inda.error, inda.suggestions) == ("unknown", ("IN",))
        assert inda.to_dict()["error"]["suggestions"] == ["IN"]

    def test_unknown_programme_raises(self) -> None:
        """A programme that does not exist is a mistake of the caller: it raises."""
        with pytest.raises(ValueError, match="unknown programme 'H2020'"):
            country_status("Atlantis", on=self.ON, programme="H2020")

    def test_to_dict_of_a_country(self) -> None:
        """`to_dict` of a country: its codes, each classification and no error."""
        assert country_status("U.S.A.", on=self.ON).to_dict() == {
            "input": "U.S.A.",
            "country": {
                "alpha2": "US",
                "alpha3": "USA",
                "numeric": "840",
                "name": "United States",
                "eu_code": "US",
            },
            "read_as": {"kind": "alias", "language": None},
            "eu_member": False,
            "programme_participant": False,
            "third_country": {"non-programme": True, "beyond-europe": True},
            "error": None,
        }

    def test_to_dict_of_an_error(self) -> None:
        """`to_dict` of a value that is not one country: only input, country and error."""
        assert country_status("Korea", on=self.ON).to_dict() == {
            "input": "Korea",
            "country": None,
            "error": {
                "type": "ambiguous",
                "message": "'Korea' could be several countries: KP, KR",
                "candidates": ["KP", "KR"],
                "suggestions": [],
            },
        }
        unknown = country_status("Atlantis", on=self.ON).to_dict()
        assert list(unknown) == ["input", "country", "error"]
        assert unknown["error"]["type"] == "unknown"
        assert unknown["error"]["candidates"] == []

    def test_to_dict_is_json(self) -> None:
        """`to_dict` gives data that JSON round-trips unchanged."""
        for value in ("Deutschland", "Korea", "Atlantis", "Kosovo"):
            data = country_status(value, on=self.ON).to_dict()
            assert json.loads(json.dumps(data)) == data
