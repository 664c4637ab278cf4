"""Checks of duplicates and identifiers: CK-DUP-001, CK-DUP-002, CK-ID-001, CK-ID-002.

The VAT check is python-stdnum's, imported the first time a VAT number is
checked: `import clusterkit` stays as fast as without it.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import Counter
from collections.abc import Hashable
from typing import Any

import attrs

from clusterkit._scan import Batch
from clusterkit.countries import normalise_country
from clusterkit.io import TableSource, organisation_key
from clusterkit.report import Entity, Rule, Severity
from clusterkit.rules._context import Context
from clusterkit.rules._registry import check, check_fields
from clusterkit.values import Location

__all__ = [
    "BAD_PIC",
    "BAD_VAT",
    "REPEATED_ID",
    "SAME_ORGANISATION",
    "vat_key",
    "vat_problem",
]

E, W = Severity.ERROR, Severity.WARNING

SAME_ORGANISATION = Rule(
    "CK-DUP-001", W, "the same SME or cluster under two ids", "dataset"
)
REPEATED_ID = Rule(
    "CK-DUP-002",
    E,
    "id repeated in one list",
    "rows",
    tables=("activities", "partnerships", "smes"),
)
BAD_VAT = Rule(
    "CK-ID-001",
    E,
    "VAT number that fails its check or its country",
    "rows",
    tables=("clusters", "smes"),
)
BAD_PIC = Rule(
    "CK-ID-002", E, "PIC that is not nine digits", "rows", tables=("clusters", "smes")
)

Context.linking_rules = frozenset({SAME_ORGANISATION.id})

_KINDS = {"clusters": "cluster", "smes": "SME"}

# --- CK-ID-001: VAT numbers -------------------------------------------------------

# The VAT prefixes of the EU member states: the ISO code, but EL for Greece.
# XI is Northern Ireland's (goods, since 2021), GB the United Kingdom's (an EU
# member until 2020-01-31).
_MEMBER_PREFIXES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR",
    "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})  # fmt: skip
_PREFIXES: dict[str, tuple[str, ...]] = {
    **{prefix: (prefix,) for prefix in _MEMBER_PREFIXES - {"EL"}},
    "GR": ("EL",),
    "GB": ("GB", "XI"),
}
"""The prefixes of a record's VAT number, by its country (ISO alpha-2)."""
_VAT_PREFIXES = _MEMBER_PREFIXES | {"XI", "GB"}
# Written for Greece's EL: a prefix that is a VAT prefix of no country.
_MISTAKEN_PREFIXES = {"GR": "EL"}

_PROBLEMS = {
    "InvalidChecksum": "its check digit is wrong",
    "InvalidLength": "it has the wrong number of characters",
    "InvalidFormat": "it has the wrong format",
    "InvalidComponent": "a part of it is not valid",
}

_VIES = "https://ec.europa.eu/taxation_customs/vies/"


@attrs.frozen
class VatProblem:
    """What is wrong with a VAT number, and how to fix it."""

    message: str
    hint: str
    expected: str | None = None


def _prefix(vat: str) -> str | None:
    head = vat[:2]
    return head if len(head) == 2 and head.isascii() and head.isalpha() else None  # noqa: PLR2004 - two letters


def vat_key(vat: str, country: str | None) -> str:
    """The VAT number with its country prefix: a number given without one is the country's.

    A Greek number written with GR is EL's, as its record means it.

    Examples:
        >>> vat_key("136695976", "DE"), vat_key("DE136695976", "FR")
        ('DE136695976', 'DE136695976')
    """
    prefixes = _PREFIXES.get(country or "", ())
    head = _prefix(vat)
    if head in _MISTAKEN_PREFIXES:
        meant = _MISTAKEN_PREFIXES[head]
        return meant + vat[2:] if meant in prefixes else vat
    if prefixes and head not in _VAT_PREFIXES:
        return prefixes[0] + vat
    return vat


