"""Regenerate the bundled example dataset in ``src/clusterkit/data/example/``.

The example is fictional: it is written by the seeded generator of
`clusterkit.testing`, so running this script again gives the same files.

Run from the repository root::

    python bench/make_example.py
"""

from __future__ import annotations

from pathlib import Path

from clusterkit.io import dump_dataset, load_dataset
from clusterkit.testing import generate_dataset

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "src" / "clusterkit" / "data" / "example"
)


def main() -> None:
    """Write the example folder and check that it reads back unchanged."""
    dataset = generate_dataset(seed=2018)
    dump_dataset(dataset, EXAMPLE, overwrite=True)
    if load_dataset(EXAMPLE) != dataset:
        msg = f"{EXAMPLE} does not read back as the generated dataset"
        raise SystemExit(msg)
    counts = ", ".join(f"{n} {table}" for table, n in dataset.counts.items())
    print(f"wrote {EXAMPLE}: {counts}")


if __name__ == "__main__":
    main()
