"""Benchmark country normalisation: accuracy and speed, clusterkit beside its peers.

Runs clusterkit (`normalise_country`), country_converter (``convert(name,
to="ISO2")``, its "not found" a refusal) and pycountry's exact
`countries.lookup` side by side in one process, so the figures are ratios
measured under the same load (pycountry's `search_fuzzy` too with ``--fuzzy``:
it is slow). The corpora, each chosen with ``--corpus``:

- ``cldr``: the CLDR territory names of every language clusterkit ships, read
  with Babel (``babel.Locale.parse(locale).territories``). The languages are the
  ``"languages"`` of ``src/clusterkit/data/country_names_cldr.json`` when that
  file has them, else `CLDR_LOCALES`. Rows: every territory whose code is an
  ISO 3166-1 alpha-2 code in pycountry, or ``XK``; the expected answer is that
  code. Accuracy per language and for all of them.
- ``codes``: the 20 name columns of ``bench/data/country-codes.csv`` (a copy of
  datasets/country-codes, see ``bench/data/README.md``): UNTERM short and
  formal names in six languages, the official names, the ISO 4217 currency
  country names and the CLDR display names; the expected answer is the row's
  ``ISO3166-1-Alpha-2``. Accuracy per column, then for all columns, the English
  ones, the French and Spanish ones, and the Arabic, Chinese and Russian ones.
- ``isocodes``: held out, the one corpus here that is not a build source of
  clusterkit's name table (CLDR and datasets/country-codes are). pycountry's
  iso-codes ISO 3166-1 translations (gettext domain ``iso3166-1`` under
  ``pycountry.LOCALES_DIR``) into the languages clusterkit ships that are not
  official EU languages: ``scripts/build_country_names.py`` reads these
  translations for the 24 EU languages only. Each CLDR locale id maps to its
  gettext locale (`ISOCODES_LOCALES`; a language without a translation file is
  left out with a note). Rows: every pycountry country's translated ``name``,
  ``common_name`` and ``official_name`` (those it has; a translation holding
  alternatives split at ``;``), unless the translation is the English original
  (untranslated); each distinct name once per language, expecting the
  country's alpha-2 code (a name the translation gives to several countries is
  left out with a note). Accuracy per language and for all of them.
- ``variants``: accuracy by category on the project's variant table
  (``tests/data/country_variants.csv``): a tool is right when it returns the
  expected country, or refuses a value that is not one country.
- ``negatives``: ``tests/data/country_negatives.csv``, values that name no
  country; the false-positive rate per category (the share of values a tool
  took for a country; lower is better).
- ``speed``: names per second on repeated names (a column where a few names
  recur) and on distinct names (every value new).
- ``startup``: in a fresh interpreter (median of several runs), ``import
  clusterkit``, the first call (lookup indexes included, with its answer) for
  English, German and French names, a World Bank spelling and a name only CLDR
  gives ("ドイツ", Japanese), and the memory the first call allocates
  (tracemalloc peak, MB).

``--misses N`` prints, after each accuracy table, up to N of clusterkit's
misses per language, column or category (wrong countries before refusals):
the input, the expected answer and what clusterkit said (a country, or its
error message).

Run it from the repository root in an environment with the peers installed::

    python -m pip install -e . -r bench/requirements.txt
    python bench/countries.py
    python bench/countries.py --quick --corpus cldr,codes --misses 20
"""

from __future__ import annotations

import argparse
import csv
import gettext
import importlib
import importlib.metadata
import json
import logging
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import clusterkit as ck

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ROOT / "tests" / "data" / "country_variants.csv"
NEGATIVES = ROOT / "tests" / "data" / "country_negatives.csv"
COUNTRY_CODES = ROOT / "bench" / "data" / "country-codes.csv"
SHIPPED_CLDR = ROOT / "src" / "clusterkit" / "data" / "country_names_cldr.json"

# The CLDR languages read when clusterkit ships no list of its own (Babel's spelling).
CLDR_LOCALES = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
    "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv", "ar", "zh",
    "zh_Hant", "ja", "ko", "ru", "uk", "tr", "nb", "nn", "is", "sq", "sr",
    "sr_Latn", "mk", "bs", "ka", "hy", "he",
)  # fmt: skip