@functools.lru_cache(maxsize=4096)
def vat_problem(vat: str, country: str | None) -> VatProblem | None:
    """What is wrong with a record's VAT number, or `None` if nothing is.

    A number with a VAT prefix must have its record's country's (`EL` for
    Greece; `GB` or `XI` for the United Kingdom) and pass that country's check.
    A number without a prefix is read as the country's. A record of a country
    without EU VAT numbers may give any number without a VAT prefix: it is not
    checked.
    """
    prefix = _prefix(vat)
    allowed = _PREFIXES.get(country or "", ())
    if prefix is not None and prefix not in allowed:
        if country is not None and (
            prefix in _VAT_PREFIXES or prefix in _MISTAKEN_PREFIXES
        ):
            return _wrong_prefix(vat, prefix, country, allowed)
        if prefix in _MISTAKEN_PREFIXES or prefix not in _VAT_PREFIXES:
            prefix = None  # not a VAT prefix: the number is the country's
    if prefix is None and not allowed:
        return None  # outside the EU's VAT numbers: not checked
    number = vat if prefix is not None else allowed[0] + vat
    found = _check(number)
    if found is None:
        return None
    read = "" if number == vat else f" (read as {number}, with its country's prefix)"
    return VatProblem(
        f"VAT number {vat!r}{read} is not a valid VAT number of "
        f"{_prefix_country(number[:2])}: {found}",
        "copy the number again from an invoice or the company's register; the "
        f"EU's VIES service confirms a number ({_VIES})",
    )


def _wrong_prefix(
    vat: str, prefix: str, country: str, allowed: tuple[str, ...]
) -> VatProblem:
    name = normalise_country(country).name
    if not allowed:
        return VatProblem(
            f"VAT number {vat!r} starts with {prefix}, but the record's country is "
            f"{name} ({country}), which has no EU VAT numbers",
            "correct the country, or give the organisation's own number (without an "
            "EU VAT prefix)",
        )
    own = " or ".join(allowed)
    message = (
        f"VAT number {vat!r} starts with {prefix}, but the record's country is "
        f"{name} ({country}), whose VAT numbers start with {own}"
    )
    if _MISTAKEN_PREFIXES.get(prefix) == allowed[0]:
        hint = (
            f"{name}'s VAT numbers use {allowed[0]}, not its ISO code {prefix}: "
            f"write {allowed[0]}{vat[2:]}"
        )
    else:
        hint = (
            f"the number is one of {_prefix_country(prefix)}: correct the record's "
            f"country, or give the organisation's VAT number of {name}"
        )
    return VatProblem(message, hint, expected=f"{own}…")


def _prefix_country(prefix: str) -> str:
    if prefix == "XI":
        return "Northern Ireland (XI)"
    code = {"EL": "GR"}.get(prefix, prefix)
    return f"{normalise_country(code).name} ({prefix})"


def _check(number: str) -> str | None:
    """What python-stdnum finds wrong with a prefixed VAT number, or `None`."""
    from stdnum.exceptions import ValidationError  # noqa: PLC0415 - on first use: import stays fast

    try:
        if number.startswith("GB"):
            from stdnum.gb import vat as british  # noqa: PLC0415 - on first use

            british.validate(number)
        else:
            from stdnum.eu import vat as european  # noqa: PLC0415 - on first use

            european.validate(number)
    except ValidationError as error:
        return _PROBLEMS.get(type(error).__name__, str(error))
    return None


def _vat_is_bad(vat: str | None, country: str | None) -> bool:
    return vat is not None and vat_problem(vat, country) is not None


def _vat(batch: Batch, context: Context, field: str) -> None:
    """A VAT number passes the check of its organisation's `country`."""
    fields = (field, "country")
    bad = context.failing(batch, fields, _vat_is_bad, BAD_VAT)
    for index in batch.rows_with(fields, bad):
        vat = batch[field][index]
        problem = vat_problem(vat, batch["country"][index])
        assert problem is not None  # noqa: S101 - judged bad above
        context.report_at(
            BAD_VAT,
            batch.cell(index, field),
            problem.message,
            hint=problem.hint,
            value=vat,
            expected=problem.expected,
        )


check_fields(BAD_VAT, _vat, [("clusters", "vat"), ("smes", "vat")])


# --- CK-ID-002: PICs --------------------------------------------------------------

_PIC = re.compile(r"[0-9]{9}")
_PIC_LENGTH = 9


def _pic_is_bad(pic: str | None) -> bool:
    return pic is not None and _PIC.fullmatch(pic) is None


