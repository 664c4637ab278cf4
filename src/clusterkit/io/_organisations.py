"""Private: the key under which variant names of one organisation merge.

Published lists write one cluster many ways: "Optics Valley" and "OpticsValley",
"Plastiwin" and "PLASTIWIN", "BalticNet-PlasmaTec e.V." and "BalticNet
PlasmaTec". The key ignores case, accents, punctuation and spacing, and a legal
form at the end (e.V., z.s., asbl, GmbH, a.s., Ltd, S.A., Sp. z o.o., GmbH & Co.
KG, …); within one country, names with the same key are one organisation. The
importer merges such names, and the validator's CK-DUP-001 reports them.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

__all__ = ["LEGAL_FORMS", "cluster_id", "has_legal_form", "organisation_key"]

# Legal forms as they end an organisation's name, dots and spaces removed:
# German, Czech, Slovak, Belgian, French, Spanish, Italian, Dutch, Nordic,
# Baltic, Polish, Hungarian, Slovenian, Croatian, Bulgarian, Romanian, Greek,
# Portuguese, British and Irish forms.
LEGAL_FORMS = frozenset(
    {
     "ev", "gmbh", "ggmbh", "eg", "ek", "ag", "kg", "ug", "mbh", "zs", "zsp", "sro",
     "as", "ao", "asbl", "vzw", "aisbl", "sa", "sas", "sarl", "scrl", "sprl", "sl",
     "slu", "scoop", "srl", "spa", "scarl", "scpa", "snc", "bv", "nv", "vof", "ab",
     "ry", "oy", "oyj", "aps", "asa", "ou", "mtu", "uab", "vsi", "sia", "biedriba",
     "spzoo", "kft", "zrt", "nonprofit", "doo", "dd", "ad", "ood", "eood",
     "eeig", "ltd", "limited", "plc", "llp", "cic", "clg", "inc", "llc", "lda", "crl",
     "ae", "ike", "amke",
     # Added for CK-DUP-001: forms of several words, and more countries'.
     "gmbhcokg", "agcokg", "cokg", "spk", "sc", "sk", "se", "bvba", "cvba", "sll",
     "ltda", "ehf", "hf", "bt", "dooel", "shpk", "kk", "sprlu", "eurl", "sasu",
     # In the Cyrillic and Greek letters they are registered in: Bulgarian,
     # Serbian and Macedonian; Greek.
     "ад", "оод", "еоод", "доо", "дооел", "αε", "ικε", "επε", "οε", "εε", "αμκε",
    }
)  # fmt: skip
# The most words a legal form is written in ("Sp. z o. o.": sp, z, o, o).
_FORM_WORDS = 4
# How a legal form may end (its last word is one of these): "oo", "zoo", "spzoo"…
_FORM_ENDINGS = frozenset(
    form[start:] for form in LEGAL_FORMS for start in range(len(form))
)
_DOTS = re.compile(r"[.\u00b7'\u2019]")
# The marks that are accents, taken off as case is: those of Latin, Greek and
# Cyrillic letters once decomposed, and the optional vowel points of Hebrew
# and Arabic. The vowel signs of Indic and other scripts are letters of their
# words ("कमल" and "कोमल" are two names), so they are kept.
_ACCENTS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
    "\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]"
)
_MOST_ID = 64
_HASH = 8


# Letters that Unicode does not decompose into a base letter and an accent.
_BASE_LETTERS = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "\u0131": "i",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
    }
)  # dotless i written as an escape: it looks like i


# ASCII text split as `_DOTS` and `_WORDS` split it, by one `translate`: dots
# and apostrophes dropped, every other character that is not a letter or a
# digit a space.
_ASCII_WORDS = str.maketrans(
    {
        code: None if chr(code) in ".'" else (chr(code) if chr(code).isalnum() else " ")
        for code in range(128)
    }
)


def _words(name: str) -> list[str]:
    text = name.casefold()
    # ASCII has no accents to take off: most names take the quick way.
    if text.isascii():
        return text.translate(_ASCII_WORDS).split()
    text = unicodedata.normalize("NFKD", text).translate(_BASE_LETTERS)
    return _word_pattern().findall(_DOTS.sub("", _ACCENTS.sub("", text)))


@functools.cache
def _word_pattern() -> re.Pattern[str]:
    """Letters, digits and the marks that are letters of their scripts' words.

    A regex's word class leaves the vowel signs of Devanagari or Thai out,
    which would split a word at each. The marks of the Basic Multilingual
    Plane, which holds the scripts names are written in, are listed once,
    when first needed.
    """
    marks = "".join(
        chr(code)
        for code in range(0x80, 0x10000)
        if unicodedata.category(chr(code)).startswith("M")
    )
    return re.compile(f"(?:[^\\W_]|[{re.escape(marks)}])+")


def has_legal_form(name: str) -> bool:
    """Whether a name ends with a legal form ("Media Evolution AB")."""
    words = _words(name)
    return len(words) > 1 and words[-1] in LEGAL_FORMS


def organisation_key(name: str) -> str:
    """The key under which variant names of one organisation are the same.

    The name in lower case, without accents, punctuation or spaces, and without
    the legal forms it ends with (`LEGAL_FORMS`, also when written in several
    words: "Sp. z o.o.", "GmbH & Co. KG"). A name that is nothing but a legal
    form keeps it ("AB" is "ab"). `import_partnerships` merges the names of
    one country that share a key; the validator recognises a coordinator
    written as a cluster's name, and the same organisation under two ids
    (CK-DUP-001), by it.

    Added in version 0.2.0.

    Args:
        name: An organisation's name.

    Returns:
        The key; within one country, names with the same key are taken to be
        one organisation.

    Examples:
        >>> organisation_key("Optics Valley") == organisation_key("OpticsValley")
        True
        >>> organisation_key("BalticNet-PlasmaTec e.V.")
        'balticnetplasmatec'
        >>> organisation_key("Nanoprogress z.s.")
        'nanoprogress'
        >>> organisation_key("Łódź Sensors Sp. z o.o.") == organisation_key("LODZ SENSORS")
        True
    """
    words = _words(name)
    # A last word that ends no legal form ends none written in several words
    # either: most names are looked at no further.
    while len(words) > 1 and words[-1] in _FORM_ENDINGS:
        form = next(
            (
                size
                for size in range(min(_FORM_WORDS, len(words) - 1), 0, -1)
                if "".join(words[-size:]) in LEGAL_FORMS
            ),
            0,
        )
        if not form:
            break
        del words[-form:]
    return "".join(words)


def cluster_id(country: str, key: str) -> str:
    """A stable cluster id: the country and the key, shortened with a hash if long.

    Examples:
        >>> cluster_id("DE", "balticnetplasmatec")
        'DE-balticnetplasmatec'
    """
    whole = f"{country}-{key}"
    if len(whole) <= _MOST_ID:
        return whole
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:_HASH]
    return f"{whole[: _MOST_ID - _HASH - 1]}-{digest}"