# The 24 official EU languages (CLDR locale ids): the build reads iso-codes'
# translations for these (`EU_LANGUAGES` of scripts/build_country_names.py),
# so the held-out corpus takes the other shipped languages.
EU_LANGUAGES = frozenset(
    ("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu",
     "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv")
)  # fmt: skip
# CLDR locale id -> iso-codes gettext locale, where the two spell it differently;
# any other language is looked up under its own id ("sr" is Cyrillic in both).
ISOCODES_LOCALES = {
    "nb": "nb_NO",
    "sr-Latn": "sr@latin",
    "zh": "zh_CN",
    "zh-Hant": "zh_TW",
}
ISOCODES_DOMAIN = "iso3166-1"
ISOCODES_ATTRIBUTES = ("name", "common_name", "official_name")

UNTERM_LANGUAGES = ("English", "French", "Spanish", "Russian", "Chinese", "Arabic")
CODES_COLUMNS = (
    *(
        f"UNTERM {language} {form}"
        for language in UNTERM_LANGUAGES
        for form in ("Short", "Formal")
    ),
    *(f"official_name_{language}" for language in ("en", "fr", "es", "ru", "ar", "cn")),
    "ISO4217-currency_country_name",
    "CLDR display name",
)
CODES_SUMMARIES: dict[str, tuple[str, ...]] = {
    "all columns": CODES_COLUMNS,
    "English columns": (
        "UNTERM English Short",
        "UNTERM English Formal",
        "official_name_en",
        "ISO4217-currency_country_name",
        "CLDR display name",
    ),
    "French and Spanish columns": (
        "UNTERM French Short",
        "UNTERM French Formal",
        "UNTERM Spanish Short",
        "UNTERM Spanish Formal",
        "official_name_fr",
        "official_name_es",
    ),
    "Arabic, Chinese, Russian columns": (
        "UNTERM Arabic Short",
        "UNTERM Arabic Formal",
        "UNTERM Chinese Short",
        "UNTERM Chinese Formal",
        "UNTERM Russian Short",
        "UNTERM Russian Formal",
        "official_name_ar",
        "official_name_cn",
        "official_name_ru",
    ),
}
CORPORA = ("cldr", "codes", "isocodes", "variants", "negatives", "speed", "startup")
REFUSE = "!"  # the expected answer of a value that is not one country

Tool = Callable[[str], str | None]


class Case(NamedTuple):
    """One value to normalise and the answer expected."""

    group: str  # the language, column or category the value belongs to
    text: str
    expected: str  # an alpha-2 code; "!" or "?codes" when a refusal is due


@dataclass(frozen=True)
class Score:
    """One line of an accuracy table: right answers per tool over `rows` values."""

    label: str
    rows: int
    right: Mapping[str, int]

    def share(self, tool: str) -> float:
        """The share of values `tool` answered right."""
        return self.right[tool] / self.rows if self.rows else 0.0


@dataclass(frozen=True)
class Result:
    """A corpus scored: the table's lines, and clusterkit's misses with its answers."""

    scores: list[Score]
    misses: dict[str, list[tuple[Case, str | None]]]


def clusterkit_tool() -> Tool:
    """clusterkit: the ISO code, or None when it refuses (unknown or ambiguous)."""

    def convert(name: str) -> str | None:
        try:
            return ck.normalise_country(name).alpha2
        except ck.CountryError:
            return None

    return convert


def coco_tool() -> Tool:
    """country_converter's `convert(..., to="ISO2")`; "not found" and lists refuse.

    Its ``not_found=None`` does not refuse: it hands the input back unchanged
    ("Europe" for "Europe"), which would count as naming a country. A marker
    no code can equal tells its refusals apart instead.
    """
    coco: Any = importlib.import_module("country_converter")
    # It logs every value it cannot convert; the accuracy tables count those.
    logging.getLogger("country_converter").setLevel(logging.CRITICAL)
    converter = coco.CountryConverter()
    not_found = "<not found>"

    def convert(name: str) -> str | None:
        result = converter.convert(name, to="ISO2", not_found=not_found)
        return result if isinstance(result, str) and result != not_found else None

    return convert


def pycountry_lookup_tool() -> Tool:
    """Pycountry's exact `countries.lookup`."""
    pycountry: Any = importlib.import_module("pycountry")

    def convert(name: str) -> str | None:
        try:
            return str(pycountry.countries.lookup(name).alpha_2)
        except LookupError:
            return None

    return convert


def pycountry_fuzzy_tool() -> Tool:
    """Pycountry's `countries.search_fuzzy`, taking its first answer."""
    pycountry: Any = importlib.import_module("pycountry")

    def convert(name: str) -> str | None:
        try:
            return str(pycountry.countries.search_fuzzy(name)[0].alpha_2)
        except LookupError:
            return None

    return convert


