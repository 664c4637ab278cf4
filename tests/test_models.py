"""The record models of DESIGN.md §2."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import pickle
import subprocess
import sys
import warnings
from decimal import Decimal
from typing import Annotated, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, Field, TypeAdapter, ValidationError
from pydantic.warnings import UnsupportedFieldAttributeWarning

import clusterkit as ck
from clusterkit import testing
from clusterkit.models import (
    COUNTERS,
    TABLES,
    classify_enterprise,
    counter_defaults,
    possible_size_classes,
)
from clusterkit.values import Period

MINIMAL: dict[type[BaseModel], dict[str, Any]] = {
    ck.Generation: {
        "id": "g",
        "name": "G",
        "family": "ESCP-4i",
        "programme": "COSME",
        "start": "2016-01-01",
        "end": "2017-12-31",
    },
    ck.Cluster: {"id": "C1", "name": "Cluster", "country": "DE"},
    ck.SME: {"id": "S1", "name": "SME", "country": "FR"},
    ck.Partnership: {"id": "P1", "acronym": "P", "name": "P", "generation": "g"},
    ck.ThirdCountryTarget: {"partnership": "P1", "country": "US"},
    ck.ActivityRecord: {
        "id": "A1",
        "partnership": "P1",
        "type": "webinar",
        "start": "2018-01-01",
    },
}


def errors_of(model: type[BaseModel], **changes: Any) -> list[tuple[str, str]]:
    """The (field, error type) pairs of validating the minimal record with changes."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate({**MINIMAL[model], **changes})
    return [
        (str(e["loc"][0]) if e["loc"] else "", e["type"]) for e in caught.value.errors()
    ]


