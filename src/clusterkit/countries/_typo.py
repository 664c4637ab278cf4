"""Private: the one typo `normalise_country` corrects, and the suggestions it makes.

A correction is applied without asking, so its rule is narrow enough that
ordinary words, demonyms and other languages' names are not corrected (measured
on `tests/data/country_negatives.csv`, see docs/reference/countries.md). A value
is corrected to a country when all of these hold:

- it is plain ASCII (a word with accents was typed with care, in another
  language: "alegría" is no typo of Algeria) and at least `MIN_TYPO_LETTERS`
  letters (spaces allowed); at exactly five, only a missing or swapped letter
  counts ("Frnce", "Spian"), since five-letter words one letter from a name
  abound ("slain", "chiba");
- it is one edit away from an *English* name (never a translation): a letter
  missing, a letter added, a letter wrong, or two neighbouring letters swapped;
- the first letter is untouched, and the last letter too, except a doubled last
  letter ("Canadaa") or the last two swapped ("Croatai"): an added or changed
  ending is how demonyms and plurals are made ("Guinean", "Gambit", "Frances");
  for the same reason an "i" missing before a final "a" is no typo ("russa",
  "serba" and "croata" are Romance adjectives of Russia, Serbia, Croatia);
- a wrong letter is next to the right one on a QWERTY, QWERTZ or AZERTY
  keyboard, and an added letter doubles or neighbours a letter beside it;
- no other country has a name, in any shipped language, one edit away by any
  of the four edits ("Belige" is not corrected to Belize, since it is also one
  swap from the Dutch "Belgie"; "Austraia" is as close to Austria as to
  Australia).

A value that is not corrected gets suggestions: every country whose name in any
shipped language is one edit away by any of the four edits.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterator

from clusterkit.countries._names import (
    NameMatch,
    english_index,
    full_index,
    refused_and_ambiguous,
)

__all__ = ["MIN_TYPO_LETTERS", "corrections", "suggestions"]

MIN_TYPO_LETTERS = 5
_MIN_SUGGESTION_LETTERS = 4
_LETTERS = string.ascii_lowercase
_KEYBOARDS = (
    ("qwertyuiop", "asdfghjkl", "zxcvbnm"),  # QWERTY
    ("qwertzuiop", "asdfghjkl", "yxcvbnm"),  # QWERTZ
    ("azertyuiop", "qsdfghjklm", "wxcvbn"),  # AZERTY
)


@functools.cache
def _neighbours() -> dict[str, frozenset[str]]:
    """Letters next to each letter on any of the keyboards (rows are staggered)."""
    near: dict[str, set[str]] = {letter: set() for letter in _LETTERS}
    for rows in _KEYBOARDS:
        for number, row in enumerate(rows):
            for i, letter in enumerate(row):
                beside = {row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)}
                if number:
                    above = rows[number - 1]
                    beside |= {above[j] for j in (i, i + 1) if j < len(above)}
                near[letter] |= beside
                for other in beside:
                    near[other].add(letter)
    return {letter: frozenset(close) for letter, close in near.items()}


def _is_latin(key: str) -> bool:
    return all(ch in _LETTERS or ch == " " for ch in key)


def _letters(key: str) -> int:
    return sum(ch != " " for ch in key)


def _typo_sources(typed: str) -> Iterator[str]:
    """The names `typed` can be a narrow typo of (see the module's rule)."""
    near = _neighbours()
    last = len(typed) - 1
    # Five letters leave little room: only a missing or swapped letter is a typo.
    short = _letters(typed) <= MIN_TYPO_LETTERS
    for i in range(1, len(typed)):
        here = typed[i]
        # A letter missing before typed[i]: the last letter is kept, and an "i"
        # before a final "a" is not missing ("russa", "serba" are adjectives).
        for letter in _LETTERS:
            if not (letter == "i" and i == last and here == "a"):
                yield typed[:i] + letter + typed[i:]
        if here == " ":
            continue
        # typed[i] and typed[i + 1] swapped.
        if i < last and typed[i + 1] != " ":
            yield typed[:i] + typed[i + 1] + here + typed[i + 2 :]
        if short:
            continue
        # typed[i] added: doubled, or next to a letter beside it.
        before, after = typed[i - 1], typed[i + 1] if i < last else ""
        if here in (before, after) or (
            i < last and (here in near.get(before, ()) or here in near.get(after, ()))
        ):
            yield typed[:i] + typed[i + 1 :]
        # typed[i] wrong: a neighbouring key, never the last letter.
        if i < last:
            for letter in near[here]:
                yield typed[:i] + letter + typed[i + 1 :]


def _edits(key: str) -> Iterator[str]:
    """Every string one edit away: a letter missing, added, wrong, or two swapped."""
    for i in range(len(key) + 1):
        if i < len(key):
            yield key[:i] + key[i + 1 :]
            if i + 1 < len(key):
                yield key[:i] + key[i + 1] + key[i] + key[i + 2 :]
            for letter in _LETTERS:
                yield key[:i] + letter + key[i + 1 :]
        for letter in _LETTERS:
            yield key[:i] + letter + key[i:]


def _countries(
    candidates: Iterator[str], index: dict[str, NameMatch], key: str
) -> frozenset[str]:
    refused, ambiguous = refused_and_ambiguous()
    found: set[str] = set()
    for candidate in candidates:
        if candidate == key or candidate in refused or candidate in ambiguous:
            continue
        match = index.get(candidate)
        if match is not None:
            found |= match.countries
    return frozenset(found)


@functools.cache
def _longest_name() -> int:
    """The length of the longest name in any shipped language."""
    return max(map(len, full_index()))


def _too_long(key: str) -> bool:
    """Longer than any name by more than one letter: no name is one edit away.

    Checked first, so that the edits of a long value (their number and length
    grow with it, their work with its square) are never made.
    """
    return len(key) > _longest_name() + 1


def corrections(text: str, key: str) -> frozenset[str]:
    """The countries `key` is a narrow typo of (empty when it is not one).

    When a name of another country, in any language, is one edit away by any
    edit, all of them are returned, so the caller sees that the typo is not one
    country's ("Belige" is as close to the Dutch "Belgie" as to Belize,
    "Iteland" to Iceland as to Ireland).
    """
    if (
        _too_long(key)
        or _letters(key) < MIN_TYPO_LETTERS
        or not _is_latin(key)
        or not text.isascii()
    ):
        return frozenset()
    found = _countries(_typo_sources(key), english_index(), key)
    # The narrow rule says which values are typos at all; whether the typo is
    # one country's is asked of every edit, since a wrong guess costs more
    # than a question ("Iteland" is no more Ireland's than Iceland's).
    return found | suggestions(key) if found else found


def suggestions(key: str) -> frozenset[str]:
    """The countries with a name in any language one edit from `key`."""
    if _too_long(key) or _letters(key) < _MIN_SUGGESTION_LETTERS:
        return frozenset()
    return _countries(_edits(key), full_index(), key)