TOOLS: dict[str, Callable[[], Tool]] = {
    "clusterkit": clusterkit_tool,
    "country_converter": coco_tool,
    "pycountry.lookup": pycountry_lookup_tool,
}
FUZZY_TOOLS: dict[str, Callable[[], Tool]] = {
    "pycountry.search_fuzzy": pycountry_fuzzy_tool,
}


def is_right(expected: str, answer: str | None) -> bool:
    """Whether a tool's answer is the expected country, or a refusal where one is due."""
    if expected == REFUSE or expected.startswith("?"):
        return answer is None
    return answer == expected


def score(
    tools: Mapping[str, Tool],
    cases: Sequence[Case],
    summaries: Mapping[str, Iterable[str]],
) -> Result:
    """Right answers per group (in order of first appearance), then per summary.

    `summaries` maps the label of a summary line to the groups it adds up.
    """
    right: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(tools, 0))
    total: dict[str, int] = defaultdict(int)
    misses: dict[str, list[tuple[Case, str | None]]] = defaultdict(list)
    for case in cases:
        total[case.group] += 1
        for name, tool in tools.items():
            answer = tool(case.text)
            hit = is_right(case.expected, answer)
            right[case.group][name] += hit
            if name == "clusterkit" and not hit:
                misses[case.group].append((case, answer))
    scores = [Score(group, total[group], right[group]) for group in total]
    for label, groups in summaries.items():
        members = [group for group in groups if group in total]
        scores.append(
            Score(
                label,
                sum(total[group] for group in members),
                {name: sum(right[group][name] for group in members) for name in tools},
            )
        )
    return Result(scores, dict(misses))


def cell(text: str) -> str:
    """`text` safe inside a Markdown table cell."""
    return text.replace("|", r"\|").replace("\n", " ")


def print_accuracy(
    header: str, tools: Sequence[str], result: Result, *, false_positives: bool = False
) -> None:
    """An accuracy table (or, for values that name no country, false-positive rates)."""
    print(f"| {header} | rows | " + " | ".join(tools) + " |")
    print("| --- | ---: |" + " ---: |" * len(tools))
    for line in result.scores:
        shares = (
            1 - line.share(name) if false_positives else line.share(name)
            for name in tools
        )
        cells = " | ".join(f"{share:.1%}" for share in shares)
        print(f"| {line.label} | {line.rows:,} | {cells} |")


def clusterkit_says(text: str) -> str:
    """What clusterkit answers for `text`: the country, or its error message."""
    try:
        country = ck.normalise_country(text)
    except ck.CountryError as error:
        return str(error)
    return f"{country.alpha2} ({country.name})"


def describe_expected(expected: str) -> str:
    """The expected answer for a person: the country's name, or the refusal due."""
    if expected == REFUSE:
        return "refusal"
    if expected.startswith("?"):
        return f"refusal (ambiguous: {expected[1:]})"
    try:
        return f"{expected} ({ck.normalise_country(expected).name})"
    except ck.CountryError:
        return expected


def print_misses(header: str, result: Result, limit: int) -> None:
    """Up to `limit` of clusterkit's misses per group, the groups in table order."""
    if limit <= 0:
        return
    rows = {line.label: line.rows for line in result.scores}
    print(f"\n### clusterkit's misses (up to {limit} per {header})")
    if not result.misses:
        print("\nNone.")
    for group, missed in result.misses.items():
        # Wrong countries first: they are worse than refusals.
        shown = sorted(missed, key=lambda miss: miss[1] is None)[:limit]
        wrong = sum(answer is not None for _, answer in missed)
        print(
            f"\n**{group}**: {len(missed):,} of {rows[group]:,} missed "
            f"({wrong:,} named a country, {len(missed) - wrong:,} refused)"
            + (f", first {len(shown)} shown" if len(shown) < len(missed) else "")
            + "\n"
        )
        print("| input | expected | clusterkit |")
        print("| --- | --- | --- |")
        for case, _ in shown:
            print(
                f"| {cell(case.text)} | {cell(describe_expected(case.expected))} "
                f"| {cell(clusterkit_says(case.text))} |"
            )


def cldr_locales() -> tuple[tuple[str, ...], str]:
    """The CLDR languages to score (Babel's spelling), and where the list comes from."""
    if SHIPPED_CLDR.is_file():
        shipped = json.loads(SHIPPED_CLDR.read_text(encoding="utf-8"))
        languages = shipped.get("languages") if isinstance(shipped, dict) else None
        if isinstance(languages, list):
            locales = tuple(str(language).replace("-", "_") for language in languages)
            return locales, f"the languages of {SHIPPED_CLDR.name}"
    return CLDR_LOCALES, "CLDR_LOCALES"