def errors_of_input(model: type[BaseModel], data: object) -> list[tuple[str, str]]:
    """The (field, error type) pairs of validating `data` as a `model`."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [
        (str(e["loc"][0]) if e["loc"] else "", e["type"]) for e in caught.value.errors()
    ]


@pytest.mark.parametrize("model", list(MINIMAL))
def test_records_are_frozen_strict_and_stripped(model: type[BaseModel]) -> None:
    """Records refuse unknown fields and assignment, and strip their strings."""
    record = model.model_validate(
        {
            **MINIMAL[model],
            "partnership" if model is ck.ThirdCountryTarget else "id": "  X1  ",
        }
    )
    key = "partnership" if model is ck.ThirdCountryTarget else "id"
    assert getattr(record, key) == "X1"
    with pytest.raises(ValidationError):
        setattr(record, key, "other")
    assert errors_of(model, colour="blue") == [("colour", "extra_forbidden")]
    assert hash(record) == hash(model.model_validate(record.model_dump()))


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("", "string_too_short"),
        ("x" * 65, "string_too_long"),
        ("a;b", "string_pattern_mismatch"),
        ("a\nb", "string_pattern_mismatch"),
    ],
)
def test_identifier_rules(value: str, kind: str) -> None:
    """Ids are 1 to 64 characters, without ';' or line breaks."""
    assert errors_of(ck.Cluster, id=value) == [("id", kind)]


def test_numbers_from_spreadsheets_become_text() -> None:
    """An id or strand typed as a number in a spreadsheet is kept as text."""
    partnership = ck.Partnership.model_validate(
        {**MINIMAL[ck.Partnership], "id": 1001, "strand": 2}
    )
    assert (partnership.id, partnership.strand) == ("1001", "2")


def test_country_fields_normalise() -> None:
    """Country fields accept codes and names and store ISO alpha-2."""
    assert ck.Cluster(id="C", name="N", country="EL").country == "GR"
    assert ck.SME(id="S", name="N", country="deu").country == "DE"
    activity = ck.ActivityRecord.model_validate(
        {**MINIMAL[ck.ActivityRecord], "target_country": "Japan", "host_country": "840"}
    )
    assert (activity.target_country, activity.host_country) == ("JP", "US")
    assert errors_of(ck.Cluster, country="Atlantis") == [("country", "country_unknown")]
    assert ck.Cluster(id="C", name="N", country=276).country == "DE"  # a numeric cell
    assert errors_of(ck.Cluster, country=True) == [("country", "country_unknown")]


class TestActivityCounters:
    """Counter defaults by activity type (DESIGN.md §2.2)."""

    @pytest.mark.parametrize(
        ("kind", "counted"),
        [
            ("c2c_meeting", "c2c_meetings"),
            ("mou_signature", "mous_signed"),
            ("collaboration_project", "collaboration_projects"),
        ],
    )
    def test_one_row_counts_one(self, kind: str, counted: str) -> None:
        """A row of a counting type counts one of its kind and nothing else."""
        activity = ck.ActivityRecord.model_validate(
            {**MINIMAL[ck.ActivityRecord], "type": kind}
        )
        counters = {name: getattr(activity, name) for name in ck.models.COUNTERS}
        assert counters == {name: int(name == counted) for name in ck.models.COUNTERS}

    @pytest.mark.parametrize(
        "kind",
        [
            t
            for t in ck.ActivityType
            if t.value not in {"c2c_meeting", "mou_signature", "collaboration_project"}
        ],
    )
    def test_other_types_count_nothing(self, kind: ck.ActivityType) -> None:
        """Every other type defaults all counters to zero."""
        activity = ck.ActivityRecord(
            id="A", partnership="P", type=kind, start=dt.date(2018, 1, 1)
        )
        assert counter_defaults(kind) == dict.fromkeys(ck.models.COUNTERS, 0)
        assert (
            activity.b2b_meetings,
            activity.c2c_meetings,
            activity.mous_signed,
            activity.collaboration_projects,
        ) == (0, 0, 0, 0)

    def test_not_a_record(self) -> None:
        """Input that is not a mapping is a validation error, not a crash."""
        assert errors_of_input(ck.ActivityRecord, "A1,P1") == [("", "model_type")]

    def test_all_counters_given(self) -> None:
        """With every counter given, no default applies."""
        given = dict.fromkeys(COUNTERS, 2)
        activity = ck.ActivityRecord.model_validate(
            {**MINIMAL[ck.ActivityRecord], "type": "c2c_meeting", **given}
        )
        assert {name: getattr(activity, name) for name in COUNTERS} == given

    def test_a_counter_is_given_or_left_out(self) -> None:
        """A counter is a number or absent: None is not a count (files drop nulls first)."""
        assert errors_of(ck.ActivityRecord, c2c_meetings=None) == [
            ("c2c_meetings", "int_type")
        ]
        record = ck.ActivityRecord.model_validate_json(
            '{"id": "A", "partnership": "P", "type": "mou_signature", "start": "2018-01-01"}'
        )
        assert (record.mous_signed, record.model_fields_set >= {"mous_signed"}) == (
            1,
            False,
        )

    def test_given_value_wins(self) -> None:
        """A given counter overrides the default, including an explicit zero."""
        activity = ck.ActivityRecord.model_validate(
            {
                **MINIMAL[ck.ActivityRecord],
                "type": "c2c_meeting",
                "c2c_meetings": "0",
                "b2b_meetings": 12,
            }
        )
        assert (activity.c2c_meetings, activity.b2b_meetings) == (0, 12)
        assert (
            ck.ActivityRecord.model_validate(
                {**MINIMAL[ck.ActivityRecord], "type": "c2c_meeting", "c2c_meetings": 4}
            ).c2c_meetings
            == 4
        )

    def test_negative_counts_and_unknown_types(self) -> None:
        """Negative counts and unknown activity types are field errors."""
        assert errors_of(ck.ActivityRecord, b2b_meetings=-1) == [
            ("b2b_meetings", "greater_than_equal")
        ]
        assert errors_of(ck.ActivityRecord, type="c2c") == [("type", "enum")]
        assert errors_of(ck.ActivityRecord, start="2023-02-30") == [
            ("start", "date_not_exist")
        ]

    def test_counter_defaults_with_a_bad_type(self) -> None:
        """A row with an invalid type reports the type, not the counters."""
        assert errors_of(ck.ActivityRecord, type=7) == [("type", "enum")]
        with pytest.raises(ValueError, match="c2c"):
            counter_defaults("c2c")

    @pytest.mark.parametrize(
        "spelling", ["C2C Meeting", "c2c-meeting", " C2C_MEETING "]
    )
    def test_vocabulary_ignores_case_and_separators(self, spelling: str) -> None:
        """Vocabulary values match without case, spaces, hyphens or underscores."""
        activity = ck.ActivityRecord.model_validate(
            {**MINIMAL[ck.ActivityRecord], "type": spelling}
        )
        assert activity.type is ck.ActivityType.C2C_MEETING
        assert activity.c2c_meetings == 1
        assert ck.IndustrialEcosystem("Agri Food") is ck.IndustrialEcosystem.AGRI_FOOD

    def test_consistency_is_kept_as_data(self) -> None:
        """Start after end and too few SMEs involved are left for the validator."""
        activity = ck.ActivityRecord.model_validate(
            {
                **MINIMAL[ck.ActivityRecord],
                "end": "2017-01-01",
                "smes": ["S1", "S2"],
                "smes_involved": 1,
            }
        )
        assert activity.end == dt.date(2017, 1, 1)
        assert activity.smes_involved == 1


# Figures at and around every ceiling of Recommendation 2003/361/EC.
_STAFF_EDGES = (0, 9, 10, 49, 50, 249, 250, 10_000)
_MONEY_EDGES = tuple(
    Decimal(ceiling) + delta
    for ceiling in (0, 2_000_000, 10_000_000, 43_000_000, 50_000_000, 10**12)
    for delta in (Decimal(0), Decimal("0.01"))
)


def _class_of(headcount: int, turnover: Decimal, balance: Decimal) -> ck.EnterpriseSize:
    """The class of complete figures, as the Recommendation's Annex says it."""
    ceilings = (
        (ck.EnterpriseSize.MICRO, 10, 2_000_000, 2_000_000),
        (ck.EnterpriseSize.SMALL, 50, 10_000_000, 10_000_000),
        (ck.EnterpriseSize.MEDIUM, 250, 50_000_000, 43_000_000),
    )
    for size, staff, most_turnover, most_balance in ceilings:
        if headcount < staff and (turnover <= most_turnover or balance <= most_balance):
            return size
    return ck.EnterpriseSize.LARGE


