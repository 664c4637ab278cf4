"""Countries in the real world: the multilingual table, the grammar, match kinds, typos.

The behaviour documented in docs/reference/countries.md#country-names, one test
per reading, and the measured promises: no typo correction for the corpus of
non-country words beyond 1 %, none at all for demonyms.
"""

from __future__ import annotations

import contextlib
import csv
import json
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit.countries import CountryMatch, _names, match_country, normalise_country
from clusterkit.countries._keys import fold, name_keys, strip_name_article
from clusterkit.countries._names import languages, sovereign_of
from clusterkit.countries._typo import corrections, suggestions
from clusterkit.errors import AmbiguousCountryError, CountryError

DATA = Path(ck.__file__).parent / "data"
TABLE = json.loads((DATA / "country_names_cldr.json").read_text(encoding="utf-8"))
with (Path(__file__).parent / "data" / "country_negatives.csv").open(
    encoding="utf-8", newline=""
) as _negatives:
    NEGATIVES = list(csv.DictReader(_negatives))


def alpha2(value: str) -> str:
    """The code `value` is read as."""
    return normalise_country(value).alpha2


def kind(value: str) -> str:
    """How `value` is read."""
    return match_country(value).kind


# --- The multilingual table --------------------------------------------------------


def test_the_table_ships_every_promised_language() -> None:
    """The 24 EU languages and the 19 others the issue names, with sources."""
    shipped = set(languages())
    assert {"bg", "el", "ga", "mt", "hr", "en"} <= shipped
    assert {
        "ar", "zh", "zh-Hant", "ja", "ko", "ru", "uk", "tr", "nb", "nn", "is",
        "sq", "sr", "sr-Latn", "mk", "bs", "ka", "hy", "he",
    } <= shipped  # fmt: skip
    assert len(shipped) == 43
    assert any("CLDR 48" in source["name"] for source in TABLE["sources"])
    assert all(source["url"] and source["licence"] for source in TABLE["sources"])


@pytest.mark.parametrize("language", TABLE["languages"])
def test_every_shipped_key_is_folded_and_a_country(language: str) -> None:
    """Keys are stored folded (a change to `fold` needs a rebuild) and name known codes."""
    known = set(ck.countries.known_countries())
    for key, codes in TABLE["names"][language].items():
        assert fold(key) == key, (language, key)
        assert set([codes] if isinstance(codes, str) else codes) <= known


@pytest.mark.parametrize("language", TABLE["languages"])
def test_every_name_of_a_language_is_found(language: str) -> None:
    """Each shipped name gives its country, unless another reading outranks it.

    A key is outranked by an English name, a refused or ambiguous entry, or
    another language that gives it to another country ("Kongo"): at most 2 %.
    """
    names = TABLE["names"][language]
    wrong = []
    for key, code in names.items():
        if isinstance(code, str):
            try:
                found = alpha2(key)
            except CountryError:
                found = "!"
            if found != code:
                wrong.append((key, code, found))
    assert len(wrong) <= 0.02 * len(names), wrong


@pytest.mark.parametrize(
    ("value", "code", "language"),
    [
        ("ドイツ", "DE", "ja"),
        ("德国", "DE", "zh"),
        ("德國", "DE", "zh-Hant"),
        ("독일", "DE", "ko"),
        ("ألمانيا", "DE", "ar"),
        ("المانيا", "DE", "ar"),  # the hamza left out, as it often is
        ("Германия", "DE", None),  # Russian and Bulgarian write it alike
        ("Німеччина", "DE", "uk"),
        ("Almanya", "DE", "tr"),
        ("Þýskaland", "DE", "is"),
        ("Gjermani", "DE", "sq"),
        ("Немачка", "DE", "sr"),
        ("Nemačka", "DE", "sr-Latn"),
        ("Германија", "DE", "mk"),
        ("גרמניה", "DE", "he"),
        ("გერმანია", "DE", "ka"),
        ("Գերմանիա", "DE", "hy"),
        ("Tyrkland", "TR", "is"),
        ("Holandë", "NL", "sq"),
        ("Afganistán", "AF", None),
    ],
)
def test_names_in_every_script(value: str, code: str, language: str | None) -> None:
    """CLDR and UN names in many scripts, with the language when only one writes it so."""
    match = match_country(value)
    assert (match.country.alpha2, match.kind, match.language) == (
        code,
        "translation",
        language,
    )


def test_kana_voicing_is_kept() -> None:
    """Japanese voicing marks are part of the word: ドイツ is Germany, トイツ nothing."""
    assert fold("ドイツ") != fold("トイツ")
    with pytest.raises(CountryError):
        normalise_country("トイツ")


