"""Build `clusterkit.reference.programme()`: the register imported into a dataset.

Run from the repository root after `src/clusterkit/data/programme/register.json`
changes (it is a copy of the project's sourced register of real partnerships),
then commit the result::

    python scripts/build_programme.py

It writes `programme/dataset.json` (the dataset, in the JSON document layout)
and `programme/notes.json` (every merge, inference and value the import left
out) next to the register. The sources name only some members of most
partnerships, so the import marks every member list as partial.
"""

from __future__ import annotations

import json
from pathlib import Path

from clusterkit.io import dump_dataset, import_partnerships

FOLDER = Path("src/clusterkit/data/programme")


def main() -> int:
    """Import the register and write the dataset and the notes."""
    result = import_partnerships(FOLDER / "register.json", members_partial=True)
    dump_dataset(result.dataset, FOLDER / "dataset.json", overwrite=True)
    notes = [
        {"record": n.record, "field": n.field, "kind": n.kind, "message": n.message}
        for n in result.notes
    ]
    (FOLDER / "notes.json").write_text(
        json.dumps(notes, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    counts = ", ".join(f"{n} {table}" for table, n in result.dataset.counts.items())
    print(f"{FOLDER}: {counts}; {len(notes)} notes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
