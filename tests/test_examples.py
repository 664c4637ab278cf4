"""The scripts in examples/ run and print what they promise."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import write

EXAMPLES = Path(__file__).parents[1] / "examples"


def run_example(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run one example script as a user would."""
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_quickstart_describes_the_example() -> None:
    """The quick start prints the example's tables, partnerships and activity types."""
    done = run_example("quickstart.py")
    assert done.returncode == 0, done.stderr
    assert "fictional" in done.stdout
    assert re.search(r"^  activities +150$", done.stdout, re.MULTILINE)
    assert re.search(r"^  clusters +25$", done.stdout, re.MULTILINE)
    assert "Activities by type:" in done.stdout


def test_quickstart_on_a_broken_dataset(tmp_path: Path) -> None:
    """Given an unreadable dataset, the quick start says why and exits 1."""
    write(tmp_path / "clusters.csv", "id,name,country\nC1,N,Atlantis\n")
    done = run_example("quickstart.py", str(tmp_path))
    assert done.returncode == 1
    assert "'Atlantis' is not a known country" in done.stderr