def test_a_name_two_languages_give_to_two_countries_is_ambiguous() -> None:
    """Norwegian Kongo is the DR Congo, most other languages' is the Republic."""
    with pytest.raises(AmbiguousCountryError) as caught:
        normalise_country("Kongo")
    assert caught.value.candidates == ("CD", "CG")


def test_sovereign_states_come_from_the_table() -> None:
    """Dependent territories know their state; independent ones have none."""
    assert (sovereign_of("HK"), sovereign_of("GL"), sovereign_of("PR")) == (
        "CN",
        "DK",
        "US",
    )
    assert sovereign_of("DE") is None


# --- Former names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Zaire", "CD"),
        ("Upper Volta", "BF"),
        ("Dahomey", "BJ"),
        ("New Hebrides", "VU"),
        ("Southern Rhodesia", "ZW"),
        ("German Democratic Republic", "DE"),
        ("Byelorussian SSR", "BY"),
        ("Gold Coast (British colony)", "!"),
        ("Nyasaland", "MW"),
        ("Kirghizia", "KG"),
    ],
)
def test_former_names(value: str, code: str) -> None:
    """ISO 3166-3 and curated former names give their one successor."""
    if code == "!":
        with pytest.raises(CountryError):
            normalise_country(value)
        return
    match = match_country(value)
    assert (match.country.alpha2, match.kind) == (code, "historic")


@pytest.mark.parametrize(
    ("value", "candidates"),
    [
        ("Czechoslovakia", ("CZ", "SK")),
        ("Gilbert and Ellice Islands", ("KI", "TV")),
        (
            "USSR",
            tuple(
                sorted(
                    [
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
                    ]
                )
            ),
        ),
        ("United Arab Republic", ("EG", "SY")),
    ],
)
def test_a_divided_state_stays_ambiguous(
    value: str, candidates: tuple[str, ...]
) -> None:
    """A state now split between several countries lists them all, never picks one."""
    with pytest.raises(AmbiguousCountryError) as caught:
        normalise_country(value)
    assert caught.value.candidates == candidates


# --- The grammar -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        # footnotes
        ("Kosovo*", "XK"),
        ("State of Palestine (the) *", "PS"),
        ("Germany [1]", "DE"),
        ("Germany (2019)", "DE"),
        ("France\u00b9", "FR"),
        ("France1", "FR"),
        # articles, leading and trailing, in several languages
        ("France (la)", "FR"),
        ("Afghanistan (l')", "AF"),
        ("Pays-Bas (les)", "NL"),
        ("Brasil (el)", "BR"),
        ("la République française", "FR"),
        ("l'Italie", "IT"),
        ("il-\u0120ermanja", "DE"),
        ("\u03b7 \u0395\u03bb\u03bb\u03ac\u03b4\u03b1", "GR"),
        ("Gambia, The", "GM"),
        ("THE GAMBIA", "GM"),  # in capitals, an article that is no code
        ("LE ROYAUME-UNI", "GB"),
        # inversions
        ("Korea (the Republic of)", "KR"),
        ("KOREA (THE REPUBLIC OF)", "KR"),
        ("Netherlands (Kingdom of the)", "NL"),
        ("Korea (South)", "KR"),
        # abbreviations
        ("Congo, Dem. Rep. of the", "CD"),
        ("Micronesia (Fed. States of)", "FM"),
        ("Cayman Is.", "KY"),
        ("Turks and Caicos Isds", "TC"),
        ("N. Macedonia", "MK"),
        ("Bosnia-Herz.", "BA"),
        # qualifiers that name no country
        ("Hong Kong SAR", "HK"),
        ("Kosovo (under UNSCR 1244/99)", "XK"),
        ("Georgia (country)", "GE"),
        ("Myanmar (Burma)", "MM"),
        # a qualifier naming the state the territory belongs to
        ("Guadeloupe (France)", "GP"),
        ("Hong Kong, China", "HK"),
        ("Puerto Rico (US)", "PR"),
        ("Aruba, Kingdom of the Netherlands", "AW"),
        ("Virgin Is. (UK)", "VG"),
        ("Saint Martin (Netherlands)", "SX"),
        # code and name together, agreeing
        ("DE - Germany", "DE"),
        ("Germany (DE)", "DE"),
        ("Germany [DEU]", "DE"),
        ("276 Germany", "DE"),
        ("DEU: Germany", "DE"),
        # formal designations
        ("the Republic of Italy", "IT"),
        ("Republic of Georgia", "GE"),
        ("Kingdom of Denmark", "DK"),
        # elision written with a space
        ("COTE D IVOIRE", "CI"),
        # designations in other languages, before or after the name
        ("Republikken Albania", "AL"),
        ("Lýðveldið Kúba", "CU"),
        ("Republika e Angolës", "!"),  # a genitive after the designation: not read
        ("Angola Cumhuriyeti", "AO"),
        ("앙골라 공화국", "AO"),
        ("安哥拉共和国", "AO"),
        ("جمهورية بنين", "BJ"),
        ("Королевство Бельгия", "BE"),
        # Arabic spellings that vary: a separate "and", ta marbuta, alef maqsura
        ("أنتيغوا و بربودا", "AG"),
        ("جمهوريه بنين", "BJ"),
    ],
)
def test_grammar_readings(value: str, code: str) -> None:
    """Every reading of the grammar, as documented."""
    if code == "!":
        with pytest.raises(CountryError):
            normalise_country(value)
    else:
        assert alpha2(value) == code


