"""Private: the name index behind `normalise_country`.

Names are compared as keys (`_keys.fold`). The index is built in two stages,
each once: the English stage (pycountry's ISO 3166 names, CLDR's and the UN's
English names, ISO 3166-3's former names and the curated spellings of
`country_names.json`) on first use, and every other language of
`country_names_cldr.json` only when an English lookup misses, so the usual first
call stays fast. Within a stage, a key that names several countries is ambiguous;
between stages, English wins.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType, ModuleType
from typing import Any, Literal

import attrs

from clusterkit._reference_data import read_data_file
from clusterkit.countries._country import Country
from clusterkit.countries._keys import fold, name_keys

__all__ = [
    "EU_LANGUAGES",
    "MatchKind",
    "NameMatch",
    "countries_by_alpha2",
    "english_index",
    "full_index",
    "known_countries",
    "languages",
    "refused_and_ambiguous",
    "sovereign_of",
]

MatchKind = Literal["code", "name", "alias", "historic", "translation", "typo"]
"""How a value was read as a country: see `CountryMatch.kind`."""

# The official languages of the EU other than English (Regulation No 1/1958, as
# amended).
EU_LANGUAGES = (
    "bg", "cs", "da", "de", "el", "es", "et", "fi", "fr", "ga", "hr", "hu",
    "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
)  # fmt: skip

# The EU/Eurostat code differs from ISO 3166-1 alpha-2 for two countries only;
# Kosovo's user-assigned XK is the same in both conventions.
_EU_CODE_EXCEPTIONS = {"GR": "EL", "GB": "UK"}
_KOSOVO = Country(alpha2="XK", alpha3="XKX", numeric=None, name="Kosovo", eu_code="XK")
_ENGLISH, _OTHER = 0, 1
# When one key comes from several kinds of name for the same country, the
# first of these is reported.
_KIND_ORDER: tuple[MatchKind, ...] = ("name", "alias", "historic", "translation")


@functools.cache
def _pycountry() -> ModuleType:
    # Imported on first use: pycountry's own import costs a quarter of ours.
    import pycountry  # noqa: PLC0415 - deferred on purpose, see above

    return pycountry


@functools.cache
def countries_by_alpha2() -> dict[str, Country]:
    """Every country clusterkit knows, by ISO alpha-2 code."""
    pycountry = _pycountry()
    countries = {
        entry.alpha_2: Country(
            alpha2=entry.alpha_2,
            alpha3=entry.alpha_3,
            numeric=entry.numeric,
            name=getattr(entry, "common_name", None) or entry.name,
            eu_code=_EU_CODE_EXCEPTIONS.get(entry.alpha_2, entry.alpha_2),
        )
        for entry in pycountry.countries
    }
    countries[_KOSOVO.alpha2] = _KOSOVO
    return countries


@functools.cache
def known_countries() -> Mapping[str, Country]:
    """Every country clusterkit knows, by ISO alpha-2 code.

    Read-only: every lookup of the process reads this one table.

    Added in version 0.2.0.

    Examples:
        >>> from clusterkit.countries import known_countries
        >>> known_countries()["GR"].eu_code
        'EL'
    """
    return MappingProxyType(countries_by_alpha2())


@attrs.frozen
class NameMatch:
    """What a key names: the countries of the best-ranked names with that key.

    `kind` and `language` tell what sort of name it is (`language` is the CLDR
    locale of a translation only one shipped language writes so, else `None`).
    """

    countries: frozenset[str]
    rank: int
    kind: MatchKind
    language: str | None = None


def _add(
    index: dict[str, NameMatch],
    key: str,
    countries: Iterable[str],
    rank: int,
    kind: MatchKind,
    *,
    language: str | None = None,
) -> None:
    if not key:
        return
    codes = frozenset(countries)
    found = index.get(key)
    if found is None or rank < found.rank:
        index[key] = NameMatch(codes, rank, kind, language)
    elif rank == found.rank:
        countries = found.countries | codes
        if _KIND_ORDER.index(kind) < _KIND_ORDER.index(found.kind):
            index[key] = NameMatch(countries, rank, kind, language)
        else:
            # A name several languages share ("Italie" is French and Czech)
            # is no one language's.
            same = found.kind == kind and found.language == language
            index[key] = NameMatch(
                countries, rank, found.kind, found.language if same else None
            )


@functools.cache
def _generated() -> Mapping[str, Any]:
    table: Mapping[str, Any] = read_data_file("country_names_cldr.json")
    return table


def languages() -> tuple[str, ...]:
    """The CLDR locales whose country names the normaliser knows."""
    return tuple(_generated()["languages"])


def _codes(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _curated(*, english: bool) -> Iterator[tuple[str, str, MatchKind]]:
    for alias in read_data_file("country_names.json")["aliases"]:
        if (alias["kind"] in {"native", "kosovo"}) != english:
            kind: MatchKind = (
                "translation"
                if not english
                else "historic"
                if alias["kind"] == "historic"
                else "alias"
            )
            yield alias["name"], alias["country"], kind


@functools.cache
def english_index() -> dict[str, NameMatch]:
    """Keys of the English names: ISO, CLDR, UN, former names and curated spellings."""
    index: dict[str, NameMatch] = {}
    for entry in _pycountry().countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(entry, attribute, None)
            if value:
                for key in name_keys(value):
                    _add(index, key, (entry.alpha_2,), _ENGLISH, "name")
    generated = _generated()
    for key, codes in generated["names"]["en"].items():
        _add(index, key, _codes(codes), _ENGLISH, "name")
    for key, codes in generated["historic"].items():
        _add(index, key, _codes(codes), _ENGLISH, "historic")
    for name, alpha2, kind in _curated(english=True):
        for key in name_keys(name):
            _add(index, key, (alpha2,), _ENGLISH, kind)
    _add(index, "kosovo", ("XK",), _ENGLISH, "name")
    return index


@functools.cache
def full_index() -> dict[str, NameMatch]:
    """Keys of every name: English first, then every other language."""
    index = dict(english_index())
    for language, names in _generated()["names"].items():
        if language != "en":
            for key, codes in names.items():
                _add(
                    index, key, _codes(codes), _OTHER, "translation", language=language
                )
    for name, alpha2, kind in _curated(english=False):
        for key in name_keys(name):
            _add(index, key, (alpha2,), _OTHER, kind)
    return index


@functools.cache
def refused_and_ambiguous() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Keys that name no single country: refused (with why) and ambiguous (with candidates)."""
    data = read_data_file("country_names.json")
    refused = {fold(entry["name"]): entry["kind"] for entry in data["refused"]}
    ambiguous = {
        fold(entry["name"]): tuple(sorted(entry["candidates"]))
        for entry in data["ambiguous"]
    }
    return refused, ambiguous


def sovereign_of(alpha2: str) -> str | None:
    """The state a dependent territory belongs to ("HK" is China's), else `None`."""
    sovereign: str | None = _generated()["sovereigns"].get(alpha2)
    return sovereign