def load_cldr(locales: Sequence[str]) -> tuple[list[Case], list[str]]:
    """The CLDR names of `locales` for the alpha-2 codes of pycountry, and XK.

    Also returns a note for each locale Babel does not have (left out).
    """
    babel: Any = importlib.import_module("babel")
    pycountry: Any = importlib.import_module("pycountry")
    codes = {str(entry.alpha_2) for entry in pycountry.countries} | {"XK"}
    cases: list[Case] = []
    notes = []
    for locale in locales:
        try:
            territories: Mapping[str, str] = babel.Locale.parse(locale).territories
        except (ValueError, babel.UnknownLocaleError) as error:
            notes.append(f"Babel has no locale {locale!r} ({error}); left out.")
            continue
        cases += [
            Case(locale, name, code)
            for code, name in territories.items()
            if code in codes
        ]
    return cases, notes


def isocodes_languages() -> tuple[list[str], str]:
    """The shipped languages that are not EU languages (CLDR ids), and their origin."""
    locales, origin = cldr_locales()
    languages = [locale.replace("_", "-") for locale in locales]
    return [language for language in languages if language not in EU_LANGUAGES], origin


def load_isocodes(languages: Sequence[str]) -> tuple[list[Case], list[str]]:
    """The ISO 3166-1 translations pycountry ships for `languages`, expecting alpha-2.

    The group of a row is the CLDR locale id with the gettext locale read, as
    in "zh-Hant (zh_TW)". Also returns a note for each language without a
    translation file (left out) and for names given to several countries.
    """
    pycountry: Any = importlib.import_module("pycountry")
    locales_dir = Path(pycountry.LOCALES_DIR)
    cases: list[Case] = []
    notes = []
    for language in languages:
        locale = ISOCODES_LOCALES.get(language, language.replace("-", "_"))
        path = locales_dir / locale / "LC_MESSAGES" / f"{ISOCODES_DOMAIN}.mo"
        if not path.is_file():
            notes.append(
                f"pycountry has no {ISOCODES_DOMAIN} translation for {language!r} "
                f"(looked for {locale}); left out."
            )
            continue
        with path.open("rb") as handle:
            translation = gettext.GNUTranslations(handle)
        found: dict[str, set[str]] = defaultdict(set)
        for entry in pycountry.countries:
            for attribute in ISOCODES_ATTRIBUTES:
                english = getattr(entry, attribute, None)
                if not english:
                    continue
                # A few entries hold alternatives: "USA; Sambandsstatane" (nn).
                for part in translation.gettext(english).split(";"):
                    translated = part.strip()
                    if translated and translated != english:
                        found[translated].add(str(entry.alpha_2))
        group = f"{language} ({locale})"
        shared = sorted(name for name, codes in found.items() if len(codes) > 1)
        if shared:
            notes.append(
                f"{group}: left out {len(shared)} names given to several countries: "
                + "; ".join(
                    f"{name} ({', '.join(sorted(found[name]))})" for name in shared
                )
            )
        cases += [
            Case(group, name, codes.pop())
            for name, codes in found.items()
            if len(codes) == 1
        ]
    return cases, notes


def load_codes() -> list[Case]:
    """The name columns of datasets/country-codes, each cell expecting its row's code.

    Read with the csv module, so Namibia's "NA" stays a code; empty cells and
    rows without an alpha-2 code are left out.
    """
    with COUNTRY_CODES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Case(column, row[column].strip(), row["ISO3166-1-Alpha-2"])
        for column in CODES_COLUMNS
        for row in rows
        if row["ISO3166-1-Alpha-2"] and row[column].strip()
    ]


def load_variants() -> list[Case]:
    """The rows of the variant table, grouped by category (in alphabetical order)."""
    with VARIANTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cases = [Case(row["category"], row["input"], row["expected"]) for row in rows]
    return sorted(cases, key=lambda case: case.group)


def load_negatives() -> list[Case]:
    """The values of the negative table, each due a refusal, grouped by category."""
    with NEGATIVES.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    cases = [Case(row["category"], row["input"], REFUSE) for row in rows]
    return sorted(cases, key=lambda case: case.group)