def _pic_problem(pic: str) -> tuple[str, str]:
    digits = "".join(filter("0123456789".__contains__, pic))
    if len(digits) == _PIC_LENGTH:
        return (
            f"PIC {pic!r} is not nine digits: it holds other characters",
            f"write the digits alone: {digits}",
        )
    what = f"{len(pic)} characters" if digits != pic else f"{len(pic)} digits"
    return (
        f"PIC {pic!r} is not nine digits: it has {what}",
        (
            "a PIC is the nine-digit Participant Identification Code of the EU's "
            "Funding & Tenders Portal; copy it again from there"
        ),
    )


def _pic(batch: Batch, context: Context, field: str) -> None:
    """A PIC is nine digits."""
    bad = context.failing(batch, (field,), _pic_is_bad, BAD_PIC)
    for index in batch.rows_with((field,), bad):
        pic = batch[field][index]
        message, hint = _pic_problem(pic)
        context.report_at(
            BAD_PIC,
            batch.cell(index, field),
            message,
            hint=hint,
            value=pic,
            expected="nine digits",
        )


check_fields(BAD_PIC, _pic, [("clusters", "pic"), ("smes", "pic")])


# --- CK-DUP-002: an id repeated in one list ---------------------------------------

_LISTED = {
    ("activities", "smes"): "SME",
    ("activities", "clusters"): "cluster",
    ("partnerships", "members"): "cluster",
    ("smes", "clusters"): "cluster",
}
_TIMES = {2: "twice", 3: "three times"}


def _has_repeat(items: tuple[str, ...] | None) -> bool:
    return items is not None and len(set(items)) < len(items)


def _repeats(batch: Batch, context: Context, *fields: str) -> None:
    """Report each id listed more than once in a row's `fields`, at that cell."""
    for field in fields:
        _repeats_in(batch, context, field)


def _repeats_in(batch: Batch, context: Context, field: str) -> None:
    """Report each id listed more than once in a row's `field`, at that cell.

    The lengths of the lists and of their sets are compared at C speed, over
    the distinct lists when they repeat, and only over those not seen clean
    in an earlier batch; only a batch with a repeat is looked at list by list.
    """
    values = batch.each_value(field)
    clean: dict[Any, None] | None = None
    if isinstance(values, set):
        # The distinct lists: most were met, clean, in earlier batches.
        clean = context.verdicts.memo(f"{REPEATED_ID.id} {batch.table}.{field}")
        values = values.difference(clean)
    lists = list(filter(None, values))
    if sum(map(len, lists)) == sum(map(len, map(frozenset, lists))):
        if clean is not None:
            clean.update(dict.fromkeys(values))
        return
    what = _LISTED[batch.table, field]
    bad = context.failing(batch, (field,), _has_repeat, REPEATED_ID)
    for index in batch.rows_with((field,), bad):
        for item, times in Counter(batch[field][index]).items():
            if times < 2:  # noqa: PLR2004 - once is not repeated
                continue
            context.report_at(
                REPEATED_ID,
                batch.cell(index, field),
                f"{what} {item!r} is listed {_TIMES.get(times, f'{times} times')} "
                f"in {field}",
                hint=f"list each {what} once",
                value=item,
            )


# Every list of ids above lists each id once.
check_fields(REPEATED_ID, _repeats, _LISTED)


# --- CK-DUP-001: one organisation under two ids -----------------------------------


@attrs.frozen
class _First:
    """The first record of an organisation: its id, and the row it is on.

    Where it is is worked out only for a finding: most records repeat none.
    """

    id: str
    source: TableSource
    number: int

    @property
    def location(self) -> Location:
        """Where the record's id is."""
        return self.source.location(self.number, "id")


@attrs.define(eq=False)
class _Organisation:
    """The records found to be one organisation: its first, and the numbers they give.

    A record of its name that gives another VAT number or PIC is another
    organisation, whichever of its records gave the number.
    """

    first: _First
    vats: set[tuple[str | None, str]] = attrs.field(factory=set)
    pics: set[str] = attrs.field(factory=set)

    def differs(self, vat: tuple[str | None, str] | None, pic: str | None) -> bool:
        """Whether a record's VAT number or PIC is not the organisation's, which has one."""
        return _other(vat, self.vats) or _other(pic, self.pics)

    def add(self, vat: tuple[str | None, str] | None, pic: str | None) -> None:
        """Keep the numbers of a record of the organisation."""
        if vat is not None:
            self.vats.add(vat)
        if pic is not None:
            self.pics.add(pic)