class TestSizeClass:
    """Recommendation 2003/361/EC size classes."""

    @pytest.mark.parametrize(
        ("headcount", "turnover", "balance", "expected"),
        [
            (None, 1, 1, None),
            (None, 60_000_000, 50_000_000, "large"),
            (9, None, None, None),
            (300, None, None, "large"),
            (9, 2_000_000, None, "micro"),
            (9, 2_000_001, None, None),
            (9, 2_000_001, 2_000_001, "small"),
            (9, 2_000_001, 2_000_000, "micro"),
            (10, 1, None, "small"),
            (49, 10_000_000, None, "small"),
            (49, 10_000_001, 10_000_001, "medium"),
            (249, 50_000_000, None, "medium"),
            (249, 50_000_001, 43_000_000, "medium"),
            (249, 50_000_001, 43_000_001, "large"),
            (249, 60_000_000, None, None),
            (250, 1, 1, "large"),
            (0, 0, 0, "micro"),
        ],
    )
    def test_classify(
        self,
        headcount: int | None,
        turnover: int | None,
        balance: int | None,
        expected: str | None,
    ) -> None:
        """Headcount is decisive; then turnover or balance sheet within the ceiling."""
        result = classify_enterprise(
            headcount,
            None if turnover is None else Decimal(turnover),
            None if balance is None else Decimal(balance),
        )
        assert (None if result is None else result.value) == expected

    @pytest.mark.parametrize(
        ("figures", "declared", "contradicts"),
        [
            ({"headcount": 12, "turnover_eur": 1_800_000}, "micro", True),
            ({"headcount": 12, "turnover_eur": 1_800_000}, "small", False),
            ({"headcount": 5, "turnover_eur": 1_800_000}, "small", True),
            ({"headcount": 5, "turnover_eur": 3_000_000}, "micro", False),
            (
                {
                    "headcount": 5,
                    "turnover_eur": 3_000_000,
                    "balance_sheet_eur": 3_000_000,
                },
                "micro",
                True,
            ),
            ({"headcount": 5}, "small", False),
            ({"headcount": 60}, "small", True),
            ({"headcount": 300}, "medium", True),
            ({}, "medium", False),
            ({"headcount": 5}, None, False),
        ],
    )
    def test_contradiction_is_data(
        self, figures: dict[str, int], declared: str | None, contradicts: bool
    ) -> None:
        """A contradicting declared class is kept and flagged, never raised."""
        sme = ck.SME.model_validate(
            {**MINIMAL[ck.SME], **figures, "size_class": declared}
        )
        assert sme.size_class_contradicts_figures is contradicts
        assert sme.size_class == (
            None if declared is None else ck.EnterpriseSize(declared)
        )

    @pytest.mark.parametrize(
        ("figures", "exceeds"),
        [
            ({"headcount": 300}, True),
            (
                {
                    "headcount": 100,
                    "turnover_eur": 60_000_000,
                    "balance_sheet_eur": 44_000_000,
                },
                True,
            ),
            ({"headcount": 100, "turnover_eur": 60_000_000}, False),
            ({"headcount": 100}, False),
            ({}, False),
        ],
    )
    def test_above_the_sme_ceilings(
        self, figures: dict[str, int], exceeds: bool
    ) -> None:
        """Only figures that prove it mark an enterprise as not an SME."""
        sme = ck.SME.model_validate({**MINIMAL[ck.SME], **figures})
        assert sme.exceeds_sme_ceilings is exceeds

    @given(
        headcount=st.none() | st.sampled_from(_STAFF_EDGES),
        turnover=st.none() | st.sampled_from(_MONEY_EDGES),
        balance=st.none() | st.sampled_from(_MONEY_EDGES),
    )
    def test_possible_classes_are_those_some_missing_figures_give(
        self,
        headcount: int | None,
        turnover: Decimal | None,
        balance: Decimal | None,
    ) -> None:
        """A class is possible when some values of the missing figures put it there.

        The figures are taken at and around every ceiling, where a mistake in
        `<` against `<=` would show.
        """
        completions = itertools.product(
            _STAFF_EDGES if headcount is None else (headcount,),
            _MONEY_EDGES if turnover is None else (turnover,),
            _MONEY_EDGES if balance is None else (balance,),
        )
        expected = {_class_of(*figures) for figures in completions}
        assert possible_size_classes(headcount, turnover, balance) == expected

    def test_large_cannot_be_declared(self) -> None:
        """A declared class must be an SME class."""
        assert errors_of(ck.SME, size_class="large") == [
            ("size_class", "sme_size_class")
        ]
        assert errors_of(ck.SME, turnover_eur="-5") == [
            ("turnover_eur", "greater_than_equal")
        ]


