"""Build `tests/data/country_negatives.csv`: strings that are not a country.

Every row is a value a correct country normaliser must refuse. The table is an
evaluation corpus for the one-letter typo corrector of
`clusterkit.normalise_country`, so it is built without any of clusterkit's code:
the folding and the edit distance below are this script's own.

Categories (a string goes in the first that matches, in this order):

- ``one-edit-word``: common words from wordfreq (``top_n_list(lang, 50000)`` for
  en, fr, de, es, it, nl, pt and pl), alphabetic and at least four letters long,
  that are exactly one Damerau-Levenshtein edit (a letter inserted, deleted or
  substituted, or two adjacent letters swapped) away from a country name once both
  are folded, and are not themselves a country name nor an ISO alpha-3 code. Also
  left out: the Polish and German case forms of a country's own name
  (`INFLECTED_NAMES`: "Francji", "Deutschlands") and former or colloquial English
  names (`FORMER_AND_COLLOQUIAL_NAMES`: "Siam"), which name a country.
- ``demonym``: English demonyms and adjectival forms of countries (`DEMONYMS`).
- ``word``: everyday non-country values of spreadsheet country columns
  (`EVERYDAY_WORDS`), minus those the variant table already refuses.

The country names are, folded:

- pycountry's English ``name``, ``common_name`` and ``official_name`` of every
  ``pycountry.countries`` entry;
- their translations in pycountry's gettext catalogues (domain ``iso3166-1``) into
  the official EU languages (`EU_LANGUAGES`);
- the Unicode CLDR territory names of the Latin-script locales in
  `CLDR_LOCALES`, including the ``-alt-short`` and ``-alt-variant`` forms, for the
  two-letter codes that are a pycountry alpha-2 code or XK (Kosovo).

The CLDR names come from the npm package ``cldr-localenames-full`` 48.2.0 (the
Unicode CLDR JSON data), read from ``<DIR>/main/<locale>/territories.json`` under
the key path ``main.<locale>.localeDisplayNames.territories``. Fetch and unpack it
with::

    curl -O https://registry.npmjs.org/cldr-localenames-full/-/cldr-localenames-full-48.2.0.tgz
    mkdir -p /tmp/cldr && tar -xzf cldr-localenames-full-48.2.0.tgz -C /tmp/cldr

which gives the default ``--cldr /tmp/cldr/package``. Run from the repository
root::

    python scripts/build_country_negatives.py
"""

from __future__ import annotations

import argparse
import csv
import gettext
import hashlib
import importlib
import importlib.metadata
import json
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "tests" / "data" / "country_negatives.csv"
VARIANTS = ROOT / "tests" / "data" / "country_variants.csv"
DEFAULT_CLDR = Path("/tmp/cldr/package")  # noqa: S108 - where the docstring unpacks it

WORDFREQ_LANGUAGES = ("en", "fr", "de", "es", "it", "nl", "pt", "pl")
WORDFREQ_TOP = 50_000
MIN_WORD_LETTERS = 4

# The official EU languages other than English, as pycountry's catalogues name them.
EU_LANGUAGES = (
    "bg",
    "cs",
    "da",
    "de",
    "el",
    "es",
    "et",
    "fi",
    "fr",
    "ga",
    "hr",
    "hu",
    "it",
    "lt",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "sk",
    "sl",
    "sv",
)
# The CLDR locales whose territory names are compared. Bulgarian (bg) and Greek (el)
# are not written in the Latin script, so they are left out of the CLDR names (their
# pycountry translations are still read); every other locale here is Latin-script.
CLDR_LOCALES = tuple(
    locale
    for locale in (
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "ga",
        "hr",
        "hu",
        "it",
        "lt",
        "lv",
        "mt",
        "nl",
        "pl",
        "pt",
        "ro",
        "sk",
        "sl",
        "sv",
        "nb",
        "nn",
        "is",
        "sq",
        "sr-Latn",
        "bs",
        "tr",
    )
    if locale not in {"bg", "el"}
)
CLDR_ALT_SUFFIXES = ("-alt-short", "-alt-variant")

DEMONYM_SOURCE = "https://en.wikipedia.org/wiki/List_of_adjectival_and_demonymic_forms_for_countries_and_nations"
WORD_SOURCE = "clusterkit maintainers: everyday non-country values"

