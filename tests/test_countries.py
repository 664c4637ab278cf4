"""Country codes and names, and the CountryCode field type."""

from __future__ import annotations

import csv
import gettext
import json
from pathlib import Path

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

import clusterkit as ck
from clusterkit.countries import Country, CountryCode, _names, normalise_country
from clusterkit.countries import _normalise as normalise_module
from clusterkit.countries._names import EU_LANGUAGES, fold
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
    monkeypatch.setattr(normalise_module, "_CACHE", {})
    monkeypatch.setattr(normalise_module, "_CACHE_SIZE", 2)
    assert normalise_country("France").alpha2 == "FR"
    with pytest.raises(CountryError):
        normalise_country("Atlantis")
    with pytest.raises(CountryError):
        normalise_country("Atlantis")
    assert normalise_country("Spain").alpha2 == "ES"
    assert set(normalise_module._CACHE) == {"Spain"}


def test_empty_keys_are_not_indexed() -> None:
    """A name that folds to nothing (only an article) is never a key."""
    index: dict[str, _names.Match] = {}
    _names._add(index, fold("The"), "DE", 0)
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
    assert fold("Bosnia & Herzegovina") == "bosnia and herzegovina"
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
    normalise_module._CACHE.clear()
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