class TestCluster:
    """Cluster-specific fields."""

    def test_members_total_bounds_sme_members(self) -> None:
        """More SME members than members in total is refused."""
        assert errors_of(ck.Cluster, members_total=10, sme_members=11) == [
            ("", "invariant")
        ]
        assert (
            ck.Cluster.model_validate(
                {**MINIMAL[ck.Cluster], "members_total": 10, "sme_members": 10}
            ).sme_members
            == 10
        )

    @pytest.mark.parametrize("region", ["EL30", "ukI3", "DE", "FR1"])
    def test_nuts_codes(self, region: str) -> None:
        """NUTS codes are stored upper case; the prefix check is the validator's."""
        assert (
            ck.Cluster.model_validate({**MINIMAL[ck.Cluster], "region": region}).region
            == region.upper()
        )

    @pytest.mark.parametrize("region", ["E", "EL3000", "30EL", "EL-3"])
    def test_bad_nuts_codes(self, region: str) -> None:
        """A value that is not shaped like a NUTS code is refused."""
        assert errors_of(ck.Cluster, region=region) == [
            ("region", "string_pattern_mismatch")
        ]

    @pytest.mark.parametrize(
        "website",
        ["https://a.example.eu", "http://x.org/path", "www.cluster.eu", "cluster.eu"],
    )
    def test_websites(self, website: str) -> None:
        """Web addresses with or without a scheme are accepted as given."""
        assert (
            ck.Cluster.model_validate(
                {**MINIMAL[ck.Cluster], "website": website}
            ).website
            == website
        )

    @pytest.mark.parametrize(
        "website",
        ["not a url", "ftp://x.eu", "https://localhost", "https://[::1", "nodot"],
    )
    def test_bad_websites(self, website: str) -> None:
        """Text that is not an http(s) address with a domain is refused."""
        assert errors_of(ck.Cluster, website=website) == [("website", "url_invalid")]

    def test_ecosystems_vocabulary(self) -> None:
        """Ecosystems come from the 14 industrial ecosystems."""
        cluster = ck.Cluster.model_validate(
            {**MINIMAL[ck.Cluster], "ecosystems": ["health", "digital"]}
        )
        assert cluster.ecosystems == (
            ck.IndustrialEcosystem.HEALTH,
            ck.IndustrialEcosystem.DIGITAL,
        )
        assert errors_of(ck.Cluster, ecosystems=["space"]) == [("ecosystems", "enum")]