# English demonyms and adjectives of countries and territories, as listed on
# DEMONYM_SOURCE. Those that are themselves a country name are dropped when built.
DEMONYMS = (
    "Afghan",
    "Albanian",
    "Algerian",
    "American",
    "Andorran",
    "Angolan",
    "Anguillan",
    "Antiguan",
    "Argentine",
    "Argentinian",
    "Armenian",
    "Aruban",
    "Australian",
    "Austrian",
    "Azerbaijani",
    "Bahamian",
    "Bahraini",
    "Bangladeshi",
    "Barbadian",
    "Barbudan",
    "Basotho",
    "Belarusian",
    "Belgian",
    "Belizean",
    "Beninese",
    "Bermudian",
    "Bhutanese",
    "Bissau-Guinean",
    "Bolivian",
    "Bosnian",
    "Botswanan",
    "Brazilian",
    "British",
    "Bruneian",
    "Bulgarian",
    "Burkinabé",
    "Burmese",
    "Burundian",
    "Cabo Verdean",
    "Cambodian",
    "Cameroonian",
    "Canadian",
    "Cape Verdean",
    "Caymanian",
    "Central African",
    "Chadian",
    "Chilean",
    "Chinese",
    "Colombian",
    "Comoran",
    "Congolese",
    "Costa Rican",
    "Croatian",
    "Cuban",
    "Curaçaoan",
    "Cypriot",
    "Czech",
    "Danish",
    "Djiboutian",
    "Dominican",
    "Dutch",
    "Ecuadorian",
    "Egyptian",
    "Emirati",
    "Equatoguinean",
    "Equatorial Guinean",
    "Eritrean",
    "Estonian",
    "Ethiopian",
    "Falkland Islander",
    "Faroese",
    "Fijian",
    "Filipino",
    "Finnish",
    "French",
    "Gabonese",
    "Gambian",
    "Georgian",
    "German",
    "Ghanaian",
    "Gibraltarian",
    "Greek",
    "Greenlandic",
    "Grenadian",
    "Guatemalan",
    "Guinean",
    "Guyanese",
    "Haitian",
    "Hellenic",
    "Herzegovinian",
    "Honduran",
    "Hong Konger",
    "Hungarian",
    "I-Kiribati",
    "Icelandic",
    "Indian",
    "Indonesian",
    "Iranian",
    "Iraqi",
    "Irish",
    "Israeli",
    "Italian",
    "Ivorian",
    "Jamaican",
    "Japanese",
    "Jordanian",
    "Kazakh",
    "Kazakhstani",
    "Kenyan",
    "Kittitian",
    "Korean",
    "Kosovar",
    "Kuwaiti",
    "Kyrgyz",
    "Kyrgyzstani",
    "Lao",
    "Laotian",
    "Latvian",
    "Lebanese",
    "Liberian",
    "Libyan",
    "Liechtensteiner",
    "Lithuanian",
    "Luxembourgish",
    "Macanese",
    "Macedonian",
    "Malagasy",
    "Malawian",
    "Malaysian",
    "Maldivian",
    "Malian",
    "Maltese",
    "Manx",
    "Marshallese",
    "Mauritanian",
    "Mauritian",
    "Mexican",
    "Micronesian",
    "Moldovan",
    "Monacan",
    "Monégasque",
    "Mongolian",
    "Montenegrin",
    "Montserratian",
    "Moroccan",
    "Mosotho",
    "Motswana",
    "Mozambican",
    "Namibian",
    "Nauruan",
    "Nepalese",
    "Nepali",
    "Nevisian",
    "New Zealander",
    "Ni-Vanuatu",
    "Nicaraguan",
    "Nigerian",
    "Nigerien",
    "North Korean",
    "North Macedonian",
    "Norwegian",
    "Omani",
    "Pakistani",
    "Palauan",
    "Palestinian",
    "Panamanian",
    "Papua New Guinean",
    "Papuan",
    "Paraguayan",
    "Peruvian",
    "Philippine",
    "Polish",
    "Portuguese",
    "Puerto Rican",
    "Qatari",
    "Romanian",
    "Russian",
    "Rwandan",
    "Saint Lucian",
    "Salvadoran",
    "Sammarinese",
    "Samoan",
    "Saudi",
    "Saudi Arabian",
    "Senegalese",
    "Serbian",
    "Seychellois",
    "Sierra Leonean",
    "Singaporean",
    "Slovak",
    "Slovene",
    "Slovenian",
    "Solomon Islander",
    "Somali",
    "South African",
    "South Korean",
    "South Sudanese",
    "Spanish",
    "Sri Lankan",
    "Sudanese",
    "Surinamese",
    "Swazi",
    "Swedish",
    "Swiss",
    "Syrian",
    "Taiwanese",
    "Tajik",
    "Tajikistani",
    "Tanzanian",
    "Thai",
    "Timorese",
    "Tobagonian",
    "Togolese",
    "Tongan",
    "Trinidadian",
    "Tunisian",
    "Turkish",
    "Turkmen",
    "Tuvaluan",
    "Ugandan",
    "Ukrainian",
    "Uruguayan",
    "Uzbek",
    "Uzbekistani",
    "Vanuatuan",
    "Venezuelan",
    "Vietnamese",
    "Vincentian",
    "Yemeni",
    "Zambian",
    "Zimbabwean",
)

