r"""Build `src/clusterkit/data/country_names_cldr.json`, the normaliser's multilingual name table.

Run from the repository root when a source changes, then commit the result::

    curl -O https://registry.npmjs.org/cldr-localenames-full/-/cldr-localenames-full-48.2.0.tgz
    tar xzf cldr-localenames-full-48.2.0.tgz      # unpacks to ./package
    python scripts/build_country_names.py --cldr package \\
        --country-codes path/to/datasets-country-codes/data/country-codes.csv

Sources, recorded in the file it writes:

- Unicode CLDR territory display names, with their short and variant forms, in
  the languages of `LANGUAGES`, from the `cldr-localenames-full` package (the
  Unicode Consortium's JSON edition of CLDR; Babel drops the alternative forms).
- UN M49 / UNTERM short and formal names in the six UN languages, from
  datasets/country-codes (public domain), whose `is_independent` column also
  gives the territories' sovereign states.
- pycountry's ISO 3166-1 translations into the official EU languages, and its
  ISO 3166-3 table of formerly used names.

Names are stored pre-folded (`clusterkit.countries._keys`), so nothing is folded
at run time; only territories that are ISO 3166-1 countries (and Kosovo) are kept.
"""

from __future__ import annotations

import argparse
import csv
import gettext
import importlib.metadata
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pycountry

from clusterkit.countries._keys import name_keys, strip_name_article

DATA = Path("src/clusterkit/data")
OUTPUT = DATA / "country_names_cldr.json"

# The 24 official EU languages, then the languages of the programme's usual
# partner and candidate countries and of the largest third-country markets.
LANGUAGES = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
    "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
    "ar", "bs", "he", "hy", "is", "ja", "ka", "ko", "mk", "nb", "nn", "ru", "sq",
    "sr", "sr-Latn", "tr", "uk", "zh", "zh-Hant",
)  # fmt: skip
EU_LANGUAGES = LANGUAGES[:24]

# datasets/country-codes columns: which language each holds, and whether its
# names start with an article ("la République française").
UN_COLUMNS = {
    f"UNTERM {name} {form}": (code, form == "Formal")
    for name, code in (
        ("English", "en"),
        ("French", "fr"),
        ("Spanish", "es"),
        ("Russian", "ru"),
        ("Chinese", "zh"),
        ("Arabic", "ar"),
    )
    for form in ("Short", "Formal")
} | {
    f"official_name_{column}": (code, False)
    for column, code in (
        ("en", "en"),
        ("fr", "fr"),
        ("es", "es"),
        ("ru", "ru"),
        ("cn", "zh"),
        ("ar", "ar"),
    )
}

# ISO 3166-3 codes end in the successor's alpha-2 code, or in HH (divided), XX
# (no single successor) or AA (the code went back to the same country). The
# successors of the divided ones, from the ISO 3166-3 remarks pycountry ships
# and https://www.iso.org/obp/ui/#search (formerly used codes):
DIVIDED = {
    "ANHH": ("AW", "BQ", "CW", "SX"),  # Netherlands Antilles
    "CSHH": ("CZ", "SK"),  # Czechoslovakia
    "CSXX": ("ME", "RS", "XK"),  # Serbia and Montenegro
    "FQHH": ("AQ", "TF"),  # French Southern and Antarctic Territories
    "GEHH": ("KI", "TV"),  # Gilbert and Ellice Islands
    "NTHH": ("IQ", "SA"),  # Neutral Zone
    "PCHH": ("FM", "MH", "MP", "PW"),  # Pacific Islands (trust territory)
    "SUHH": (
        "AM",
        "AZ",
        "BY",
        "EE",
        "GE",
        "KG",
        "KZ",
        "LT",
        "LV",
        "MD",
        "RU",
        "TJ",
        "TM",
        "UA",
        "UZ",
    ),  # USSR; fmt: skip
    "YUCS": ("BA", "HR", "ME", "MK", "RS", "SI", "XK"),  # Yugoslavia
}
_SOVEREIGN = re.compile(r"^(?:Territory|Territories|Part|Crown dependency|"
                        r"Commonwealth|Associated) (?:of|with) ([A-Z]{2})$")  # fmt: skip