class TestIdentifiers:
    """`vat` and `pic` of clusters and SMEs: kept as given, tidied."""

    @pytest.mark.parametrize("model", [ck.Cluster, ck.SME])
    @pytest.mark.parametrize(
        ("given", "stored"),
        [
            ("DE136695976", "DE136695976"),
            (" de 136 695 976 ", "DE136695976"),
            ("EL 094.014.201", "EL094014201"),
            ("FR-40/303,265\u00a0045", "FR40303265045"),
            ("136695976", "136695976"),  # no prefix: kept so, checked as the country's
            ("not a VAT", "NOTAVAT"),  # any text: CK-ID-001 judges it
            ("-", "-"),  # nothing but separators: kept as given
        ],
    )
    def test_a_vat_number_is_stored_compact(
        self, model: type[BaseModel], given: str, stored: str
    ) -> None:
        """Spaces and separators go, letters are upper case; compacting again changes nothing."""
        record = model.model_validate({**MINIMAL[model], "vat": given})
        assert record.vat == stored  # type: ignore[attr-defined] # both models have it
        assert ck.models.compact_vat(stored) == stored

    @pytest.mark.parametrize("model", [ck.Cluster, ck.SME])
    def test_a_pic_is_text_stripped(self, model: type[BaseModel]) -> None:
        """A PIC keeps its characters (CK-ID-002 judges them); a number becomes text."""
        assert model.model_validate({**MINIMAL[model], "pic": " 999 999 999 "}).pic == (  # type: ignore[attr-defined] # both models have it
            "999 999 999"
        )
        assert model.model_validate({**MINIMAL[model], "pic": 999999999}).pic == (  # type: ignore[attr-defined] # both models have it
            "999999999"
        )

    @pytest.mark.parametrize("field", ["vat", "pic"])
    def test_optional_and_not_empty(self, field: str) -> None:
        """Not given is `None`; empty text or a control character is refused."""
        assert getattr(ck.SME(**MINIMAL[ck.SME]), field) is None
        for bad in ["", "   ", "DE\x00136"]:
            with pytest.raises(ValidationError):
                ck.SME.model_validate({**MINIMAL[ck.SME], field: bad})


def test_generation_hash_and_empty_caps() -> None:
    """Generations hash despite their grant-cap mapping; no caps is None."""
    generation = ck.Generation.model_validate(
        {**MINIMAL[ck.Generation], "max_grant_eur": {"2": "448750"}}
    )
    assert generation.max_grant_eur == {"2": Decimal(448750)}
    assert hash(generation) == hash(generation.model_copy())
    assert (
        ck.Generation.model_validate(
            {**MINIMAL[ck.Generation], "max_grant_eur": {}}
        ).max_grant_eur
        is None
    )