# Values seen in or next to spreadsheet country columns that name no country.
# Those that the variant table already refuses are dropped when built.
EVERYDAY_WORDS = (
    "Abroad",
    "Address",
    "All EU countries",
    "As above",
    "Average",
    "Branch office",
    "Brazilian",
    "Chinese",
    "City",
    "Confidential",
    "Country",
    "Country of origin",
    "Cross-border",
    "Default",
    "Ditto",
    "Domestic",
    "Elsewhere",
    "EU member state",
    "Europe-wide",
    "Example",
    "Export",
    "Francs",
    "Gambit",
    "Germane",
    "Global markets",
    "Grand total",
    "Head office",
    "Headquarters",
    "Home country",
    "Host country",
    "Hybrid",
    "Idem",
    "Import",
    "International",
    "Local",
    "Location",
    "Member State",
    "Mixed",
    "Multiple",
    "Multiple countries",
    "National",
    "Nationality",
    "Non-EU country",
    "Not disclosed",
    "Not specified",
    "Online",
    "Overseas",
    "Pan-European",
    "Partner country",
    "Pending",
    "Please select",
    "Regional",
    "Remote",
    "Same as above",
    "See above",
    "See comments",
    "Select country",
    "Several countries",
    "Spanish",
    "Stain",
    "Subsidiary",
    "Subtotal",
    "Target market",
    "Test",
    "Third country",
    "Total",
    "Transnational",
    "Unspecified",
    "Various",
    "Various countries",
    "Virtual",
    "Worldwide",
)

# Case forms of a country's own name in the language of the word list that has
# them: they name the country ("Deutschlands" is "Germany's", "Francji" is
# "of France"), so a normaliser that accepts them is not wrong, and they are left
# out. Polish genitive, locative and accusative forms:
INFLECTED_NAMES_PL = (
    "afganistanu",
    "argentynie",
    "egiptem",
    "ukrainie",
    "albanii",
    "algierii",
    "argentyny",
    "armenii",
    "australii",
    "austrii",
    "austrię",
    "azerbejdżanu",
    "bahrajnu",
    "bangladeszu",
    "belgii",
    "białorusi",
    "boliwii",
    "brazylii",
    "brazylię",
    "bułgarii",
    "chorwacji",
    "cypru",
    "czadu",
    "danii",
    "dominikany",
    "egiptu",
    "ekwadoru",
    "erytrei",
    "estonii",
    "etiopii",
    "filipin",
    "finlandii",
    "francji",
    "francję",
    "gambii",
    "ghany",
    "grecji",
    "grecję",
    "gruzji",
    "gwatemali",
    "gwinei",
    "hiszpanii",
    "hiszpanię",
    "holandii",
    "hondurasu",
    "hongkongu",
    "indii",
    "indonezji",
    "iraku",
    "iranu",
    "irlandii",
    "islandii",
    "izraelu",
    "jamajki",
    "japonii",
    "japonię",
    "jemenu",
    "jordanii",
    "kambodży",
    "kamerunu",
    "kanady",
    "kataru",
    "kazachstanu",
    "kenii",
    "kirgistanu",
    "kolumbii",
    "komór",
    "konga",
    "kongu",
    "kosowa",
    "kostaryki",
    "kuwejtu",
    "laosu",
    "liberii",
    "libii",
    "litwy",
    "litwę",
    "luksemburgu",
    "madagaskaru",
    "malezji",
    "maroku",
    "mauretanii",
    "meksyku",
    "mołdawii",
    "mozambiku",
    "namibii",
    "nepalu",
    "nigerii",
    "nikaragui",
    "norwegii",
    "pakistanu",
    "palestyny",
    "panami",
    "panamy",
    "paragwaju",
    "polskę",
    "portugalii",
    "rosji",
    "rosję",
    "rumunii",
    "rumunię",
    "rwandy",
    "salwadoru",
    "senegalu",
    "serbii",
    "singapuru",
    "somalii",
    "sudanu",
    "syrii",
    "szwajcarii",
    "szwecji",
    "słowacji",
    "słowenii",
    "tadżykistanu",
    "tajlandii",
    "tajwanu",
    "tanzanii",
    "tunezji",
    "turcji",
    "turcję",
    "turkmenistanu",
    "ugandy",
    "ukrainy",
    "urugwaju",
    "uzbekistanu",
    "watykanu",
    "wenezueli",
    "wietnamu",
    "włoch",
    "zambii",
    "łotwy",
)
# German genitive forms (and the dative plural "Niederlanden"):
INFLECTED_NAMES_DE = (
    "afghanistans",
    "argentiniens",
    "australiens",
    "belgiens",
    "brasiliens",
    "deutschlands",
    "dänemarks",
    "finnlands",
    "frankreichs",
    "griechenlands",
    "indiens",
    "irans",
    "irlands",
    "israels",
    "italiens",
    "kanadas",
    "luxemburgs",
    "mexikos",
    "niederlanden",
    "nordkoreas",
    "norwegens",
    "palästinas",
    "polens",
    "portugals",
    "rumäniens",
    "russlands",
    "schwedens",
    "serbiens",
    "spaniens",
    "syriens",
    "südafrikas",
    "thailands",
    "ungarns",
    "venezuelas",
    "ägyptens",
    "österreichs",
)
INFLECTED_NAMES = frozenset(INFLECTED_NAMES_PL + INFLECTED_NAMES_DE)