@pytest.mark.parametrize(
    "value",
    [
        "DE - France",
        "Germany (FR)",
        "Germany [FR]",
        "DE France",
        "Greenland (Norway)",
        "250 Germany",
        # an article that is also a code, in capitals: the case cannot tell
        "LA FRANCE",
        "IT-Germany",
    ],
)
def test_composites_that_disagree_are_refused(value: str) -> None:
    """A code and a name, or a territory and a state, that disagree: both are named."""
    with pytest.raises(CountryError, match="names two countries") as caught:
        normalise_country(value)
    assert not isinstance(caught.value, AmbiguousCountryError)


@pytest.mark.parametrize(
    "value",
    [
        "Georgia (US state)",  # a qualifier the grammar does not know is never dropped
        "Virgin Islands (Spain)",  # no candidate belongs to Spain
        "Salvadore",  # articles are not invented
    ],
)
def test_unknown_qualifiers_are_not_dropped(value: str) -> None:
    """Only qualifiers that name no country, or name the right one, are read past."""
    with pytest.raises(CountryError):
        normalise_country(value)


def test_an_ambiguous_rest_stays_ambiguous() -> None:
    """A formal designation dropped leaves "Korea": ambiguous, never a guess."""
    with pytest.raises(AmbiguousCountryError):
        normalise_country("Democratic Republic of Korea")
    with pytest.raises(AmbiguousCountryError):
        normalise_country("Republic of China")
    with pytest.raises(AmbiguousCountryError):
        normalise_country("Korea (the)")


def test_stored_name_keys() -> None:
    """A stored name is found inverted and without the UN's article too."""
    assert list(name_keys("Korea, Republic of")) == ["korea republic", "republic korea"]
    assert list(name_keys("Bolivia (Plurinational State of)")) == [
        "bolivia plurinational state",
        "plurinational state bolivia",
    ]
    assert set(name_keys("Bahamas (the)")) == {"bahamas"}
    assert strip_name_article("El Salvador") == "El Salvador"
    assert strip_name_article("el Reino de España", leading=True) == "Reino de España"


# --- How a value was read ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DE", "code"),
        ("deu", "code"),
        ("276", "code"),
        ("Germany", "name"),
        ("Federal Republic of Germany", "name"),
        ("Korea, Rep.", "alias"),
        ("Burma", "historic"),
        ("Deutschland", "translation"),
        ("Germny", "typo"),
    ],
)
def test_match_kinds(value: str, expected: str) -> None:
    """`match_country` tells how each kind of value was found."""
    assert kind(value) == expected


def test_a_country_is_its_own_code_match() -> None:
    """A `Country` passed in is a code match of itself."""
    germany = normalise_country("DE")
    assert match_country(germany) == CountryMatch("DE", germany, "code")
    assert not match_country(germany).is_guess
    assert match_country("Frnce").is_guess


def test_a_name_shared_by_languages_has_no_language() -> None:
    """A name French and Czech share ("Italie") names no language."""
    assert match_country("Italie").language is None
    assert match_country("Allemagne").language == "fr"


# --- Typos: corrected narrowly, suggested broadly ----------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Frnce", "FR"),  # a letter missing
        ("Itlay", "IT"),  # two swapped
        ("Croatai", "HR"),  # the last two swapped
        ("Canadaa", "CA"),  # the last letter doubled
        ("Germanny", "DE"),  # a letter doubled
        ("Gernany", "DE"),  # a neighbouring key
        ("Souht Africa", "ZA"),
    ],
)
def test_narrow_typos_are_corrected(value: str, code: str) -> None:
    """The four edits, inside a name, each corrected and flagged as a guess."""
    match = match_country(value)
    assert (match.country.alpha2, match.kind) == (code, "typo")


