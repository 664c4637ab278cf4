"""Private: the key under which variant names of one organisation merge.

Published lists write one cluster many ways: "Optics Valley" and "OpticsValley",
"Plastiwin" and "PLASTIWIN", "BalticNet-PlasmaTec e.V." and "BalticNet
PlasmaTec". The key ignores case, accents, punctuation and spacing, and a legal
form at the end (e.V., z.s., asbl, GmbH, a.s., Ltd, S.A., …); within one country,
names with the same key are one organisation.
"""

from __future__ import annotations

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
    }
)  # fmt: skip
_DOTS = re.compile(r"[.\u00b7'\u2019]")
_WORDS = re.compile(r"[^\W_]+")
_MOST_ID = 64
_HASH = 8


def _words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _WORDS.findall(_DOTS.sub("", text))


def has_legal_form(name: str) -> bool:
    """Whether a name ends with a legal form ("Media Evolution AB")."""
    words = _words(name)
    return len(words) > 1 and words[-1] in LEGAL_FORMS


def organisation_key(name: str) -> str:
    """The key of an organisation's name: variant spellings of one name share it.

    Case, accents, punctuation and spacing are ignored, and so is a legal form at
    the end (e.V., z.s., asbl, GmbH, a.s., Ltd, S.A., …). `import_partnerships`
    merges the names of one country that share a key; the validator recognises
    a coordinator written as a cluster's name by it.

    Added in version 0.2.0.

    Examples:
        >>> organisation_key("Optics Valley") == organisation_key("OpticsValley")
        True
        >>> organisation_key("BalticNet-PlasmaTec e.V.")
        'balticnetplasmatec'
        >>> organisation_key("Nanoprogress z.s.")
        'nanoprogress'
    """
    words = _words(name)
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
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