_APOSTROPHES_AND_DOTS = {"'", "\u2019", "\u02bc", "`", "\u00b4", "."}


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

# Slurs in the frequency lists are kept out of the corpus; listed by SHA-256 so
# that this file does not spell them.
OFFENSIVE_SHA256 = frozenset(
    {"120f6e5b4ea32f65bda68452fcfaaef06b0136e1d0e4a6f60bc3771fa0936dd6"}
)


def is_offensive(word: str) -> bool:
    """Whether `word` is a slur left out of the corpus."""
    return hashlib.sha256(word.encode("utf-8")).hexdigest() in OFFENSIVE_SHA256


def fold(text: str) -> str:
    """Casefold, strip accents, drop apostrophes and dots, other punctuation to spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold()).translate(_LETTERS)
    kept: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) or ch in _APOSTROPHES_AND_DOTS:
            continue
        kept.append(ch if ch.isalnum() or ch.isspace() else " ")
    return " ".join("".join(kept).split())


# Former and colloquial English names of countries (as listed on
# https://en.wikipedia.org/wiki/List_of_alternative_country_names): not in the
# name sets above, but names of a country all the same, so never a negative
# ("Siam" is one edit from "Sam", Irish for the United States).
FORMER_AND_COLLOQUIAL_NAMES = frozenset(
    fold(name)
    for name in (
        "Abyssinia",
        "Basutoland",
        "Bechuanaland",
        "Britain",
        "Burma",
        "Byelorussia",
        "Ceylon",
        "Dahomey",
        "Formosa",
        "Holland",
        "Kampuchea",
        "Kirghizia",
        "Moldavia",
        "Nyasaland",
        "Persia",
        "Rhodesia",
        "Siam",
        "Swaziland",
        "Tanganyika",
        "Turkmenia",
        "Zaire",
    )
)


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance with adjacent swaps (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def deletions(key: str) -> Iterator[str]:
    """The key itself and every string one letter shorter."""
    yield key
    for i in range(len(key)):
        yield key[:i] + key[i + 1 :]


Names = dict[str, set[str]]  # folded name -> where it comes from (language codes)


def pycountry_names(pycountry: Any) -> Names:
    """English names of every country and their EU-language translations."""
    names: Names = defaultdict(set)
    english: list[str] = [
        value
        for entry in pycountry.countries
        for attribute in ("name", "common_name", "official_name")
        if (value := getattr(entry, attribute, None))
    ]
    for value in english:
        names[fold(value)].add("en")
    for language in EU_LANGUAGES:
        translation = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
        )
        for value in english:
            names[fold(translation.gettext(value))].add(language)
    return names


def cldr_names(cldr: Path, codes: set[str]) -> Names:
    """CLDR territory names (with short and variant forms) of the given codes."""
    names: Names = defaultdict(set)
    for locale in CLDR_LOCALES:
        path = cldr / "main" / locale / "territories.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        territories = data["main"][locale]["localeDisplayNames"]["territories"]
        for key, value in territories.items():
            code, _, alt = key.partition("-alt-")
            if code in codes and (not alt or key.endswith(CLDR_ALT_SUFFIXES)):
                names[fold(value)].add(locale)
    return names


def merge(*sources: Names) -> Names:
    """One name table from several."""
    merged: Names = defaultdict(set)
    for source in sources:
        for name, origins in source.items():
            merged[name] |= origins
    merged.pop("", None)
    return merged


def deletion_index(names: Iterable[str]) -> dict[str, set[str]]:
    """Each name under itself and under each of its one-letter deletions."""
    index: dict[str, set[str]] = defaultdict(set)
    for name in names:
        for key in deletions(name):
            index[key].add(name)
    return index


def near_names(key: str, index: dict[str, set[str]]) -> list[str]:
    """The names exactly one Damerau-Levenshtein edit away from `key`."""
    candidates: set[str] = set()
    for probe in deletions(key):
        candidates |= index.get(probe, set())
    return sorted(name for name in candidates if edit_distance(key, name) == 1)


def one_edit_words(
    wordfreq: Any, names: Names, refuse: set[str]
) -> dict[str, tuple[str, str]]:
    """Common words one edit from a country name: word -> (folded word, source)."""
    version = importlib.metadata.version("wordfreq")
    index = deletion_index(names)
    languages_of: dict[str, list[str]] = defaultdict(list)
    for language in WORDFREQ_LANGUAGES:
        for word in wordfreq.top_n_list(language, WORDFREQ_TOP):
            if word.isalpha() and len(word) >= MIN_WORD_LETTERS:
                languages_of[word].append(language)
    found: dict[str, tuple[str, str]] = {}
    for word, languages in languages_of.items():
        key = fold(word)
        if (
            key in names
            or key in refuse
            or key in FORMER_AND_COLLOQUIAL_NAMES
            or word in INFLECTED_NAMES
            or is_offensive(word)
        ):
            continue
        near = near_names(key, index)
        if not near:
            continue
        nearby = ", ".join(
            f"'{name}' ({' '.join(sorted(names[name]))})" for name in near
        )
        source = (
            f"wordfreq {version} top {WORDFREQ_TOP} {' '.join(languages)}; "
            f"one edit from {nearby}"
        )
        found[word] = (key, source)
    return found


def variant_negatives(path: Path) -> set[str]:
    """Folded inputs that the variant table already lists as refused."""
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            fold(row["input"])
            for row in csv.DictReader(handle)
            if row["category"] == "negative"
        }


def build(cldr: Path) -> list[tuple[str, str, str]]:
    """Every row of the table, sorted by category then input."""
    pycountry: Any = importlib.import_module("pycountry")
    wordfreq: Any = importlib.import_module("wordfreq")
    codes = {entry.alpha_2 for entry in pycountry.countries} | {"XK"}
    names = merge(pycountry_names(pycountry), cldr_names(cldr, codes))
    alpha3 = {entry.alpha_3.casefold() for entry in pycountry.countries}

    rows: list[tuple[str, str, str]] = []
    taken: set[str] = set()  # folded inputs already in an earlier category
    for word, (key, source) in one_edit_words(wordfreq, names, alpha3).items():
        rows.append((word, "one-edit-word", source))
        taken.add(key)
    for demonym in DEMONYMS:
        key = fold(demonym)
        if key not in names and key not in alpha3 and key not in taken:
            rows.append((demonym, "demonym", DEMONYM_SOURCE))
            taken.add(key)
    already_refused = variant_negatives(VARIANTS)
    for word in EVERYDAY_WORDS:
        key = fold(word)
        if (
            key not in names
            and key not in alpha3
            and key not in taken
            and key not in already_refused
        ):
            rows.append((word, "word", WORD_SOURCE))
            taken.add(key)
    return sorted(set(rows), key=lambda row: (row[1], row[0]))


def main(argv: Sequence[str] | None = None) -> int:
    """Write the table and print how many rows each category has."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cldr",
        type=Path,
        default=DEFAULT_CLDR,
        metavar="DIR",
        help="the unpacked cldr-localenames-full package (default: %(default)s)",
    )
    parser.add_argument("--output", type=Path, default=OUTPUT, metavar="CSV")
    arguments = parser.parse_args(argv)
    rows = build(arguments.cldr)
    with arguments.output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("input", "category", "source"))
        writer.writerows(rows)
    counts: dict[str, int] = defaultdict(int)
    for _, category, _ in rows:
        counts[category] += 1
    for category, count in sorted(counts.items()):
        sys.stdout.write(f"{category}: {count}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
