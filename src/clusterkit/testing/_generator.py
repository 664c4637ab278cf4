"""Private: a seeded generator of realistic, fictional datasets of any size.

Cluster, SME and partnership names are invented from parts, websites are
``*.example.org`` hosts and partnership names end in "(fictional)". Countries,
regions, cities, generations, ecosystems and activity types are real, so the data
pass the models and exercise the validator and the KPIs as real data would.

Randomness comes only from `random.Random` seeded with a string (hashed with
SHA-512), so the same arguments give the same data on every run and platform,
but for one thing: activities never lie after today, so those of a partnership
still running depend on the day they are made.

The tables it draws from (member countries, third-country markets, themes and
activity profiles) are data files, read on first use: see `_generator_data`.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple

from clusterkit.countries import normalise_country
from clusterkit.models import (
    SME,
    ActivityRecord,
    Cluster,
    ClusterKind,
    Dataset,
    EnterpriseSize,
    ESCALabel,
    Funding,
    Generation,
    Partnership,
    Priority,
    Programme,
    ThirdCountryTarget,
    reference_generations,
)
from clusterkit.testing._generator_data import Market, Theme, load_tables

__all__ = ["generate_dataset", "iter_generated_activities"]

# The first two markets of each partnership cycle through these pairs, so that the
# USA and China lead and any six partnerships or more target all four.
_LEAD_MARKETS = ("US CN", "JP US", "CN CA", "US JP", "CN US", "CA CN")
# Most activities aim at a declared market of their partnership (CK-GEO-002).
_ON_TARGET_SHARE = 0.9

# Staff and thousands of euros of turnover and balance sheet inside each class of
# Recommendation 2003/361/EC, so the figures derive the declared class (CK-SME-001).
_FIGURES = {
    EnterpriseSize.MICRO: ((1, 9), (80, 2_000), (50, 1_800)),
    EnterpriseSize.SMALL: ((10, 49), (2_001, 10_000), (500, 9_000)),
    EnterpriseSize.MEDIUM: ((50, 249), (10_001, 50_000), (5_000, 43_000)),
}
# ESCP-4i calls ask for members from three countries (CK-PART-002).
_MIN_COUNTRIES = 3
# Name parts stay here, not in the data files: short vocabularies of the
# name-building code below, with nothing to source or explain, they read more
# easily beside it.
_SYLLABLES = (
    ("Lu", "Ve", "No", "Ka", "Ar", "Te", "Mi", "Zo", "Sa", "Ori", "Bel", "Cor"),
    ("men", "xo", "vix", "ra", "lio", "nta", "dor", "mo", "tek", "sa", "vel", "ron"),
)
_ACRONYM_ENDINGS = ("GO", "4I", "INT", "GLOBAL", "EXPORT")
_NAME_ENDINGS = (
    "Go International",
    "Goes Global",
    "Partnership for Global Markets",
    "Alliance for Third Markets",
    "Export Partnership",
)


class _Context(NamedTuple):
    # What the activities of one partnership are drawn from, computed once.
    id: str
    members: tuple[str, ...]
    smes: tuple[str, ...]
    markets: tuple[Market, ...]
    first: int  # date ordinals
    days: int
    sectors: tuple[str, ...]


def _rng(*parts: object) -> random.Random:
    return random.Random(":".join(map(str, parts)))  # noqa: S311 - fictional data, not security


def _chance(rng: random.Random, share: float) -> bool:
    return rng.random() < share


def _unique(candidates: Sequence[str], seen: set[str], sep: str = " ") -> str:
    # Invented names meet again in large datasets: the first unused candidate,
    # else the first numbered.
    first = next((name for name in candidates if name not in seen), candidates[0])
    name, number = first, 1
    while name in seen:
        number += 1
        name = f"{first}{sep}{number}"
    seen.add(name)
    return name


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _market(code: str) -> Market:
    # A target of a real dataset may lie outside markets.csv: named, without cities.
    known = load_tables().markets.get(code)
    return known or Market(code, 1, normalise_country(code).name, ())


def _make_clusters(
    rng: random.Random, count: int
) -> tuple[list[Cluster], dict[str, Theme]]:
    tables = load_tables()
    countries = list(tables.members.values())
    weights = [country.weight for country in countries]
    clusters: list[Cluster] = []
    themes: dict[str, Theme] = {}
    per_country: dict[str, int] = {}
    names: set[str] = set()
    for n in range(count):
        country = rng.choices(countries, weights)[0]
        # The first three are EU clusters of distinct countries, so that every
        # partnership can have members from three countries.
        while n < _MIN_COUNTRIES and (
            country.code in per_country or country.code in tables.cosme_only
        ):
            country = rng.choices(countries, weights)[0]
        per_country[country.code] = per_country.get(country.code, 0) + 1
        cluster_id = f"{country.code}-{per_country[country.code]:03d}"
        theme = themes[cluster_id] = rng.choice(tables.themes)
        kind = rng.choices(tuple(ClusterKind), (17, 2, 1))[0]
        suffix = {"business_network": "Network", "supporting_organisation": "Agency"}
        ending = (
            suffix.get(kind.value)
            or rng.choices(("Cluster", "Alliance", "Hub"), (6, 1, 1))[0]
        )
        prefix = rng.choice(country.prefixes)
        name = _unique([f"{prefix} {theme.name} {ending}"], names)
        city, region = rng.choice(country.cities)
        total = rng.randint(40, 450)
        label = rng.choices((*ESCALabel, None), (1, 3, 4, 4))[0]
        awarded = dt.date(2013, 1, 1) + dt.timedelta(days=rng.randint(0, 2370))
        clusters.append(
            Cluster(
                id=cluster_id,
                name=name,
                country=country.code,
                kind=kind,
                region=region,
                city=city,
                website=f"https://{_slug(name).removesuffix('-cluster')}.example.org",
                ecosystems=theme.ecosystems,
                sectors=tuple(rng.sample(theme.sectors, 2)),
                members_total=total,
                sme_members=int(total * rng.uniform(0.55, 0.9)),
                esca_label=label,
                esca_label_date=None if label is None else awarded,
            )
        )
    return clusters, themes


def _make_smes(
    rng: random.Random, count: int, clusters: list[Cluster], themes: dict[str, Theme]
) -> list[SME]:
    members = load_tables().members
    smes: list[SME] = []
    names: set[str] = set()
    width = max(4, len(str(count)))
    for n in range(count):
        # Every cluster has an SME member before the rest are spread at random.
        home = clusters[n] if n < len(clusters) else rng.choice(clusters)
        other = rng.choice(clusters)
        member_of = (
            (home.id,)
            if other.id == home.id or _chance(rng, 0.75)
            else (home.id, other.id)
        )
        theme = themes[home.id]
        size = rng.choices(tuple(_FIGURES), (45, 35, 20))[0]
        staff, turnover, balance = _FIGURES[size]
        # Some firms leave out the balance sheet; the turnover then decides.
        sheet_given = _chance(rng, 0.9)
        if size is EnterpriseSize.MEDIUM and _chance(rng, 0.1):
            # Over the turnover ceiling, within the balance-sheet one: still medium.
            turnover, balance, sheet_given = (50_001, 65_000), (20_000, 43_000), True
        sheet = Decimal(rng.randint(*balance) * 1000)
        stem = rng.choice(_SYLLABLES[0]) + rng.choice(_SYLLABLES[1])
        legal_form = members[home.country].legal_form
        name = f"{stem} {rng.choice(theme.words)} {legal_form}"
        smes.append(
            SME(
                id=f"SME-{n + 1:0{width}d}",
                name=_unique([name], names),
                country=home.country,
                headcount=rng.randint(*staff),
                turnover_eur=Decimal(rng.randint(*turnover) * 1000),
                balance_sheet_eur=sheet if sheet_given else None,
                size_class=size,
                clusters=member_of,
                nace=theme.nace,
            )
        )
    return smes


def _pick_members(
    rng: random.Random, pools: Sequence[Sequence[Cluster]], size: int
) -> list[Cluster]:
    # Earlier pools come first: clusters in no partnership yet, then clusters in no
    # partnership of this generation (CK-PART-007), then any eligible cluster.
    order: dict[str, Cluster] = {}
    for pool in pools:
        fresh = [c for c in pool if c.id not in order]
        order.update((c.id, c) for c in rng.sample(fresh, len(fresh)))
    chosen: dict[str, Cluster] = {}
    for cluster in order.values():  # three member countries first (CK-PART-002)
        countries = {c.country for c in chosen.values()}
        if len(countries) < _MIN_COUNTRIES and cluster.country not in countries:
            chosen[cluster.id] = cluster
    for cluster in order.values():
        if len(chosen) < size:
            chosen.setdefault(cluster.id, cluster)
    return list(chosen.values())


def _make_partnerships(
    rng: random.Random,
    blocks: list[Generation],
    clusters: list[Cluster],
    themes: dict[str, Theme],
) -> list[Partnership]:
    cosme_only = load_tables().cosme_only
    partnerships: list[Partnership] = []
    in_any: set[str] = set()
    in_generation: dict[str, set[str]] = {g.id: set() for g in blocks}
    voluntary: set[int] = set()
    for generation in {g.id: g for g in blocks}.values():
        indexes = [i for i, g in enumerate(blocks) if g.id == generation.id]
        if generation.voluntary_allowed and len(indexes) > 1:
            # About one in six, as in the first generation; never the first one.
            voluntary.update(rng.sample(indexes[1:], max(1, len(indexes) // 6)))
    acronyms: set[str] = set()
    names: set[str] = set()
    for i, generation in enumerate(blocks):
        # Non-EU participants of COSME are not assumed to take part in others.
        eligible = [
            c
            for c in clusters
            if generation.programme is Programme.COSME or c.country not in cosme_only
        ]
        used = in_generation[generation.id]
        pools = (
            [c for c in eligible if c.id not in in_any],
            [c for c in eligible if c.id not in used],
            eligible,
        )
        members = _pick_members(rng, pools, rng.randint(3, 6))
        in_any.update(c.id for c in members)
        used.update(c.id for c in members)
        theme = themes[members[0].id]
        # Partnerships on one theme take other endings while there are some.
        endings = rng.sample(_ACRONYM_ENDINGS, len(_ACRONYM_ENDINGS))
        acronym = _unique([f"{theme.stem}-{e}" for e in endings], acronyms, "-")
        endings = rng.sample(_NAME_ENDINGS, len(_NAME_ENDINGS))
        name = _unique([f"{theme.name} {e}" for e in endings], names)
        co_funded = i not in voluntary
        strand = rng.choice(generation.strands) if generation.strands else None
        partnerships.append(
            Partnership(
                id=f"P{i + 1:0{max(2, len(str(len(blocks))))}d}",
                acronym=acronym,
                name=f"{name} (fictional)",
                generation=generation.id,
                strand=strand if co_funded else None,
                funding=Funding.CO_FUNDED if co_funded else Funding.VOLUNTARY,
                coordinator=members[0].id,
                members=tuple(c.id for c in members),
                start=generation.start + dt.timedelta(days=rng.randint(0, 61)),
                end=generation.end - dt.timedelta(days=rng.randint(0, 30)),
                smes_reached=rng.randint(60, 450),
                grant_eur=_grant(rng, generation, strand) if co_funded else None,
                ecosystems=theme.ecosystems,
                sectors=members[0].sectors,
                website=f"https://{_slug(acronym)}.example.org",
            )
        )
    return partnerships


def _grant(rng: random.Random, generation: Generation, strand: str | None) -> Decimal:
    # Within the strand's cap where the call gives one (CK-PART-006).
    cap = (generation.max_grant_eur or {}).get(strand or "", Decimal(300_000))
    return Decimal(int(cap * Decimal(rng.uniform(0.6, 1.0))) // 50 * 50)


def _make_targets(
    rng: random.Random, position: int, partnership: Partnership, generation: Generation
) -> list[ThirdCountryTarget]:
    low = max(2, generation.min_target_countries or 0)
    wanted = rng.randint(low, max(low, min(4, generation.max_target_countries or 4)))
    known = load_tables().markets
    markets = _LEAD_MARKETS[position % len(_LEAD_MARKETS)].split()
    while len(markets) < wanted:
        others = [code for code in known if code not in markets]
        markets += rng.choices(others, [known[code].weight for code in others])
    start = partnership.start or generation.start
    end = partnership.end or generation.end
    targets = []
    for n, country in enumerate(markets):
        primary = n == 0 or (n == 1 and _chance(rng, 0.5))
        since = start + dt.timedelta(days=rng.randint(90, 365))
        targets.append(
            ThirdCountryTarget(
                partnership=partnership.id,
                country=country,
                priority=Priority.PRIMARY if primary else Priority.SECONDARY,
                # A secondary market is often added in the course of the project.
                since=None if primary or since > end else since,
            )
        )
    return targets


def generate_dataset(
    *,
    seed: int = 0,
    generations: Sequence[str] = ("escp-4i-1", "escp-4i-2"),
    partnerships: int = 6,
    clusters: int = 25,
    smes: int = 80,
    activities: int = 150,
) -> Dataset:
    """Generate a realistic, fictional dataset; the same arguments give the same data.

    Only today's date can change it: activities never lie after today (see
    `iter_generated_activities`), so those of a partnership still running
    depend on the day they are made. Of the shipped generations, choose those
    that have ended for data that never change.

    Names are invented (partnership names end in "(fictional)", websites are
    ``*.example.org``); countries, NUTS regions, cities, markets, ecosystems and
    the shipped generations are real. The partnerships are spread over
    `generations` in blocks, in order; each has 3 to 6 members from at least
    three countries, a strand of its generation, a grant within the strand's cap
    (a generation that allows them has about one voluntary partnership in six)
    and 2 to 4 third-country targets, the first two cycling through pairs of the
    USA, China, Japan and Canada. SMEs are members of one or two clusters, with figures that
    fit their declared size class. The dataset declares no generations: it uses
    the shipped ones. Activities come from `iter_generated_activities`.

    Added in version 0.1.0.

    Args:
        seed: Seed of the generator.
        generations: Ids of shipped generations the partnerships belong to.
        partnerships: Number of partnerships.
        clusters: Number of cluster organisations (at least 3 for partnerships).
        smes: Number of SMEs (at least 1 cluster is needed for them).
        activities: Number of activities (at least 1 partnership is needed).

    Returns:
        The dataset.

    Raises:
        ValueError: A count is negative or too small for the others, or a
            generation id is not one of the shipped generations.

    Example:
        >>> ds = generate_dataset(seed=1, partnerships=2, clusters=6, smes=10,
        ...                       activities=20)
        >>> ds.counts["activities"], [p.generation for p in ds.partnerships]
        (20, ['escp-4i-1', 'escp-4i-2'])
    """
    shipped = {generation.id: generation for generation in reference_generations()}
    unknown = [g for g in generations if g not in shipped]
    if unknown or (partnerships and not generations):
        known = ", ".join(shipped)
        raise ValueError(f"generations must be among {known}; got {list(generations)}")
    if min(partnerships, clusters, smes, activities) < 0:
        raise ValueError("counts cannot be negative")
    if (
        (partnerships and clusters < _MIN_COUNTRIES)
        or (smes and not clusters)
        or (activities and not partnerships)
    ):
        raise ValueError(
            "partnerships need 3 clusters, SMEs need a cluster, activities need "
            "a partnership"
        )
    rng = _rng("clusterkit", seed, "dataset")
    cluster_records, themes = _make_clusters(rng, clusters)
    sme_records = _make_smes(rng, smes, cluster_records, themes)
    blocks = [
        shipped[generations[i * len(generations) // partnerships]]
        for i in range(partnerships)
    ]
    partnership_records = _make_partnerships(rng, blocks, cluster_records, themes)
    target_records = [
        target
        for i, (partnership, generation) in enumerate(
            zip(partnership_records, blocks, strict=True)
        )
        for target in _make_targets(rng, i, partnership, generation)
    ]
    activity_records = iter_generated_activities(
        seed=seed,
        count=activities,
        partnerships=partnership_records,
        smes=sme_records,
        generations=shipped,
        targets=target_records,
    )
    return Dataset(
        clusters=tuple(cluster_records),
        smes=tuple(sme_records),
        partnerships=tuple(partnership_records),
        targets=tuple(target_records),
        activities=tuple(activity_records),
    )


def iter_generated_activities(
    *,
    seed: int = 0,
    count: int,
    partnerships: Sequence[Partnership],
    smes: Sequence[SME],
    generations: Mapping[str, Generation] | None = None,
    targets: Sequence[ThirdCountryTarget] = (),
) -> Iterator[ActivityRecord]:
    """Yield fictional activities of the given partnerships, one at a time.

    Nothing is kept per activity, so any number can be streamed to a file. The
    first 13 activities are one of each type, then types are drawn by weight
    (C2C meetings, B2B matchmaking, business missions and trade fairs most
    often); every partnership has an activity before any has a second. Each lies
    inside its partnership's period (missing ends from its generation), never
    after today, with some of the partnership's member clusters and some SMEs
    that are members of them (never more than `smes_involved`). Nine in ten aim
    at one of the partnership's `targets`; the others, and all when it has none,
    at a third country drawn by weight (the USA and China most often).

    Added in version 0.1.0.

    Args:
        seed: Seed of the generator.
        count: Number of activities; ids run from ``A0001`` (wider when needed).
        partnerships: The partnerships that run the activities.
        smes: SMEs to list on activities, found by their clusters.
        generations: Generations by id, for partnerships without dates of their
            own; the shipped generations when ``None``.
        targets: Third-country targets of the partnerships.

    Returns:
        An iterator of `count` activities.

    Raises:
        ValueError: `count` is negative, there is no partnership to run the
            activities, or a partnership's period is unknown.

    Example:
        >>> ds = generate_dataset(seed=1, activities=0)
        >>> rows = iter_generated_activities(count=1_000_000, targets=ds.targets,
        ...                                  partnerships=ds.partnerships, smes=ds.smes)
        >>> first = next(rows)
        >>> first.id, first.type.value, first.partnership
        ('A0000001', 'business_mission', 'P01')
    """
    if count < 0:
        raise ValueError("count cannot be negative")
    if count and not partnerships:
        raise ValueError("activities need at least one partnership")
    if generations is None:
        generations = {g.id: g for g in reference_generations()}
    by_cluster: dict[str, list[str]] = {}
    for sme in smes:
        for cluster_id in sme.clusters:
            by_cluster.setdefault(cluster_id, []).append(sme.id)
    markets: dict[str, list[str]] = {}
    for target in targets:
        markets.setdefault(target.partnership, []).append(target.country)
    # Reported activities cannot lie in the future (CK-DATE-004).
    today = dt.datetime.now(tz=dt.timezone.utc).date()
    contexts = []
    for partnership in partnerships:
        period = partnership.period(generations.get(partnership.generation))
        if period is None or period.end is None or period.start > today:
            msg = "its period is unknown or starts after today"
            raise ValueError(f"partnership {partnership.id}: {msg}")
        listed = (
            s for member in partnership.members for s in by_cluster.get(member, ())
        )
        contexts.append(
            _Context(
                id=partnership.id,
                members=partnership.members,
                smes=tuple(dict.fromkeys(listed)),
                markets=tuple(map(_market, markets.get(partnership.id, ()))),
                first=period.start.toordinal(),
                days=max(0, (min(period.end, today) - period.start).days),
                sectors=partnership.sectors or ("cluster cooperation",),
            )
        )
    return _stream(_rng("clusterkit", seed, "activities"), count, contexts)


def _stream(
    rng: random.Random, count: int, contexts: list[_Context]
) -> Iterator[ActivityRecord]:
    # A generator of its own, so that bad arguments raise at the call, not later.
    width = max(4, len(str(count)))
    tables = load_tables()
    anywhere = list(tables.markets.values())
    europe = list(tables.members.values())
    europe_weights = [country.weight for country in europe]
    # The first activities are one of each type, in file order; then by weight.
    kinds = tuple(tables.profiles)
    kind_weights = [profile.weight for profile in tables.profiles.values()]
    # SMEs take turns, in an order shuffled once, so that every SME of a member
    # cluster takes part in something (no CK-ORPHAN-001) before any repeats.
    turns = {ctx.id: rng.sample(ctx.smes, len(ctx.smes)) for ctx in contexts}
    done = dict.fromkeys(turns, 0)
    for n in range(count):
        ctx = contexts[n] if n < len(contexts) else rng.choice(contexts)
        kind = kinds[n] if n < len(kinds) else rng.choices(kinds, kind_weights)[0]
        profile = tables.profiles[kind]
        first = ctx.first + rng.randint(0, ctx.days)
        last = min(first + rng.randint(*profile.days), ctx.first + ctx.days)
        target = None
        if not _chance(rng, profile.no_target):
            on_target = ctx.markets and _chance(rng, _ON_TARGET_SHARE)
            pool = ctx.markets if on_target else anywhere
            target = rng.choices(pool, [market.weight for market in pool])[0]
        draw, host, city = rng.random(), None, None
        if target is not None and target.cities and draw < profile.in_market:
            host, city = target.code, rng.choice(target.cities)
        elif draw < profile.in_market + profile.in_europe:
            country = rng.choices(europe, europe_weights)[0]
            host, city = country.code, rng.choice(country.cities)[0]
        queue, taken = turns[ctx.id], done[ctx.id]
        wanted = min(len(queue), rng.randint(*profile.listed))
        listed = [queue[(taken + i) % len(queue)] for i in range(wanted)]
        done[ctx.id] = taken + wanted
        joining = rng.randint(1, len(ctx.members)) if ctx.members else 0
        joined = set(rng.sample(ctx.members, joining))
        counters = {key: rng.randint(*span) for key, span in profile.counters.items()}
        further = profile.further
        involved = None if further is None else len(listed) + rng.randint(*further)
        yield ActivityRecord(
            id=f"A{n + 1:0{width}d}",
            partnership=ctx.id,
            type=kind,
            start=dt.date.fromordinal(first),
            end=dt.date.fromordinal(last) if last > first else None,
            title=profile.title.format(
                market="third markets" if target is None else target.name,
                sector=rng.choice(ctx.sectors),
            ),
            target_country=None if target is None else target.code,
            host_country=host,
            city=city,
            clusters=tuple(member for member in ctx.members if member in joined),
            smes=tuple(listed),
            smes_involved=involved,
            b2b_meetings=counters.get("b2b_meetings", 0),
            c2c_meetings=counters.get("c2c_meetings", 0),
            mous_signed=counters.get("mous_signed", 0),
            collaboration_projects=counters.get("collaboration_projects", 0),
        )
