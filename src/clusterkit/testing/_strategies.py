"""Private: hypothesis strategies for every record model and for whole datasets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st
from stdnum.iso7064 import mod_11_10

from clusterkit.countries import known_countries
from clusterkit.models import (
    SME,
    ActivityRecord,
    ActivityType,
    Cluster,
    ClusterKind,
    Dataset,
    EnterpriseSize,
    ESCALabel,
    Funding,
    Generation,
    IndustrialEcosystem,
    Partnership,
    Priority,
    Programme,
    ThirdCountryRule,
    ThirdCountryTarget,
)
from clusterkit.values import PartialDate

__all__ = [
    "activities",
    "amounts",
    "clusters",
    "country_codes",
    "datasets",
    "dates",
    "end_dates",
    "generations",
    "identifiers",
    "partnerships",
    "pics",
    "smes",
    "start_dates",
    "targets",
    "texts",
    "vat_numbers",
]

_ID_ALPHABET = st.characters(
    codec="utf-8", categories=("L", "N"), include_characters="-_./ "
)
# Any printable character: letters in every script, punctuation, symbols.
_TEXT_ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"),
    include_characters=" ",
)


def _stripped(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return strategy.map(str.strip).filter(bool)


def identifiers() -> st.SearchStrategy[str]:
    """Valid ids: 1 to 64 letters, digits and `-_./` with inner spaces.

    Added in version 0.1.0.
    """
    return _stripped(st.text(_ID_ALPHABET, min_size=1, max_size=64))


def texts(*, max_size: int = 60, list_item: bool = False) -> st.SearchStrategy[str]:
    """Valid free text (non-empty, stripped); `list_item` also excludes `;`.

    Added in version 0.1.0.
    """
    alphabet = (
        _TEXT_ALPHABET.filter(lambda ch: ch != ";") if list_item else _TEXT_ALPHABET
    )
    return _stripped(st.text(alphabet, min_size=1, max_size=max_size))


def country_codes() -> st.SearchStrategy[str]:
    """ISO 3166-1 alpha-2 codes of every country clusterkit knows (`XK` included).

    Added in version 0.1.0.
    """
    return st.sampled_from(sorted(known_countries()))


def dates() -> st.SearchStrategy[dt.date]:
    """Calendar dates from 1990 to 2040.

    Added in version 0.1.0.
    """
    return st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))


def _period_dates(*, end: bool) -> st.SearchStrategy[dt.date]:
    day = dates()
    given = st.sampled_from(["year", "month"])
    bound = PartialDate.last_day if end else PartialDate.first_day
    partial = st.builds(
        lambda precision, day: bound(
            day.year, day.month if precision == "month" else None
        ),
        given,
        day,
    )
    return day | partial


def start_dates() -> st.SearchStrategy[dt.date]:
    """Starts of periods: dates, and months and years as their first day (`PartialDate`).

    Added in version 0.2.0.
    """
    return _period_dates(end=False)


def end_dates() -> st.SearchStrategy[dt.date]:
    """Ends of periods: dates, and months and years as their last day (`PartialDate`).

    Added in version 0.2.0.
    """
    return _period_dates(end=True)


def amounts() -> st.SearchStrategy[Decimal]:
    """Amounts in euros: decimals from 0 to 10^9 with up to two places.

    Added in version 0.1.0.
    """
    return st.decimals(
        min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False
    )


def _counts() -> st.SearchStrategy[int]:
    return st.integers(min_value=0, max_value=100_000)


def _ids() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(identifiers(), max_size=4).map(tuple)


def _items() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(texts(max_size=20, list_item=True), max_size=3).map(tuple)


def _ecosystems() -> st.SearchStrategy[tuple[IndustrialEcosystem, ...]]:
    return st.lists(st.sampled_from(IndustrialEcosystem), max_size=3, unique=True).map(
        tuple
    )


def _websites() -> st.SearchStrategy[str]:
    host = st.from_regex(r"[a-z][a-z0-9-]{0,20}\.(eu|com|org|example)", fullmatch=True)
    return st.builds(
        lambda scheme, name: f"{scheme}{name}",
        st.sampled_from(["https://", "http://", "www.", ""]),
        host,
    )


def generations() -> st.SearchStrategy[Generation]:
    """Valid `Generation` records: ones the model accepts.

    Their fields are drawn apart, so the validator may still report them: an
    end before the start (CK-DATE-001), for one.

    Added in version 0.1.0.
    """
    return st.builds(
        Generation,
        id=identifiers(),
        name=texts(),
        family=texts(max_size=20),
        programme=st.sampled_from(Programme),
        call_id=st.none() | texts(max_size=30),
        start=dates(),
        end=dates(),
        strands=_items(),
        voluntary_allowed=st.booleans(),
        min_members=st.integers(min_value=1, max_value=10),
        min_member_countries=st.none() | st.integers(min_value=1, max_value=10),
        min_target_countries=st.none() | st.integers(min_value=0, max_value=10),
        max_target_countries=st.none() | st.integers(min_value=0, max_value=10),
        max_grant_eur=st.none()
        | st.dictionaries(
            texts(max_size=5, list_item=True).filter(lambda s: "=" not in s),
            amounts(),
            max_size=3,
        ),
        third_country_rule=st.sampled_from(ThirdCountryRule),
    )


def clusters() -> st.SearchStrategy[Cluster]:
    """Valid `Cluster` records: ones the model accepts.

    Their fields are drawn apart, so the validator may still report them: a
    region of another country (CK-GEO-004), or a VAT number or PIC that fails
    its check (CK-ID-001, CK-ID-002).

    Added in version 0.1.0; `vat` and `pic` drawn since version 0.2.0.
    """
    return st.builds(
        _cluster,
        id=identifiers(),
        name=texts(),
        country=country_codes(),
        kind=st.sampled_from(ClusterKind),
        region=st.none() | st.from_regex(r"[A-Z]{2}[0-9A-Z]{0,3}", fullmatch=True),
        city=st.none() | texts(max_size=30),
        website=st.none() | _websites(),
        ecosystems=_ecosystems(),
        sectors=_items(),
        members_total=st.none() | _counts(),
        sme_share=st.none() | st.floats(min_value=0, max_value=1),
        esca_label=st.none() | st.sampled_from(ESCALabel),
        esca_label_date=st.none() | dates(),
        vat=_vat_field(),
        pic=_pic_field(),
    )


def _cluster(
    *, members_total: int | None, sme_share: float | None, **fields: object
) -> Cluster:
    # sme_members must not exceed members_total, so derive it from a share.
    sme_members = None
    if sme_share is not None:
        sme_members = int((members_total or 0) * sme_share)
    return Cluster.model_validate(
        {**fields, "members_total": members_total, "sme_members": sme_members}
    )


def smes() -> st.SearchStrategy[SME]:
    """Valid `SME` records: ones the model accepts.

    Their fields are drawn apart, so the validator may still report them:
    declared size classes may contradict the figures (CK-SME-001), the figures
    may exceed a medium enterprise's ceiling (CK-SME-002), a cluster may be
    listed twice (CK-DUP-002), and a VAT number or PIC may fail its check
    (CK-ID-001, CK-ID-002).

    Added in version 0.1.0; `vat` and `pic` drawn since version 0.2.0.
    """
    return st.builds(
        SME,
        id=identifiers(),
        name=texts(),
        country=country_codes(),
        headcount=st.none() | st.integers(min_value=0, max_value=400),
        turnover_eur=st.none() | amounts(),
        balance_sheet_eur=st.none() | amounts(),
        size_class=st.none()
        | st.sampled_from([s for s in EnterpriseSize if s is not EnterpriseSize.LARGE]),
        clusters=_ids(),
        nace=st.none() | texts(max_size=8),
        vat=_vat_field(),
        pic=_pic_field(),
    )


# Valid VAT numbers of every EU member state and Northern Ireland, from
# python-stdnum's documentation, compact; German ones are also made up (below).
_KNOWN_VAT_NUMBERS = (
    "ATU13585627", "BE0403019261", "BG175074752", "CY10259033P", "CZ25123891",
    "DE136695976", "DK13585628", "EE100931558", "EL094259216", "ESB58378431",
    "ES54362315K", "FI20774740", "FR40303265045", "FRK7399859412", "HR33392005961",
    "HU12892312", "IE6433435F", "IE6433435OA", "IT00743110157", "LT119511515",
    "LU15027442", "LV40003521600", "MT11679112", "NL004495445B01", "PL8567346215",
    "PT501964843", "RO18547290", "SE123456789701", "SI50223054", "SK2022749619",
    "XI980780684",
)  # fmt: skip


def _german_vat(digits: str) -> str:
    # German VAT numbers end with an ISO 7064 MOD 11,10 check digit.
    return f"DE{digits}{mod_11_10.calc_check_digit(digits)}"


def vat_numbers() -> st.SearchStrategy[str]:
    """Valid EU VAT numbers, compact: of every member state, and many German ones.

    Each passes python-stdnum's check, so a record with one of its country's
    passes the validator's CK-ID-001. `VatNumber` fields of the record
    strategies draw these, other text, or nothing.

    Added in version 0.2.0.
    """
    german = st.from_regex(r"[1-9][0-9]{7}", fullmatch=True).map(_german_vat)
    return st.sampled_from(_KNOWN_VAT_NUMBERS) | german


def pics() -> st.SearchStrategy[str]:
    """Participant Identification Codes: nine digits (CK-ID-002).

    Added in version 0.2.0.
    """
    return st.from_regex(r"9[0-9]{8}", fullmatch=True)


def _vat_field() -> st.SearchStrategy[str | None]:
    return st.none() | vat_numbers() | texts(max_size=20)


def _pic_field() -> st.SearchStrategy[str | None]:
    return st.none() | pics() | texts(max_size=12)


def partnerships() -> st.SearchStrategy[Partnership]:
    """Valid `Partnership` records: ones the model accepts.

    References are not resolved, and the fields are drawn apart, so the
    validator may still report them: an end before the start (CK-DATE-001), a
    coordinator that is not a member (CK-PART-003), a grant where none is
    allowed (CK-PART-006) or a member listed twice (CK-DUP-002), for some.

    Added in version 0.1.0.
    """
    return st.builds(
        Partnership,
        id=identifiers(),
        acronym=texts(max_size=20),
        name=texts(),
        generation=identifiers(),
        strand=st.none() | texts(max_size=5, list_item=True),
        funding=st.sampled_from(Funding),
        coordinator=st.none() | identifiers(),
        members=_ids(),
        start=st.none() | start_dates(),
        end=st.none() | end_dates(),
        smes_reached=st.none() | _counts(),
        grant_eur=st.none() | amounts(),
        ecosystems=_ecosystems(),
        sectors=_items(),
        website=st.none() | _websites(),
    )


def targets() -> st.SearchStrategy[ThirdCountryTarget]:
    """Valid `ThirdCountryTarget` records.

    Added in version 0.1.0.
    """
    return st.builds(
        ThirdCountryTarget,
        partnership=identifiers(),
        country=country_codes(),
        priority=st.sampled_from(Priority),
        since=st.none() | start_dates(),
    )


def activities() -> st.SearchStrategy[ActivityRecord]:
    """Valid `ActivityRecord` records: ones the model accepts.

    Counters are given or left to their defaults. The fields are drawn apart, so
    the validator may still report them: an end before the start
    (CK-DATE-001), an SME or cluster listed twice (CK-DUP-002), or more SMEs
    listed than `smes_involved` (CK-COUNT-002), for some.

    Added in version 0.1.0.
    """
    counter = st.none() | _counts()
    return st.builds(
        _activity,
        id=identifiers(),
        partnership=identifiers(),
        type=st.sampled_from(ActivityType),
        start=start_dates(),
        end=st.none() | end_dates(),
        title=st.none() | texts(max_size=80),
        target_country=st.none() | country_codes(),
        host_country=st.none() | country_codes(),
        city=st.none() | texts(max_size=30),
        clusters=_ids(),
        smes=_ids(),
        smes_involved=st.none() | _counts(),
        b2b_meetings=counter,
        c2c_meetings=counter,
        mous_signed=counter,
        collaboration_projects=counter,
        notes=st.none() | texts(max_size=200),
    )


def _activity(**fields: object) -> ActivityRecord:
    # Leave out counters drawn as None so the type's defaults apply.
    return ActivityRecord.model_validate(
        {name: value for name, value in fields.items() if value is not None}
    )


def datasets(*, max_records: int = 5) -> st.SearchStrategy[Dataset]:
    """Datasets of arbitrary valid records; references between them may not resolve.

    Each record is one its model accepts (see the record strategies), not one
    the validator passes: `generate_dataset` makes realistic data.

    Added in version 0.1.0.

    Args:
        max_records: The largest number of records per table.
    """
    return st.builds(
        Dataset,
        generations=st.lists(generations(), max_size=max_records).map(tuple),
        clusters=st.lists(clusters(), max_size=max_records).map(tuple),
        smes=st.lists(smes(), max_size=max_records).map(tuple),
        partnerships=st.lists(partnerships(), max_size=max_records).map(tuple),
        targets=st.lists(targets(), max_size=max_records).map(tuple),
        activities=st.lists(activities(), max_size=max_records).map(tuple),
    )