def test_partnership_period_defaults_to_generation() -> None:
    """A partnership's missing dates come from its generation."""
    generation = ck.Generation.model_validate(MINIMAL[ck.Generation])
    partnership = ck.Partnership.model_validate(
        {**MINIMAL[ck.Partnership], "end": "2017-06-30"}
    )
    assert partnership.period(generation) == Period(
        dt.date(2016, 1, 1), dt.date(2017, 6, 30)
    )
    assert partnership.period() is None


def test_target_key() -> None:
    """A target is identified by its partnership and country."""
    assert ck.ThirdCountryTarget(partnership="P1", country="CHN").key == ("P1", "CN")


class TestPeriodDates:
    """Periods given to the month or the year: `StartDate` and `EndDate` fields."""

    # Every field that takes a month or a year, and which day such a value means.
    FIELDS = (
        (ck.Partnership, "start", "start"),
        (ck.Partnership, "end", "end"),
        (ck.ThirdCountryTarget, "since", "start"),
        (ck.ActivityRecord, "start", "start"),
        (ck.ActivityRecord, "end", "end"),
    )

    @pytest.mark.parametrize(("model", "field", "role"), FIELDS)
    @pytest.mark.parametrize(
        ("text", "first", "last"),
        [
            ("2017", dt.date(2017, 1, 1), dt.date(2017, 12, 31)),
            ("2016-02", dt.date(2016, 2, 1), dt.date(2016, 2, 29)),
        ],
    )
    def test_a_start_is_the_first_day_and_an_end_the_last(
        self,
        model: type[BaseModel],
        field: str,
        role: str,
        text: str,
        first: dt.date,
        last: dt.date,
    ) -> None:
        """The field's role decides the day; the value keeps its precision and text."""
        for record in (
            model.model_validate({**MINIMAL[model], field: text}),
            model.model_validate_json(json.dumps({**MINIMAL[model], field: text})),
        ):
            value = getattr(record, field)
            # pydantic keeps the date subclass a before-validator returns.
            assert type(value) is ck.PartialDate
            assert value == (first if role == "start" else last)
            assert str(value) == text
            assert record.model_dump(mode="json")[field] == text
            assert json.loads(record.model_dump_json())[field] == text
            assert record.model_dump()[field] is value
            assert model.model_validate(record.model_dump()) == record

    def test_a_full_date_stays_a_plain_date(self) -> None:
        """A date given to the day is a `datetime.date`, written as YYYY-MM-DD."""
        record = ck.Partnership.model_validate(
            {**MINIMAL[ck.Partnership], "start": "2016-02-01", "end": "14 March 2017"}
        )
        assert type(record.start) is dt.date
        assert record.model_dump(mode="json")["end"] == "2017-03-14"

    def test_equal_to_the_same_day_given_in_full(self) -> None:
        """A record with 2016-02 as a start equals one with 2016-02-01 (the same day)."""
        month = ck.Partnership.model_validate(
            {**MINIMAL[ck.Partnership], "start": "2016-02"}
        )
        day = ck.Partnership.model_validate(
            {**MINIMAL[ck.Partnership], "start": "2016-02-01"}
        )
        assert month == day
        assert month.model_dump(mode="json") != day.model_dump(mode="json")

    def test_an_activity_in_a_year(self) -> None:
        """A month or year as both start and end covers the whole month or year."""
        activity = ck.ActivityRecord.model_validate(
            {**MINIMAL[ck.ActivityRecord], "start": "2017", "end": "2017"}
        )
        assert (activity.start, activity.end) == (
            dt.date(2017, 1, 1),
            dt.date(2017, 12, 31),
        )
        assert activity.end is not None
        assert activity.start < dt.date(2017, 6, 1) < activity.end

    def test_a_copied_value_takes_its_new_role(self) -> None:
        """A month copied from a start into an end stands for its last day there."""
        start = ck.Partnership.model_validate(
            {**MINIMAL[ck.Partnership], "start": "2016-02"}
        ).start
        assert start is not None
        partnership = ck.Partnership.model_validate(
            {**MINIMAL[ck.Partnership], "start": start, "end": start}
        )
        assert partnership.start is start
        assert partnership.end == dt.date(2016, 2, 29)
        assert partnership.period() == Period(dt.date(2016, 2, 1), dt.date(2016, 2, 29))

    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            ("2017-13", "date_not_exist"),
            ("17", "date_format"),
            ("2017-1", "date_format"),
            ("201", "date_format"),
            ("2017-02-30", "date_not_exist"),
        ],
    )
    def test_invalid_months_and_years(self, text: str, kind: str) -> None:
        """A month that does not exist, a short year or an unpadded month is refused."""
        for model, field, _ in self.FIELDS:
            assert errors_of(model, **{field: text}) == [(field, kind)]

    def test_a_json_number_is_not_a_year(self) -> None:
        """2017 as a JSON number is refused: a year is written as text."""
        line = json.dumps({**MINIMAL[ck.ActivityRecord], "start": 2017})
        with pytest.raises(ValidationError, match="2017 is a number, not a date"):
            ck.ActivityRecord.model_validate_json(line)

    @pytest.mark.parametrize(
        ("model", "field"),
        [
            (ck.Generation, "start"),
            (ck.Generation, "end"),
            (ck.Cluster, "esca_label_date"),
        ],
    )
    def test_other_dates_are_full_dates(
        self, model: type[BaseModel], field: str
    ) -> None:
        """A generation's period and a label's date take full dates only."""
        for value in ("2017", "2016-02", ck.PartialDate.first_day(2016, 2)):
            assert errors_of(model, **{field: value}) == [(field, "date_format")]