def known_codes() -> set[str]:
    """ISO 3166-1 alpha-2 codes, and Kosovo's XK."""
    return {entry.alpha_2 for entry in pycountry.countries} | {"XK"}


def cldr_names(root: Path, locale: str) -> Iterator[tuple[str, str]]:
    """(name, code) for every territory name of `locale`, short and variant forms too."""
    path = root / "main" / locale / "territories.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    territories = document["main"][locale]["localeDisplayNames"]["territories"]
    for key, name in territories.items():
        yield name, key.partition("-alt-")[0]


def un_names(rows: list[dict[str, str]]) -> Iterator[tuple[str, str, str]]:
    """(language, name, code) for the UN names of datasets/country-codes."""
    for row in rows:
        code = row["ISO3166-1-Alpha-2"]
        for column, (language, formal) in UN_COLUMNS.items():
            if row[column]:
                yield language, strip_name_article(row[column], leading=formal), code


def translations(language: str) -> Iterator[tuple[str, str]]:
    """(name, code): pycountry's ISO 3166-1 names in `language`."""
    translation = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language]
    )
    for entry in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(entry, attribute, None)
            if value:
                yield translation.gettext(value), entry.alpha_2


def historic_names(codes: set[str]) -> Iterator[tuple[str, list[str]]]:
    """(name, successors) for ISO 3166-3's formerly used names."""
    for entry in pycountry.historic_countries:
        alpha4 = entry.alpha_4
        successors = DIVIDED.get(alpha4)
        if successors is None:
            tail = alpha4[2:]
            successors = (alpha4[:2],) if tail == "AA" else (tail,)
        kept = sorted(code for code in successors if code in codes)
        head, comma, tail = entry.name.partition(", ")
        # "Burma, Socialist Republic of the Union of" is "Burma" and the
        # inverted formal name; "Czechoslovakia, Czechoslovak Socialist
        # Republic" is two names.
        names = [entry.name, head]
        if comma and " " in tail and not tail.endswith((" of", " of the")):
            names.append(tail)
        for name in names:
            yield name, kept


def attested(key: str, codes: set[str], table: dict[str, set[str]]) -> set[str]:
    """Of the countries a translation key names, the one its CLDR or UN names attest.

    The one whose CLDR or UN name shares the key's first four letters
    ("Slovenská republika" is Slovakia's, not the Gambia's as one iso-codes
    translation says); none when that is not one.
    """
    stem = key.split(maxsplit=1)[0][:4]
    close = {
        code
        for code in codes
        if any(
            other.startswith(stem) and code in found for other, found in table.items()
        )
    }
    return close if len(close) == 1 else set()


def add(
    table: dict[str, set[str]], name: str, codes: list[str] | tuple[str, ...]
) -> None:
    """Index `name` under each of its keys."""
    for key in name_keys(name):
        if key:
            table[key].update(codes)


def compact(table: dict[str, set[str]]) -> dict[str, str | list[str]]:
    """Keys in order, each with one code or, when several countries share it, a list."""
    return {
        key: (codes.pop() if len(codes) == 1 else sorted(codes))
        for key, codes in sorted(table.items())
    }


def language_tables(
    cldr: Path, rows: list[dict[str, str]], codes: set[str]
) -> dict[str, dict[str, set[str]]]:
    """Per language: CLDR names, then UN names, then translations CLDR and the UN lack."""
    names: dict[str, dict[str, set[str]]] = {
        language: defaultdict(set) for language in LANGUAGES
    }
    for language in LANGUAGES:
        for name, code in cldr_names(cldr, language):
            if code in codes:
                add(names[language], name, [code])
    for language, name, code in un_names(rows):
        add(names[language], name, [code])
    for language in EU_LANGUAGES:
        if language != "en":
            add_translations(names[language], language)
    return names