@pytest.mark.parametrize(
    ("value", "suggested"),
    [
        ("Gambit", ("GM",)),  # the last letter changed
        ("Guinean", ("GN",)),  # a letter added at the end: a demonym
        ("Frances", ("FR",)),  # a plural or a first name
        ("Franc", ("FR",)),  # the last letter missing: a currency
        ("Luxembourgh", ("LU",)),
        ("Russa", ("RU",)),  # an i missing before the final a: an adjective
        ("Stain", ("ES",)),  # five letters: only a missing or swapped letter
        ("alegría", ("DZ",)),  # accents: another language, typed with care
        ("Inda", ("IN",)),  # four letters: suggested, never corrected
        ("Belige", ("BE", "BZ")),  # as close to the Dutch België as to Belize
        ("Itsly", ("IT",)),  # five letters: a wrong letter is not corrected
        ("Germpny", ("DE",)),  # a wrong letter far from the right key
    ],
)
def test_other_near_misses_are_suggested_not_corrected(
    value: str, suggested: tuple[str, ...]
) -> None:
    """An unknown value near a country says "did you mean", and corrects nothing."""
    with pytest.raises(CountryError, match="did you mean") as caught:
        normalise_country(value)
    assert caught.value.suggestions == suggested


def test_typos_need_latin_letters() -> None:
    """Only plain ASCII letters are corrected; a key in another script is not."""
    assert corrections("Гермниа", fold("Гермниа")) == frozenset()
    assert corrections("Germny", "germny") == frozenset({"DE"})
    assert suggestions("xyz") == frozenset()


def test_no_corrections_of_far_values() -> None:
    """Two edits away is neither corrected nor suggested."""
    with pytest.raises(CountryError) as caught:
        normalise_country("Grmnyy")
    assert caught.value.suggestions == ()


@given(st.text(alphabet=string.ascii_letters + " .,()-'", max_size=24))
def test_any_text_is_a_country_or_a_country_error(text: str) -> None:
    """Never another exception; a typo guess is always ASCII and five letters or more."""
    try:
        match = match_country(text)
    except CountryError:
        return
    if match.is_guess:
        assert text.isascii()
        assert sum(ch.isalpha() for ch in text) >= 5


# --- Measured on a corpus nobody tuned it on ---------------------------------------


def false_positives(category: str) -> list[tuple[str, str]]:
    """The negatives of a category that are read as a country."""
    found = []
    for row in NEGATIVES:
        if row["category"] == category:
            with contextlib.suppress(CountryError):
                found.append((row["input"], alpha2(row["input"])))
    return found


def test_negatives_corpus_is_large() -> None:
    """The corpus holds thousands of one-edit words and over a hundred demonyms."""
    categories = {row["category"] for row in NEGATIVES}
    assert categories == {"one-edit-word", "demonym", "word"}
    assert sum(row["category"] == "one-edit-word" for row in NEGATIVES) > 3000
    assert sum(row["category"] == "demonym" for row in NEGATIVES) > 150


def test_demonyms_and_words_are_never_countries() -> None:
    """Not one demonym or everyday word is read as a country."""
    assert false_positives("demonym") == []
    assert false_positives("word") == []


def test_one_edit_words_are_rarely_countries() -> None:
    """At most 1 % of common words one edit from a name are taken for a country.

    The rest are mostly real misspellings ("Lichtenstein", "Philippins") or
    words the typo rule cannot tell from one ("hungry").
    """
    rows = [row for row in NEGATIVES if row["category"] == "one-edit-word"]
    found = false_positives("one-edit-word")
    assert len(found) <= 0.01 * len(rows), found


def test_many_abbreviations_are_expanded_within_a_bound() -> None:
    """A value of many abbreviations tries a bounded number of expansions, then fails."""
    with pytest.raises(CountryError):
        normalise_country("Rep. Dem. Fed. Is. Terr. Rep. Is.")


def test_a_name_with_two_commas_is_not_inverted() -> None:
    """Only a name with one comma is also stored inverted."""
    assert list(name_keys("Bonaire, Sint Eustatius, Saba")) == [
        "bonaire sint eustatius saba"
    ]


def test_the_better_kind_of_name_is_reported() -> None:
    """When one key is a former name and a curated alias of the same country, alias wins."""
    index: dict[str, _names.NameMatch] = {}
    _names._add(index, "burma", ["MM"], 0, "historic")
    _names._add(index, "burma", ["MM"], 0, "alias")
    _names._add(index, "burma", ["MM"], 0, "translation", language="fr")
    assert index["burma"] == _names.NameMatch(frozenset({"MM"}), 0, "alias")