class TestDataset:
    """The container and its lookups."""

    def test_lookups(self, example: ck.Dataset) -> None:
        """Records are found by id; missing ids raise KeyError."""
        partnership = example.partnerships[0]
        assert example.partnership(partnership.id) is partnership
        assert example.cluster(example.clusters[3].id) is example.clusters[3]
        assert example.sme(example.smes[5].id) is example.smes[5]
        assert example.activity(example.activities[7].id) is example.activities[7]
        assert all(
            a.partnership == partnership.id
            for a in example.activities_of(partnership.id)
        )
        assert all(
            t.partnership == partnership.id for t in example.targets_of(partnership.id)
        )
        with pytest.raises(KeyError):
            example.cluster("no such cluster")

    def test_duplicates_do_not_raise(self) -> None:
        """Duplicate ids are the validator's business; the first record wins."""
        first = ck.Cluster(id="C", name="First", country="DE")
        ds = ck.Dataset(
            clusters=[first, ck.Cluster(id="C", name="Second", country="FR")]
        )
        assert ds.cluster("C") is first

    def test_generations_fall_back_to_reference_and_can_be_overridden(self) -> None:
        """The dataset's generations override the shipped ones with the same id."""
        assert ck.Dataset().generation("escp-4i-1").call_id == "COS-CLUSTER-2014-3-03"
        mine = ck.Generation.model_validate(
            {**MINIMAL[ck.Generation], "id": "escp-4i-1", "name": "Mine"}
        )
        ds = ck.Dataset(generations=[mine])
        assert ds.generation("escp-4i-1").name == "Mine"
        assert set(ds.all_generations) >= {"escp-4i-1", "escp-4i-2", "euroclusters-1"}

    def test_tables_and_counts(self, example: ck.Dataset) -> None:
        """Tables are reachable by name and counted in table order."""
        assert list(example.counts) == list(TABLES)
        assert example.table("smes") == example.smes
        with pytest.raises(ValueError, match="unknown table"):
            example.table("members")

    def test_equality_ignores_lookup_caches(self, example: ck.Dataset) -> None:
        """Using lookups does not change what a dataset equals."""
        copy = ck.Dataset.model_validate(example.model_dump())
        example.cluster(example.clusters[0].id)
        assert copy == example

    def test_a_copy_with_new_tables_looks_up_its_own_records(
        self, example: ck.Dataset
    ) -> None:
        """`model_copy(update=...)` does not answer lookups from the old tables."""
        first = example.clusters[0]
        assert example.cluster(first.id) is first  # remembered from here on
        renamed = first.model_copy(update={"name": "Renamed"})
        changed = example.model_copy(update={"clusters": (renamed,)})
        assert changed.cluster(first.id).name == "Renamed"
        assert example.cluster(first.id) is first
        same = example.model_copy()  # no new table: the lookups still hold
        assert same.cluster(first.id) is first
        partnership = example.partnerships[0]
        example.partnership(partnership.id)
        emptied = example.model_copy(update={"partnerships": ()}, deep=True)
        with pytest.raises(KeyError):
            emptied.partnership(partnership.id)

    def test_a_dataset_used_for_lookups_pickles_and_copies(
        self, example: ck.Dataset
    ) -> None:
        """Lookups remembered (generations too) neither break nor bloat a pickle."""
        example.generation("escp-4i-1")
        example.cluster(example.clusters[0].id)
        restored = pickle.loads(pickle.dumps(example))  # noqa: S301 - our own bytes
        assert restored == example
        assert "_clusters" not in restored.__dict__
        assert restored.cluster(example.clusters[0].id) == example.clusters[0]
        deep = copy.deepcopy(example)
        assert deep.generation("escp-4i-1") == example.generation("escp-4i-1")
        assert deep.model_copy(deep=True) == example
        with pytest.raises(TypeError):
            example.all_generations["mine"] = example.generation("escp-4i-1")  # type: ignore[index] # read-only, as documented