def run_cldr(tools: Mapping[str, Tool], misses: int) -> None:
    """The CLDR table: accuracy per language."""
    locales, origin = cldr_locales()
    cases, notes = load_cldr(locales)
    result = score(tools, cases, {"all": locales})
    print(
        f"## Accuracy on {len(cases):,} CLDR territory names "
        f"({len(result.scores) - 1} languages, from {origin}; Babel)\n"
    )
    for note in notes:
        print(f"Note: {note}\n")
    print_accuracy("language", list(tools), result)
    print_misses("language", result, misses)


def run_codes(tools: Mapping[str, Tool], misses: int) -> None:
    """The datasets/country-codes table: accuracy per name column."""
    cases = load_codes()
    result = score(tools, cases, CODES_SUMMARIES)
    print(
        f"## Accuracy on {len(cases):,} names of datasets/country-codes "
        f"({len(CODES_COLUMNS)} columns, {COUNTRY_CODES.name})\n"
    )
    print_accuracy("column", list(tools), result)
    print_misses("column", result, misses)


def run_isocodes(tools: Mapping[str, Tool], misses: int) -> None:
    """The held-out iso-codes table: accuracy per non-EU shipped language."""
    languages, origin = isocodes_languages()
    cases, notes = load_isocodes(languages)
    groups = list(dict.fromkeys(case.group for case in cases))
    result = score(tools, cases, {"all": groups})
    version = importlib.metadata.version("pycountry")
    print(
        f"## Held-out accuracy on {len(cases):,} iso-codes ISO 3166-1 translations "
        "(not a build source of clusterkit's name table)\n"
    )
    print(
        f"The {len(groups)} shipped non-EU languages ({origin}), from the gettext "
        f"catalogues of pycountry {version}; clusterkit's build reads iso-codes "
        "for the EU languages only.\n"
    )
    for note in notes:
        print(f"Note: {note}\n")
    print_accuracy("language (gettext locale)", list(tools), result)
    print_misses("language", result, misses)


def run_variants(tools: Mapping[str, Tool], misses: int) -> None:
    """The variant table: accuracy per category."""
    cases = load_variants()
    result = score(tools, cases, {"all": {case.group for case in cases}})
    print(f"## Accuracy on {len(cases):,} variants ({VARIANTS.name})\n")
    print_accuracy("category", list(tools), result)
    print_misses("category", result, misses)


def run_negatives(tools: Mapping[str, Tool], misses: int) -> None:
    """The negative table: false-positive rate per category."""
    print(f"## False positives on values that name no country ({NEGATIVES.name})\n")
    if not NEGATIVES.is_file():
        print(f"Skipped: {NEGATIVES.relative_to(ROOT)} does not exist yet.")
        return
    cases = load_negatives()
    result = score(tools, cases, {"all": {case.group for case in cases}})
    print(
        f"Share of the {len(cases):,} values each tool took for a country "
        "(lower is better).\n"
    )
    print_accuracy("category", list(tools), result, false_positives=True)
    print_misses("category", result, misses)


def names_per_second(tool: Tool, names: Sequence[str], budget: float) -> float:
    """Calls per second over `names` in order, stopping after `budget` seconds."""
    done = 0
    start = time.perf_counter()
    for name in names:
        tool(name)
        done += 1
        if done % 500 == 0 and time.perf_counter() - start > budget:
            break
    return done / (time.perf_counter() - start)


def distinct_names(count: int) -> list[str]:
    """`count` different strings, each naming a country (new to every cache)."""
    pycountry: Any = importlib.import_module("pycountry")
    bases = [entry.name for entry in pycountry.countries]
    return [
        f"{bases[i % len(bases)]}{' ' * (i // len(bases) + 1)}" for i in range(count)
    ]


def repeated_names(count: int) -> list[str]:
    """A column of `count` values where 50 spellings recur."""
    spellings = ["Germany", "USA", "P.R. China", "Japan", "EL", "France", "Korea, Rep.",
                 "Canada", "UK", "Italy"] * 5  # fmt: skip
    spellings = [f"{name}{' ' * (i // 10)}" for i, name in enumerate(spellings)]
    return [spellings[i % len(spellings)] for i in range(count)]