def add_translations(table: dict[str, set[str]], language: str) -> None:
    """Add the keys of pycountry's translations that `table` lacks.

    Only those: a few iso-codes translations give two countries the same
    official name, and CLDR and the UN are the better sources.
    """
    extra: dict[str, set[str]] = defaultdict(set)
    for name, code in translations(language):
        add(extra, name, [code])
    for key, found in extra.items():
        kept = attested(key, found, table) if len(found) > 1 else found
        if kept and key not in table:
            table[key] = kept


def sovereign_states(rows: list[dict[str, str]]) -> dict[str, str]:
    """The state each dependent territory belongs to, from `is_independent`."""
    sovereigns = {}
    for row in rows:
        match = _SOVEREIGN.match(row["is_independent"])
        if match:
            sovereigns[row["ISO3166-1-Alpha-2"]] = match.group(1)
    return dict(sorted(sovereigns.items()))


def build(cldr: Path, country_codes: Path) -> dict[str, object]:
    """The document `country_names_cldr.json` holds."""
    codes = known_codes()
    with country_codes.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["ISO3166-1-Alpha-2"]]
    names = language_tables(cldr, rows, codes)
    historic: dict[str, set[str]] = defaultdict(set)
    for name, successors in historic_names(codes):
        add(historic, name, successors)
    cldr_version = json.loads((cldr / "package.json").read_text(encoding="utf-8"))
    return {
        # Every data file carries the release version of manifest.json.
        "version": json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))[
            "version"
        ],
        "generated_by": "scripts/build_country_names.py",
        "description": (
            "Country names in many languages, pre-folded as clusterkit compares "
            "them (clusterkit.countries._keys.fold), each with the ISO 3166-1 "
            "alpha-2 code it names, or a list when a key names several. 'names' "
            "holds, per CLDR locale, the CLDR territory names with their short and "
            "variant forms, the UN (UNTERM and M49) names for the six UN languages, "
            "and pycountry's ISO 3166-1 translations for the EU languages. "
            "'historic' holds ISO 3166-3's formerly used names with their "
            "successors. 'sovereigns' gives the state each dependent territory "
            "belongs to (datasets/country-codes, column is_independent). "
            "Generated: do not edit by hand."
        ),
        "sources": [
            {
                "name": f"Unicode CLDR {cldr_version['version']}, territory display names",
                "url": "https://github.com/unicode-org/cldr-json (npm: cldr-localenames-full)",
                "licence": "Unicode License v3",
            },
            {
                "name": "datasets/country-codes: UNTERM and UN M49 names, is_independent",
                "url": "https://github.com/datasets/country-codes",
                "licence": "ODC Public Domain Dedication and License",
            },
            {
                "name": f"pycountry {importlib.metadata.version('pycountry')}: "
                "ISO 3166-1 translations (iso-codes) and ISO 3166-3",
                "url": "https://github.com/pycountry/pycountry",
                "licence": "LGPL-2.1 (iso-codes data)",
            },
        ],
        "languages": list(LANGUAGES),
        "names": {language: compact(table) for language, table in names.items()},
        "historic": compact(historic),
        "sovereigns": sovereign_states(rows),
    }


def main() -> int:
    """Write the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cldr", type=Path, required=True, help="unpacked cldr-localenames-full"
    )
    parser.add_argument(
        "--country-codes", type=Path, required=True, help="country-codes.csv"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    document = build(args.cldr, args.country_codes)
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False)
    args.output.write_text(text + "\n", encoding="utf-8")
    names: dict[str, dict[str, object]] = document["names"]  # type: ignore[assignment]  # build's own shape
    total = sum(len(table) for table in names.values())
    print(f"{args.output}: {total} keys in {len(LANGUAGES)} languages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
