"""Country codes and names, and the CountryCode field type."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from clusterkit.countries import Country, CountryCode, normalise_country
from clusterkit.errors import AmbiguousCountryError, CountryError

ALL = list(pycountry.countries)


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
    "value", ["", "   ", "Atlantis", "Georgia, USA", "Germanyy land", "1234", "ZZ"]
)
def test_unknown_values_raise(value: str) -> None:
    """Anything that is not a whole country name or code raises CountryError."""
    with pytest.raises(CountryError) as caught:
        normalise_country(value)
    assert caught.value.value == value


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


def test_country_code_field_ambiguous_type(monkeypatch: pytest.MonkeyPatch) -> None:
    """An ambiguous country is a pydantic error with the stable type country_ambiguous."""

    def ambiguous(value: object, /) -> Country:
        raise AmbiguousCountryError("x", value=value, candidates=["KR", "KP"])

    monkeypatch.setattr("clusterkit.countries.normalise_country", ambiguous)
    with pytest.raises(ValidationError) as caught:
        _Row(country="Korea")
    (error,) = caught.value.errors()
    assert error["type"] == "country_ambiguous"
    assert "KR, KP" in error["msg"]