def run_speed(tools: Mapping[str, Tool], budget: float) -> None:
    """Names per second, every tool in this process."""
    print("## Names per second (one process, side by side)\n")
    print("| input | " + " | ".join(tools) + " | clusterkit / best peer |")
    print("| --- |" + " ---: |" * (len(tools) + 1))
    for label, names in (
        ("repeated", repeated_names(400_000)),
        ("distinct", distinct_names(200_000)),
    ):
        speeds = {
            name: names_per_second(tool, names, budget) for name, tool in tools.items()
        }
        best_peer = max(speed for name, speed in speeds.items() if name != "clusterkit")
        cells = " | ".join(f"{speeds[name]:,.0f}" for name in tools)
        print(f"| {label} | {cells} | {speeds['clusterkit'] / best_peer:,.1f}x |")


def fresh_interpreter(code: str, runs: int) -> tuple[float, str]:
    """Run `code` in new interpreters: the median of the number it prints first.

    Also returns the rest of the last run's output (what the call answered).
    """
    values = []
    rest = ""
    for _ in range(runs):
        done = subprocess.run(  # noqa: S603 - a fixed command
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"the child interpreter failed:\n{done.stderr}")
        number, _, rest = done.stdout.strip().partition(" ")
        values.append(float(number))
    return statistics.median(values), rest


IMPORT = """
import time
start = time.perf_counter()
import clusterkit
print((time.perf_counter() - start) * 1000)
"""
# The first call's answer follows the number: the code, or "refused" on CountryError.
FIRST_CALL = """
import time, clusterkit
start = time.perf_counter()
try:
    answer = clusterkit.normalise_country({name!r}).alpha2
except clusterkit.CountryError:
    answer = "refused"
print((time.perf_counter() - start) * 1000, answer)
"""
FIRST_CALL_MEMORY = """
import tracemalloc, clusterkit
tracemalloc.start()
try:
    answer = clusterkit.normalise_country({name!r}).alpha2
except clusterkit.CountryError:
    answer = "refused"
print(tracemalloc.get_traced_memory()[1] / 2**20, answer)
"""


def run_startup(runs: int) -> None:
    """Import and first calls, each in a fresh interpreter."""
    print(f"## Fresh interpreter (median of {runs} runs)\n")
    print("| measure | answer | value |")
    print("| --- | --- | ---: |")
    took, _ = fresh_interpreter(IMPORT, runs)
    print(f"| import clusterkit | | {took:.0f} ms |")
    for name in ("Germany", "Deutschland", "Korea, Rep.", "Allemagne", "ドイツ"):
        took, answer = fresh_interpreter(FIRST_CALL.format(name=name), runs)
        print(f"| first call normalise_country({name!r}) | {answer} | {took:.0f} ms |")
    for name in ("Germany", "ドイツ"):
        peak, answer = fresh_interpreter(FIRST_CALL_MEMORY.format(name=name), runs)
        print(
            f"| first call normalise_country({name!r}), tracemalloc peak "
            f"| {answer} | {peak:.1f} MB |"
        )


def corpora(text: str) -> list[str]:
    """The `--corpus` value: a comma-separated list of `CORPORA`."""
    chosen = list(
        dict.fromkeys(name.strip() for name in text.split(",") if name.strip())
    )
    unknown = sorted(set(chosen) - set(CORPORA))
    if unknown or not chosen:
        message = f"choose among {','.join(CORPORA)}"
        raise argparse.ArgumentTypeError(
            f"unknown corpus {', '.join(unknown)}; {message}" if unknown else message
        )
    return chosen


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus",
        type=corpora,
        default=list(CORPORA),
        help=f"comma-separated, among {','.join(CORPORA)} (default: all)",
    )
    parser.add_argument("--quick", action="store_true", help="shorter timings")
    parser.add_argument(
        "--fuzzy", action="store_true", help="also pycountry.search_fuzzy (slow)"
    )
    parser.add_argument(
        "--misses",
        type=int,
        default=0,
        metavar="N",
        help="after each accuracy table, up to N of clusterkit's misses per group",
    )
    args = parser.parse_args(argv)
    budget, runs = (0.3, 3) if args.quick else (1.5, 7)

    makers = TOOLS | (FUZZY_TOOLS if args.fuzzy else {})
    tools = {name: make() for name, make in makers.items()}
    sections: dict[str, Callable[[], None]] = {
        "cldr": lambda: run_cldr(tools, args.misses),
        "codes": lambda: run_codes(tools, args.misses),
        "isocodes": lambda: run_isocodes(tools, args.misses),
        "variants": lambda: run_variants(tools, args.misses),
        "negatives": lambda: run_negatives(tools, args.misses),
        "speed": lambda: run_speed(tools, budget),
        "startup": lambda: run_startup(runs),
    }
    for number, name in enumerate(args.corpus):
        if number:
            print()
        sections[name]()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