def _other(number: Hashable | None, numbers: set[Any]) -> bool:
    return number is not None and bool(numbers) and number not in numbers


@attrs.frozen
class _Match:
    """What a later record may match: the organisation, and which record gave it."""

    organisation: _Organisation
    id: str
    name: str | None


@attrs.frozen
class _Record:
    """One record of clusters or SMEs as CK-DUP-001 compares them.

    `keys` is what makes two records one organisation, strongest first.
    """

    id: str
    name: str | None
    country: str | None
    vat: str | None
    pic: str | None
    batch: Batch
    index: int
    keys: list[tuple[str, Any]]


def _keys(
    name: str | None, country: str | None, vat: str | None, pic: str | None
) -> list[tuple[str, Any]]:
    """What makes two records one organisation, strongest first."""
    keys: list[tuple[str, Any]] = []
    if vat is not None:
        keys.append(("vat", _compared_vat(vat, country)))
    if pic is not None:
        keys.append(("pic", pic))
    if name is not None and country is not None:
        key = organisation_key(name)
        if key:
            keys.append(("name", (country, key)))
    return keys


def _compared_vat(vat: str, country: str | None) -> tuple[str | None, str]:
    """What a VAT number is compared as: its country's and the number (`vat_key`).

    The country counts only for a number without an EU VAT prefix of a country
    without EU VAT numbers: a national number, which another country's records
    may give too for another organisation.
    """
    key = vat_key(vat, country)
    national = country is not None and country not in _PREFIXES
    return (country if national and _prefix(key) not in _VAT_PREFIXES else None, key)


@check(SAME_ORGANISATION)
def same_organisations(context: Context) -> None:
    """No SME or cluster is in its table twice under different ids.

    The tables are read again (they are small), keeping one entry per distinct
    name, VAT number and PIC: memory grows with the records, not the rows of
    other tables.
    """
    for table in _KINDS:
        if table in context.sources:
            context.same_records[table] = _same_records(context, table)


# The fields CK-DUP-001 compares: the rest of the table is not checked again.
_RECORD_FIELDS = ("id", "name", "country", "vat", "pic")


def _records(context: Context, table: str) -> list[_Record]:
    """The records that share a key with another record, in the table's order.

    Only they can be one organisation with another: a record whose keys no
    other record has is neither reported nor matched, so the comparison in
    order (`_same_records`) looks at these alone. Most tables have none.
    """
    seen: set[str] = set()
    found: list[tuple[str, str | None, str | None, str | None, str | None]] = []
    places: list[tuple[Batch, int]] = []
    for batch in context.reread(table, _RECORD_FIELDS):
        rows = zip(
            batch["id"],
            batch["name"],
            batch["country"],
            batch["vat"],
            batch["pic"],
            strict=True,
        )
        for index, row in enumerate(rows):
            key = row[0]
            if key is None or key in seen:
                continue  # no id, or a repeated one: CK-TYPE-001's and CK-PK-001's
            seen.add(key)
            found.append(row)
            places.append((batch, index))
    keys = [_keys(*row[1:]) for row in found]
    counts = Counter(itertools.chain.from_iterable(keys))
    if len(counts) == sum(map(len, keys)):
        return []  # no key twice: no two records are one organisation
    shared = {key for key, count in counts.items() if count > 1}
    return [
        _Record(*row, *place, mine)
        for row, place, mine in zip(found, places, keys, strict=True)
        if not shared.isdisjoint(mine)
    ]


def _same_records(context: Context, table: str) -> dict[str, str]:
    """Report each record that repeats an earlier one; later id -> first id.

    A VAT number or PIC is one organisation's. A name may be several
    organisations', told apart by their numbers: a record of the name joins the
    first whose numbers do not differ from its own, so that all the records of
    an organisation, not only its first, tell it apart.
    """
    numbers: dict[tuple[str, Any], _Match] = {}
    names: dict[tuple[str, Any], list[_Match]] = {}
    same: dict[str, str] = {}
    records = _records(context, table)
    several = _names_of_several(records)
    for record in records:
        vat = dict(record.keys).get("vat")
        found = _found(record, vat, numbers, names, several)
        if found is None:
            batch = record.batch
            first = _First(record.id, batch.source, batch.numbers[record.index])
            organisation = _Organisation(first)
        else:
            kind, match = found
            organisation = match.organisation
            same[record.id] = organisation.first.id
            _report_same(context, table, record, kind, match)
        organisation.add(vat, record.pic)
        match = _Match(organisation, record.id, record.name)
        for key in record.keys:
            if key[0] != "name":
                numbers.setdefault(key, match)
                continue
            named = names.setdefault(key, [])
            if all(other.organisation is not organisation for other in named):
                named.append(match)
    for record in records:
        if record.id not in same and record.vat is None and record.pic is None:
            _report_unsure(context, table, record, names, several)
    return same