@given(testing.datasets(max_records=3))
def test_json_round_trip(dataset: ck.Dataset) -> None:
    """Every dataset survives its own JSON serialisation."""
    assert ck.Dataset.model_validate_json(dataset.model_dump_json()) == dataset


class TestTypeAdapters:
    """Models wrapped by applications, as FastAPI wraps a request body."""

    @pytest.mark.parametrize("model", [*MINIMAL, ck.Dataset])
    def test_adapter_builds_where_it_is_made(self, model: type[BaseModel]) -> None:
        """An adapter with field metadata warns, if at all, where it is made, not in use."""
        body = Annotated[model, Field(alias="item")]  # type: ignore[valid-type] # a type made at run time, as FastAPI does
        with warnings.catch_warnings():
            # FastAPI silences pydantic's warning about the alias while it makes the
            # adapter; the adapter must not put it off to the first request.
            warnings.simplefilter("ignore", UnsupportedFieldAttributeWarning)
            adapter: TypeAdapter[Any] = TypeAdapter(body)
        data = {} if model is ck.Dataset else MINIMAL[model]
        assert isinstance(adapter.validate_python(data), model)
        assert "properties" in adapter.json_schema()

    def test_models_are_still_built_on_first_use(self) -> None:
        """`import clusterkit` builds no validator: a fresh interpreter finds them unbuilt."""
        code = (
            "import clusterkit as ck\n"
            "built = [m.__name__ for m in (*ck.models.TABLES.values(), ck.Dataset)"
            " if m.__pydantic_complete__]\n"
            "assert not built, built\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr

    def test_a_subclass_is_built_when_defined(self) -> None:
        """A model an application derives is complete at once, its adapters too."""

        class Tagged(ck.Partnership):
            tag: str | None = None

        assert Tagged.__pydantic_complete__
        assert Tagged.model_validate({**MINIMAL[ck.Partnership], "tag": "x"}).tag == "x"


@pytest.mark.parametrize("control", ["\x00", "\x01", "\x1b", "\x7f"])
def test_a_web_address_with_a_control_character_is_refused(control: str) -> None:
    """No web address holds one, and no workbook can: refused as not a web address."""
    with pytest.raises(ValidationError, match="is not a web address"):
        ck.Cluster.model_validate(
            {
                "id": "X",
                "name": "X",
                "country": "DE",
                "website": f"https://a.e{control}u",
            }
        )
