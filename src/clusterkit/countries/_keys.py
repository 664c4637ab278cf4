"""Private: the comparison key of a country name, and the keys a stored name is found under.

A key is case-folded, without accents, apostrophes or dots, with other
punctuation as spaces, `&` as `and`, `st` as `saint`, and without the English
words `the`, `of` and `and` ("Congo, Democratic Republic of the" and "Democratic
Republic of the Congo" differ only in order). The same function folds the names
at build time (`scripts/build_country_names.py`) and the input at run time, so a
change here means regenerating `country_names_cldr.json` (a test checks that
every shipped key is already folded).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

__all__ = ["fold", "name_keys", "strip_name_article"]

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
        # Arabic spellings that vary in practice: alef maqsura and ya, ta
        # marbuta and ha are written for each other.
        "\u0649": "\u064a",
        "\u0629": "\u0647",
    }
)
# Japanese voicing marks change the word (ドイツ is not トイツ): kept, unlike accents.
_KEPT_MARKS = frozenset("\u3099\u309a")
_JOINERS = re.compile("['\u2019\u2018`\u00b4.\u02bc]")
_SEPARATORS = re.compile(r"[\W_]+")
_DROPPED = frozenset({"the", "of", "and"})
# Arabic "and" is written joined to the next word or apart ("أنتيغوا و باربودا").
_ARABIC_AND = "\u0648"


def _joined_and(words: list[str]) -> list[str]:
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] == _ARABIC_AND:
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def fold(text: str) -> str:
    """The comparison key of a name.

    Examples:
        >>> fold("  C\u00f4te d\u2019Ivoire ")
        'cote divoire'
        >>> fold("Gambia, The"), fold("St. Lucia"), fold("Bosnia & Herzegovina")
        ('gambia', 'saint lucia', 'bosnia herzegovina')
        >>> fold("U. S. A."), fold("Congo, Democratic Republic of the")
        ('usa', 'congo democratic republic')
    """
    text = text.casefold()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(_LETTERS)
        text = "".join(
            ch for ch in text if ch in _KEPT_MARKS or not unicodedata.combining(ch)
        )
    text = _JOINERS.sub("", text).replace("&", " and ")
    words = _SEPARATORS.sub(" ", text).split()
    if len(words) > 1 and all(len(word) == 1 for word in words):
        words = ["".join(words)]  # "U. S. A." is "usa"
    if _ARABIC_AND in words:
        words = _joined_and(words)
    return " ".join(
        "saint" if word == "st" else word for word in words if word not in _DROPPED
    )


# How the UN writes an article after a short name: "Afghanistan (l')",
# "Pays-Bas (les)", "Afganistán (el)", "Netherlands (the)".
_TRAILING_ARTICLE = re.compile(
    r"\s*[(,]\s*(?:the|l['\u2019]|la|le|les|el|los|las|lo|gli|il|i|o|a|os|as|"
    r"die|der|das|de|het)\s*\)?\s*$",
    re.IGNORECASE,
)
# How it writes one before a formal name: "la République française",
# "l'État de Palestine", "el Reino de España".
_LEADING_ARTICLE = re.compile(
    r"^(?:(?:the|la|le|les|el|los|las|lo|gli|il|die|der|das|het|o|a|os|as)\s+|"
    r"l['\u2019]\s*)",
    re.IGNORECASE,
)
_FOOTNOTE = re.compile(r"\s*[*\u2020\u2021]+\s*$")


def strip_name_article(name: str, *, leading: bool = False) -> str:
    """`name` without a footnote mark and the article the UN writes after it.

    With `leading`, an article before it goes too: only for names known to be
    written with one (the UN's formal names), since for others the article can
    be part of the name (El Salvador is not "Salvador").

    Examples:
        >>> strip_name_article("Afghanistan (l')"), strip_name_article("Pays-Bas (les)")
        ('Afghanistan', 'Pays-Bas')
        >>> strip_name_article("la République française", leading=True)
        'République française'
        >>> strip_name_article("State of Palestine (the) *")
        'State of Palestine'
    """
    name = _TRAILING_ARTICLE.sub("", _FOOTNOTE.sub("", name))
    return _LEADING_ARTICLE.sub("", name, count=1) if leading else name


def name_keys(name: str) -> Iterator[str]:
    """The keys a stored name is found under.

    Itself; with one comma or a closing bracket, inverted ("Korea, Republic of" is
    also "Republic of Korea", "Bolivia (Plurinational State of)" is also
    "Plurinational State of Bolivia"); and both again without a UN article.
    """
    for form in dict.fromkeys((name, strip_name_article(name))):
        yield fold(form)
        head, comma, tail = form.partition(",")
        if not comma:
            head, bracket, tail = form.partition("(")
            if not (bracket and tail.endswith(")") and "(" not in tail):
                continue
            tail = tail[:-1]
        if "," not in tail:
            yield fold(f"{tail} {head}")
