"""Benchmark country normalisation: accuracy and speed, clusterkit beside its peers.

Runs clusterkit, country_converter and pycountry (exact `lookup` and
`search_fuzzy`) side by side in one process, so the figures are ratios measured
under the same load:

- accuracy by category on the project's variant table
  (`tests/data/country_variants.csv`): a tool is right when it returns the expected
  country, or refuses a value that is not one country;
- names per second on repeated names (a column where a few names recur) and on
  distinct names (every value new);
- the first call, lookup indexes included, and `import clusterkit`, each in a
  fresh interpreter (median of several runs).

Run it from the repository root in an environment with the peers installed::

    python -m pip install -e . -r bench/requirements.txt
    python bench/countries.py
"""

from __future__ import annotations

import argparse
import csv
import importlib
import logging
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import clusterkit as ck

VARIANTS = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "country_variants.csv"
)
Tool = Callable[[str], str | None]


def clusterkit_tool() -> Tool:
    """clusterkit: the ISO code, or None when it refuses (unknown or ambiguous)."""

    def convert(name: str) -> str | None:
        try:
            return ck.normalise_country(name).alpha2
        except ck.CountryError:
            return None

    return convert


def coco_tool() -> Tool:
    """country_converter's `convert(..., to="ISO2")`; "not found" and lists refuse."""
    coco: Any = importlib.import_module("country_converter")
    # It logs every value it cannot convert; the accuracy table counts those.
    logging.getLogger("country_converter").setLevel(logging.CRITICAL)
    converter = coco.CountryConverter()

    def convert(name: str) -> str | None:
        result = converter.convert(name, to="ISO2", not_found=None)
        return result if isinstance(result, str) else None

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
    "pycountry.search_fuzzy": pycountry_fuzzy_tool,
}


def load_variants() -> list[dict[str, str]]:
    """The rows of the variant table."""
    with VARIANTS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def is_right(expected: str, answer: str | None) -> bool:
    """Whether a tool's answer is the expected country, or a refusal where one is due."""
    if expected == "!" or expected.startswith("?"):
        return answer is None
    return answer == expected


def accuracy(
    tools: dict[str, Tool], rows: Sequence[dict[str, str]]
) -> dict[str, dict[str, float]]:
    """Share of right answers per category and tool ("all" for the whole table)."""
    right: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total: dict[str, int] = defaultdict(int)
    for row in rows:
        for category in (row["category"], "all"):
            total[category] += 1
            for name, tool in tools.items():
                right[category][name] += is_right(row["expected"], tool(row["input"]))
    return {
        category: {name: right[category][name] / total[category] for name in tools}
        for category in sorted(total, key=lambda c: (c == "all", c))
    }


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


def fresh_interpreter_ms(code: str, runs: int) -> float:
    """Median milliseconds `code` reports when run in a new interpreter."""
    times = []
    for _ in range(runs):
        done = subprocess.run(  # noqa: S603 - a fixed command
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        times.append(float(done.stdout))
    return statistics.median(times)


FIRST_CALL = """
import time, clusterkit
start = time.perf_counter()
clusterkit.normalise_country({name!r})
print((time.perf_counter() - start) * 1000)
"""
IMPORT = """
import time
start = time.perf_counter()
import clusterkit
print((time.perf_counter() - start) * 1000)
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter timings")
    args = parser.parse_args(argv)
    budget, runs = (0.3, 3) if args.quick else (1.5, 7)

    tools = {name: make() for name, make in TOOLS.items()}
    rows = load_variants()
    print(f"## Accuracy on {len(rows)} variants ({VARIANTS.name})\n")
    print("| category | " + " | ".join(tools) + " |")
    print("| --- |" + " --- |" * len(tools))
    for category, shares in accuracy(tools, rows).items():
        cells = " | ".join(f"{shares[name]:.0%}" for name in tools)
        print(f"| {category} | {cells} |")

    print("\n## Names per second (one process, side by side)\n")
    print("| input | " + " | ".join(tools) + " | clusterkit / best peer |")
    print("| --- |" + " --- |" * (len(tools) + 1))
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

    print(f"\n## Fresh interpreter (median of {runs} runs)\n")
    print("| measure | ms |")
    print("| --- | --- |")
    print(f"| import clusterkit | {fresh_interpreter_ms(IMPORT, runs):.0f} |")
    for name in ("Germany", "Deutschland", "Korea, Rep."):
        code = FIRST_CALL.format(name=name)
        print(
            f"| first call normalise_country({name!r}) | {fresh_interpreter_ms(code, runs):.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
