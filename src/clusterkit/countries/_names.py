"""Private: the name index behind `normalise_country`.

Names are compared as *keys*: case-folded, without accents, apostrophes or dots,
with other punctuation as spaces, `&` as `and`, `st` as `saint`, and a leading
or trailing English article dropped ("Gambia, The" and "The Gambia" are
`gambia`). A name with a comma is also indexed inverted ("Korea, Republic of" is
also `republic of korea`).

The index is built in two steps, each once: the English names (ISO 3166 and the
curated spellings of `country_names.json`) on first use, and the names in the 24
official EU languages (pycountry's ISO 3166 translations plus curated own-language
names) only when an English lookup misses, so the usual first call stays fast.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from types import ModuleType

import attrs

from clusterkit._reference_data import read_data_file
from clusterkit.countries._country import Country

__all__ = [
    "EU_LANGUAGES",
    "Match",
    "countries_by_alpha2",
    "english_index",
    "fold",
    "full_index",
    "keys",
    "refused_and_ambiguous",
    "typo_matches",
]

# The official languages of the EU other than English (Regulation No 1/1958, as
# amended): pycountry ships an ISO 3166-1 translation for each.
EU_LANGUAGES = (
    "bg", "cs", "da", "de", "el", "es", "et", "fi", "fr", "ga", "hr", "hu",
    "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
)  # fmt: skip

# The EU/Eurostat code differs from ISO 3166-1 alpha-2 for two countries only;
# Kosovo's user-assigned XK is the same in both conventions.
_EU_CODE_EXCEPTIONS = {"GR": "EL", "GB": "UK"}
_KOSOVO = Country(alpha2="XK", alpha3="XKX", numeric=None, name="Kosovo", eu_code="XK")

# Letters that Unicode decomposition leaves whole but people type without marks.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "\u0131": "i",
        "ð": "d",
    }
)
_JOINERS = re.compile("['\u2019\u2018`\u00b4.]")
_SEPARATORS = re.compile(r"[\W_]+")
_ENGLISH_NAME = 0
_OTHER_NAME = 1


def fold(text: str) -> str:
    """The comparison key of a name.

    Examples:
        >>> fold("  C\u00f4te d\u2019Ivoire ")
        'cote divoire'
        >>> fold("Gambia, The"), fold("St. Lucia"), fold("Bosnia & Herzegovina")
        ('gambia', 'saint lucia', 'bosnia and herzegovina')
        >>> fold("U. S. A.")
        'usa'
    """
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_LETTERS)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _JOINERS.sub("", text).replace("&", " and ")
    words = _SEPARATORS.sub(" ", text).split()
    if len(words) > 1 and all(len(word) == 1 for word in words):
        words = ["".join(words)]  # "U. S. A." is "usa"
    if words and words[0] == "the":
        words = words[1:]
    if words and words[-1] == "the":
        words = words[:-1]
    return " ".join("saint" if word == "st" else word for word in words)


def keys(name: str) -> Iterator[str]:
    """The keys a name is found under: itself and, with one comma, inverted."""
    yield fold(name)
    head, comma, tail = name.partition(",")
    if comma and "," not in tail:
        yield fold(f"{tail} {head}")


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


@attrs.frozen
class Match:
    """What a key names: the countries of the best-ranked names with that key."""

    countries: frozenset[str]
    rank: int


def _add(index: dict[str, Match], key: str, alpha2: str, rank: int) -> None:
    if not key:
        return
    found = index.get(key)
    if found is None or rank < found.rank:
        index[key] = Match(frozenset({alpha2}), rank)
    elif rank == found.rank and alpha2 not in found.countries:
        index[key] = Match(found.countries | {alpha2}, rank)


def _english_names() -> Iterator[tuple[str, str]]:
    for entry in _pycountry().countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(entry, attribute, None)
            if value:
                yield value, entry.alpha_2
    for alias in read_data_file("country_names.json")["aliases"]:
        if alias["kind"] not in {"native", "kosovo"}:
            yield alias["name"], alias["country"]
    yield "Kosovo", "XK"


def _translated_names() -> Iterator[tuple[str, str]]:
    import gettext  # noqa: PLC0415 - only needed once the translations are indexed

    pycountry = _pycountry()
    for language in EU_LANGUAGES:
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
        )
        for entry in pycountry.countries:
            for attribute in ("name", "official_name", "common_name"):
                value = getattr(entry, attribute, None)
                if value:
                    yield translation.gettext(value), entry.alpha_2
    for alias in read_data_file("country_names.json")["aliases"]:
        if alias["kind"] in {"native", "kosovo"}:
            yield alias["name"], alias["country"]


def _build(
    names: Iterable[tuple[str, str]], rank: int, index: dict[str, Match]
) -> None:
    # Many translations repeat the English name: fold each spelling once. The
    # order does not matter: names of one rank sharing a key merge into one Match.
    for name, alpha2 in set(names):
        for key in keys(name):
            _add(index, key, alpha2, rank)


@functools.cache
def english_index() -> dict[str, Match]:
    """Keys of the English names and curated spellings."""
    index: dict[str, Match] = {}
    _build(_english_names(), _ENGLISH_NAME, index)
    return index


@functools.cache
def full_index() -> dict[str, Match]:
    """Keys of every name: English first, then the other EU languages."""
    index = dict(english_index())
    _build(_translated_names(), _OTHER_NAME, index)
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


@functools.cache
def _alphabet() -> str:
    return "".join(sorted({ch for key in full_index() for ch in key}))


def _edits(key: str) -> Iterator[str]:
    """Every string one letter away: missing, added, wrong, or two swapped."""
    alphabet = _alphabet()
    for i in range(len(key) + 1):
        if i < len(key):
            yield key[:i] + key[i + 1 :]
            if i + 1 < len(key):
                yield key[:i] + key[i + 1] + key[i] + key[i + 2 :]
            for ch in alphabet:
                yield key[:i] + ch + key[i + 1 :]
        for ch in alphabet:
            yield key[:i] + ch + key[i:]


# Typos are corrected only in names this long: shorter ones are too close to
# each other ("Iran"/"Iraq", "Mali"/"Malta").
MIN_TYPO_LETTERS = 5


def typo_matches(key: str) -> frozenset[str]:
    """The countries with a name one letter away from `key` (empty if too short)."""
    if sum(ch.isalpha() for ch in key) < MIN_TYPO_LETTERS:
        return frozenset()
    index = full_index()
    refused, ambiguous = refused_and_ambiguous()
    found: set[str] = set()
    for candidate in _edits(key):
        if (
            candidate == key
            or candidate in refused
            or candidate in ambiguous
            or sum(ch.isalpha() for ch in candidate) < MIN_TYPO_LETTERS
        ):
            continue
        match = index.get(candidate)
        if match is not None:
            found |= match.countries
    return frozenset(found)
