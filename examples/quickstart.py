"""Load a dataset (the bundled example by default) and print what it holds.

Run it as ``python examples/quickstart.py`` or ``python examples/quickstart.py data/``.
"""

from __future__ import annotations

import sys
from collections import Counter

import clusterkit as ck


def describe(dataset: ck.Dataset) -> str:
    """A short plain-text overview of a dataset.

    An unknown generation or member cluster is shown by its id and a `?`
    (`clusterkit validate` reports them as CK-FK-002 and CK-FK-003).
    """
    lines = ["Records per table:"]
    lines += [f"  {table:<13}{count:>6}" for table, count in dataset.counts.items()]
    lines.append("")
    lines.append("Partnerships:")
    width = max((len(p.acronym) for p in dataset.partnerships), default=0) + 2
    # A dataset that was loaded but not validated may name a generation or a
    # cluster it does not hold: those are shown by their ids, not looked up.
    generations = dataset.all_generations
    clusters = {cluster.id: cluster for cluster in dataset.clusters}
    for partnership in dataset.partnerships:
        generation = generations.get(partnership.generation)
        period = generation.name if generation else f"{partnership.generation}?"
        countries = sorted(
            {
                clusters[m].country if m in clusters else f"{m}?"
                for m in partnership.members
            }
        )
        targets = ", ".join(t.country for t in dataset.targets_of(partnership.id))
        lines.append(
            f"  {partnership.acronym:<{width}}{period:<28}"
            f"{len(partnership.members)} members from {', '.join(countries)}; "
            f"targets {targets or '-'}"
        )
    lines.append("")
    lines.append("Activities by type:")
    by_type = Counter(activity.type.value for activity in dataset.activities)
    lines += [f"  {kind:<22}{count:>4}" for kind, count in by_type.most_common()]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Describe the dataset at ``argv[0]``, or the bundled example."""
    try:
        dataset = ck.load_dataset(argv[0]) if argv else ck.load_example()
    except ck.DatasetReadError as error:
        print(f"cannot read the dataset: {error}", file=sys.stderr)
        return 1
    if not argv:
        print("The bundled example dataset (fictional names, real countries):\n")
    print(describe(dataset))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