def _names_of_several(records: list[_Record]) -> set[tuple[str, Any]]:
    """The name keys whose records give two VAT numbers, or two PICs.

    Such a name is two organisations at least, and a record of it that gives
    no number could be either: which one it joined would depend on the order
    of the records, and so would the SMEs counted. Its records are matched by
    their numbers only.
    """
    given: dict[tuple[str, Any], tuple[set[Any], set[str]]] = {}
    for record in records:
        vat = dict(record.keys).get("vat")
        for key in record.keys:
            if key[0] == "name":
                vats, pics = given.setdefault(key, (set(), set()))
                if vat is not None:
                    vats.add(vat)
                if record.pic is not None:
                    pics.add(record.pic)
    return {
        key for key, (vats, pics) in given.items() if len(vats) > 1 or len(pics) > 1
    }


def _found(
    record: _Record,
    vat: tuple[str | None, str] | None,
    numbers: dict[tuple[str, Any], _Match],
    names: dict[tuple[str, Any], list[_Match]],
    several: set[tuple[str, Any]],
) -> tuple[str, _Match] | None:
    """The organisation a record is of, by its strongest key, and that key's kind.

    A name of several organisations (`several`) tells none.
    """
    for key in record.keys:
        if key in numbers:
            return key[0], numbers[key]
        if key in several:
            continue
        for match in names.get(key, ()):
            if not match.organisation.differs(vat, record.pic):
                return key[0], match
    return None


def _report_unsure(
    context: Context,
    table: str,
    record: _Record,
    names: dict[tuple[str, Any], list[_Match]],
    several: set[tuple[str, Any]],
) -> None:
    """Report a record without numbers whose name is several organisations'.

    It is counted as none of them: which one it is, its numbers would say.
    """
    key = next((key for key in record.keys if key in several), None)
    if key is None:
        return
    others = [
        match.organisation.first
        for match in names[key]
        if match.organisation.vats or match.organisation.pics
    ]
    what = _KINDS[table]
    ids = " and ".join(repr(first.id) for first in others)
    context.report(
        SAME_ORGANISATION,
        record.batch.location(record.index, "name"),
        f"{what} {record.id!r} looks like {ids} (same name in {record.country}), "
        "which give different VAT numbers or PICs: it is counted as none of them",
        hint=(
            f"give it its VAT number or PIC, or, if it is one of them, use that "
            f"{what}'s id everywhere"
        ),
        entity=Entity(table, record.id),
        value=record.id,
        related=tuple(first.location for first in others),
    )


def _report_same(
    context: Context, table: str, record: _Record, kind: str, match: _Match
) -> None:
    what = _KINDS[table]
    first = match.organisation.first
    # When the record matches a later record of the same organisation, say which.
    via = "" if match.id == first.id else f" as {match.id!r}"
    if kind == "vat":
        why = f"same VAT number {vat_key(record.vat or '', record.country)}{via}"
        two = "correct the VAT number of the one it does not belong to"
    elif kind == "pic":
        why = f"same PIC {record.pic}{via}"
        two = "correct the PIC of the one it does not belong to"
    else:
        names = (
            repr(record.name)
            if match.name == record.name
            else f"{record.name!r} and {match.name!r}"
        )
        why = f"same name in {record.country}{via}: {names}"
        two = "give each its VAT number or PIC, which tell them apart"
    context.report(
        SAME_ORGANISATION,
        record.batch.location(record.index, kind),
        f"{what} {record.id!r} looks like {first.id!r} ({why})",
        hint=(
            f"if they are one {what}, keep one record and use its id everywhere; "
            f"if they are two, {two}"
        ),
        entity=Entity(table, record.id),
        value=record.id,
        related=(first.location,),
    )
