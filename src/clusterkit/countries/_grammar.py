"""Private: the normalisation grammar, the other readings of a value whose exact key misses.

Each reading is deterministic and documented in docs/reference/countries.md:

1. **footnotes** dropped: a trailing `*`, `†`, `‡`, superscript digit, `[a]`,
   `(3)`, `[2019]` or `(2019)`;
2. **articles** dropped: one leading article of a shipped language ("la France",
   "l'Italie", "il-Ġermanja", "η Ελλάδα") or a trailing one as the UN writes it
   ("France (la)", "Gambia, The");
3. **inversions**: "Name, Qualifier" and "Name (Qualifier)" read as "Qualifier
   Name" ("Korea, Rep." is "Rep. Korea");
4. **abbreviations** expanded word by word ("Rep." republic, "Dem." democratic,
   "Is." islands, "Fed." federal or federated, "Sts." states, "N." north);
5. **qualifiers** that name no country dropped from the end ("Hong Kong SAR",
   "Saint Martin (French part)", "Kosovo under UNSCR 1244/99"); one that names
   a country ("Myanmar (Burma)") is read by `splits`, never dropped;
6. **formal designations** dropped from the start ("Republic of Italy", "State
   of Libya", "Republikken Albania", "Lýðveldið Kúba") or the end ("Angola
   Cumhuriyeti", "安哥拉共和国"); the rest must still name one country, so
   "Democratic Republic of Korea" is ambiguous, never a guess.

`splits` gives the composite readings that need the index: "Name (Qualifier)",
"Name, Qualifier", "Name - Qualifier" and "CODE - Name", whose parts must agree.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from clusterkit.countries._keys import fold, strip_name_article

__all__ = [
    "ARTICLES",
    "CODE_ARTICLES",
    "MALTESE_ARTICLES",
    "QUALIFIERS",
    "key_readings",
    "splits",
]

# Note letters, note numbers and years only: "[DE]" and "(276)" are codes, read by `splits`.
_FOOTNOTE = re.compile(
    r"(?:\s*(?:[*\u2020\u2021\u00b9\u00b2\u00b3\u2070-\u2079]+"
    r"|[\[(]\s*(?:\d{1,2}|(?:19|20)\d\d|[a-z]|note \d{1,3})\s*[\])]|\^\d+)"
    r"|(?<=[^\W\d_])\d{1,2})\s*$"
)
ARTICLES = (
    "the", "le", "la", "les", "el", "los", "las", "lo", "il", "gli", "o", "a", "os",
    "as", "der", "die", "das", "de", "het", "an", "na",
    "\u03b7", "\u03bf", "\u03c4\u03bf", "\u03bf\u03b9", "\u03c4\u03b1",
)  # fmt: skip
"""The leading articles dropped as words."""
MALTESE_ARTICLES = (
    "il", "l", "ir", "is", "it", "ix", "i\u017c", "iz", "in", "ik", "id", "ic", "i\u010b",
)  # fmt: skip
"""Maltese articles, joined to the name by a hyphen ("il-\u0120ermanja")."""
_LEADING_ARTICLE = re.compile(
    rf"^(?P<article>{'|'.join(ARTICLES)})\s+(?=[^\W\d_])"
    rf"|^(?:l['\u2019]\s*|(?P<joined>{'|'.join(MALTESE_ARTICLES)})-)(?=[^\W\d_])",
    re.IGNORECASE,
)
# The articles that are also country codes (ISO or EU). An article in capitals
# is read as the code ("DE France", "IT-Germany"), and so is one in a value all
# in capitals, whose case cannot tell "DE FRANCE" from "de France": a code that
# names another country than the rest makes the value two countries.
CODE_ARTICLES = frozenset(
    ("as", "de", "el", "id", "il", "in", "ir", "is", "it", "la", "na")
)


def _without_article(text: str) -> str:
    """`text` without a leading article; "DE France", "DE FRANCE" keep their code."""
    match = _LEADING_ARTICLE.match(text)
    if match is None:
        return text
    article = match["article"] or match["joined"]
    if (
        article
        and len(article) > 1
        and article.isupper()
        and (not text.isupper() or article.casefold() in CODE_ARTICLES)
    ):
        return text
    return text[match.end() :]


# Abbreviations as agencies write them, by folded word: every expansion is tried.
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "rep": ("republic", "republique", "republica", "repubblica", "republik"),
    "repub": ("republic",),
    "dem": ("democratic", "democratique", "democratica"),
    "democ": ("democratic",),
    "fed": ("federal", "federated", "federation", "federative"),
    "sts": ("states",),
    "is": ("islands", "island", "isles"),
    "isl": ("islands", "island"),
    "isls": ("islands",),
    "isds": ("islands",),
    "terr": ("territory", "territories"),
    "utd": ("united",),
    "pdr": ("peoples democratic republic",),
    "dpr": ("democratic peoples republic",),
    "ste": ("sainte",),
    "herz": ("herzegovina",),
    "rp": ("republic",),
    "sta": ("santa",),
    "n": ("north",),
    "s": ("south",),
    "e": ("east",),
    "w": ("west",),
}
_MOST_EXPANSIONS = 64

QUALIFIERS = frozenset(
    fold(phrase)
    for phrase in (
        "SAR",
        "SAR China",
        "SAR of China",
        "SAR, PRC",
        "Special Administrative Region",
        "Special Administrative Region of China",
        "Special Administrative Region of the People's Republic of China",
        "French part",
        "Dutch part",
        "Overseas France",
        "Overseas territory",
        "Overseas department",
        "Overseas collectivity",
        "British Overseas Territory",
        "Crown dependency",
        "unincorporated territory",
        "under UNSCR 1244",
        "under UNSCR 1244/99",
        "under UNSCR 1244/1999",
        "UNSCR 1244",
        "UNSCR 1244/99",
        "UNSCR 1244/1999",
        "country",
    )
)
"""Trailing words that qualify a name without naming a country."""

# Names agencies write after another name of the same country: "Myanmar
# (Burma)", "Falkland Islands (Malvinas)", "Cocos (Keeling) Islands". They name
# a country, so they are never dropped: `splits` reads them as a qualifier that
# must name the rest's country ("Kosovo (Serbia)" and "Burma, Thailand" name
# two). Each is read as the name it stands for, which the index knows.
_COUNTRY_QUALIFIERS = {
    fold(phrase): name
    for phrase, name in (
        ("Burma", "Burma"),
        ("Islas Malvinas", "Islas Malvinas"),
        ("Malvinas", "Falkland Islands"),
        ("Keeling", "Cocos Islands"),
        ("Keeling Islands", "Cocos Islands"),
        ("Kosovo*", "Kosovo"),
    )
}
_LONGEST_COUNTRY_QUALIFIER = max(len(key.split()) for key in _COUNTRY_QUALIFIERS)


def _texts(text: str) -> Iterator[str]:
    """The value without footnotes, then without articles, then inverted."""
    bare = text
    while True:
        shorter = _FOOTNOTE.sub("", bare).strip()
        if shorter == bare or not shorter:
            break
        bare = shorter
    forms = list(dict.fromkeys((text, bare, strip_name_article(bare))))
    for form in list(forms):
        without = _without_article(form)
        if without != form:
            forms.append(without)
    for form in forms:
        yield form
        inverted = _inverted(form)
        if inverted:
            yield inverted


def _inverted(text: str) -> str | None:
    head, comma, tail = text.partition(",")
    if comma and "," not in tail:
        return f"{tail} {head}"
    head, bracket, tail = text.partition("(")
    if bracket and tail.endswith(")") and "(" not in tail:
        return f"{tail[:-1]} {head}"
    return None


def _expansions(key: str) -> Iterator[str]:
    words = key.split()
    if not any(word in _ABBREVIATIONS for word in words):
        return
    choices = [_ABBREVIATIONS.get(word, (word,)) for word in words]
    for count, combination in enumerate(itertools.product(*choices)):
        if count == _MOST_EXPANSIONS:
            return
        yield " ".join(combination)


# A formal designation before a short name: "Republic of Italy", "State of
# Libya", "Kingdom of Denmark" (the folded key has lost "of" and "the").
_FORMAL = re.compile(
    r"^(?:(?:federal|federative|democratic|islamic|socialist|peoples|co operative|"
    r"cooperative|plurinational|bolivarian|arab|independent|sovereign) )*"
    r"(?:republic|kingdom|state|principality|grand duchy|commonwealth|sultanate) (?=\S)"
)


def _without_formal(key: str) -> str | None:
    shorter = _FORMAL.sub("", key, count=1)
    return shorter if shorter != key else None


# The same designations in the other shipped languages, folded, before the
# name ("Republikken Albania", "Lýðveldið Kúba", "Република Србија",
# "جمهورية بنين") or after it ("Angola Cumhuriyeti", "앙골라 공화국",
# "安哥拉共和国"). Only where the name stays in its own form: a designation
# followed by a genitive ("Republika e Shqipërisë") is not read.
_DESIGNATIONS_BEFORE = tuple(
    fold(word)
    for word in (
        "Republika", "Republikken", "Republiken", "Republik", "République",
        "República", "Repubblica", "Republiek", "Lýðveldið", "Respublika",
        "Република", "Республика", "Республіка", "הרפובליקה", "جمهورية",
        "Kongeriket", "Kongeriget", "Konungariket", "Koninkrijk", "Königreich",
        "Royaume", "Reino", "Regno", "Kraljevina", "Краљевина", "Кралство",
        "Королевство", "Konungsríkið", "مملكة", "Staten", "Estado", "État",
        "Stato", "Staat", "Государство", "Држава", "Държава", "دولة",
        "Fyrstendømmet", "Fyrstedømmet", "Furstendømmet", "Fürstentum",
        "Principauté", "Principado", "Principato", "Kneževina", "Кнежевина",
        "Княжество", "إمارة", "Federacija", "Федерация", "Федерација",
        "Storhertugdømmet", "Großherzogtum", "Grand-Duché", "Gran Ducado",
        "Granducato", "Великое Герцогство", "Sultanatet", "Султанат", "سلطنة",
    )
)  # fmt: skip
_CONNECTORS = frozenset(
    fold(word)
    for word in ("de", "del", "du", "des", "d'", "di", "della", "da", "do", "van",
                 "der", "e", "te", "i", "na", "od", "של", "на", "tal", "ta")
)  # fmt: skip
_DESIGNATIONS_AFTER = tuple(
    fold(word)
    for word in (
        "Cumhuriyeti", "Kralli\u011fi", "Devleti", "Vabariik", "공화국", "왕국",
        "연방", "共和国", "共和國", "王国", "王國", "联邦", "聯邦",
    )
)  # fmt: skip


def _without_designation(key: str) -> Iterator[str]:
    for word in _DESIGNATIONS_BEFORE:
        if key.startswith(word + " "):
            rest = key[len(word) + 1 :]
            first, _, after = rest.partition(" ")
            yield after if first in _CONNECTORS and after else rest
    for word in _DESIGNATIONS_AFTER:
        if key.endswith(word) and len(key) > len(word):
            yield key[: -len(word)].rstrip()


def _without_qualifier(key: str) -> str | None:
    words = key.split()
    for cut in range(1, len(words)):
        if " ".join(words[cut:]) in QUALIFIERS:
            return " ".join(words[:cut])
    return None


# An elided article typed with a space instead of its apostrophe: "Cote d Ivoire".
_ELISION = re.compile(r"\b([dl]) (?=\w)")


def key_readings(text: str) -> Iterator[str]:
    """The keys to try for `text`, most literal first (its own key included)."""
    seen: set[str] = set()
    for form in _texts(text):
        key = fold(form)
        joined = _ELISION.sub(r"\1", key)
        for candidate in (key, joined, *_expansions(key)):
            readings = (
                candidate,
                _without_qualifier(candidate),
                _without_formal(candidate),
                *_without_designation(candidate),
            )
            for reading in readings:
                # The first key is yielded even when empty: "-" folds to "",
                # which the refused names list as a placeholder.
                if (
                    reading is not None
                    and reading not in seen
                    and (reading or not seen)
                ):
                    seen.add(reading)
                    yield reading


_SPLIT = re.compile(
    r"^(?P<head>.+?)\s*(?:\((?P<bracket>[^()]+)\)|\[(?P<square>[^\[\]]+)\])\s*$"
)
_SEPARATED = re.compile(
    r"^(?P<head>.+?)\s*(?:,|\s[-\u2013\u2014/|:]\s?|:)\s*(?P<tail>.+)$"
)
_LEADING_CODE = re.compile(
    r"^(?P<code>[A-Za-z]{2,3}|\d{1,3})\s*(?:[-\u2013\u2014:/|]\s*|\s)(?P<name>\S.*)$"
)


def splits(text: str) -> Iterator[tuple[str, str]]:
    """(name, qualifier) pairs a composite value can be read as, qualifier last.

    "Guadeloupe (France)", "Hong Kong, China", "Germany - DE", "DE - Germany",
    "DEU: Germany", "276 Germany", "Myanmar/Burma": the caller accepts a pair
    when the name is one country and the qualifier is that country or the state
    it belongs to.
    """
    for name, qualifier in _parts(text):
        yield _named(name), _named(qualifier)


def _parts(text: str) -> Iterator[tuple[str, str]]:
    match = _SPLIT.match(text)
    if match:
        yield match["head"], match["bracket"] or match["square"]
    match = _SEPARATED.match(text)
    if match:
        yield match["head"], match["tail"]
    match = _LEADING_CODE.match(text)
    if match:
        yield match["name"], match["code"]
    # A name of a country after the rest without brackets: "Myanmar Burma".
    words = fold(text).split()
    for cut in range(max(1, len(words) - _LONGEST_COUNTRY_QUALIFIER), len(words)):
        if " ".join(words[cut:]) in _COUNTRY_QUALIFIERS:
            yield " ".join(words[:cut]), " ".join(words[cut:])


def _named(part: str) -> str:
    """A country qualifier as the name it stands for ("Malvinas": the Falklands)."""
    return _COUNTRY_QUALIFIERS.get(fold(part), part)
