"""`kpis --jobs N` and `compute_kpis(jobs=N)`: the review of the parallel path.

The header the splitter cuts after is the reader's; Ctrl-C and SIGTERM sent to
the whole process group end the run with one line and no worker left; every
option that shapes the result reaches the workers; `--jobs` below 1 says
"at least 1". Files are split above 16 KiB here (`split_csv` patched), not
4 MiB.
"""

from __future__ import annotations

import datetime as dt
import functools
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

import clusterkit as ck
from clusterkit import cli
from clusterkit._scan import Shard, split_csv
from clusterkit.kpis import _parallel
from clusterkit.kpis._parallel import _Part
from clusterkit.testing import generate_dataset

AS_OF = dt.date(2026, 1, 1)
SMALL_PART = 16 * 1024
SRC = Path(__file__).parents[1] / "src"

real_split_csv = split_csv


@pytest.fixture(scope="module", name="folder")
def fixture_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CSV folder of 3,000 activities, two with an unknown partnership."""
    ds = generate_dataset(seed=5, partnerships=6, clusters=25, smes=60, activities=3000)
    rows = list(ds.activities)
    for i in (100, 2900):
        rows[i] = rows[i].model_copy(update={"partnership": "P-unknown"})
    folder = tmp_path_factory.mktemp("jobs") / "data"
    ck.dump_dataset(ds.model_copy(update={"activities": tuple(rows)}), folder)
    return folder


@pytest.fixture(name="small_parts")
def fixture_small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_sharded` splits files into parts of 16 KiB and more."""

    def split(path: Path, parts: int) -> list[Shard]:
        return real_split_csv(path, parts, min_bytes=SMALL_PART)

    monkeypatch.setattr(_parallel, "split_csv", split)


def prefixed(folder: Path, prefix: bytes, tmp_path: Path) -> Path:
    """A copy of `folder` whose activities.csv starts with `prefix`."""
    copy = tmp_path / "prefixed"
    copy.mkdir()
    for file in folder.iterdir():
        data = file.read_bytes()
        (copy / file.name).write_bytes(
            prefix + data if file.name == "activities.csv" else data
        )
    return copy


# ---------------------------------------------------------------- the header


# Lines the reader skips as blank, and one it takes as the header, that the
# splitter used to judge the other way.
DOUBTFUL = {
    "empty quoted cells": b'"",""\r\n',
    "a no-break space": "\u00a0\r\n".encode(),
    "a form feed": b"\x0c\r\n",
    "a BOM after the first line": b"\r\n\xef\xbb\xbf\r\n",
}


@pytest.mark.parametrize("prefix", DOUBTFUL.values(), ids=DOUBTFUL)
@pytest.mark.usefixtures("small_parts")
def test_a_doubtful_line_before_the_header_gives_the_one_process_result(
    folder: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    prefix: bytes,
) -> None:
    """`kpis --jobs 2` prints and exits as `--jobs 1` (the header is never a row)."""
    path = prefixed(folder, prefix, tmp_path)
    assert real_split_csv(path / "activities.csv", 2, min_bytes=SMALL_PART) == []
    runs = []
    for jobs in ("1", "2"):
        argv = ["kpis", str(path), "--format", "json", "--as-of", "2026-01-01"]
        code = cli.main([*argv, "--jobs", jobs])
        runs.append((code, *capsys.readouterr()))
    assert runs[0] == runs[1]


@pytest.mark.parametrize(
    "prefix", [b"\r\n", b",,\r\n", b" \t, \r\n", b"\xef\xbb\xbf\r\n,\r\n"]
)
def test_lines_blank_for_any_separator_still_split(
    folder: Path, tmp_path: Path, prefix: bytes
) -> None:
    """Spaces, tabs and commas only: blank for the reader; the cut follows the header."""
    path = prefixed(folder, prefix, tmp_path) / "activities.csv"
    shards = real_split_csv(path, 2, min_bytes=SMALL_PART)
    assert len(shards) == 2
    data = path.read_bytes()
    header_end = data.index(b"\n", data.index(b"id,")) + 1
    assert shards[0].start == header_end


@pytest.mark.parametrize("header", [b'"",id\r\n', b"\xc2\xa0id\r\n"])
def test_a_header_with_text_of_its_own_is_the_header(
    folder: Path, tmp_path: Path, header: bytes
) -> None:
    """A line with a letter is not blank for any reader: a quote or a no-break space beside it is no doubt."""
    path = prefixed(folder, header, tmp_path) / "activities.csv"
    shards = real_split_csv(path, 2, min_bytes=SMALL_PART)
    assert [shard.start for shard in shards[:1]] == [len(header)]


# ---------------------------------------------------------------- options


@pytest.mark.usefixtures("small_parts")
def test_name_and_format_reach_the_workers(folder: Path) -> None:
    """`name=` names the findings of every part, as in one process."""
    alone = ck.compute_kpis(folder, as_of=AS_OF, name="MYNAME", format="csv")
    shared = ck.compute_kpis(folder, as_of=AS_OF, name="MYNAME", format="csv", jobs=2)
    assert alone.validation is not None
    assert shared.validation is not None
    locations = [str(f.location) for f in shared.validation.findings]
    assert locations == [str(f.location) for f in alone.validation.findings]
    assert len(locations) == 2
    assert all(location.startswith("MYNAME/activities.csv:") for location in locations)
    assert shared == alone


# ---------------------------------------------------------------- the workers


def _exits(code: int) -> _Part:
    os._exit(code)


def _fails() -> _Part:
    raise ValueError("boom in a part")


def _sleeps_through_sigterm(started: Path) -> _Part:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    started.touch()
    time.sleep(60)
    return _Part(clean=False)  # killed before


def test_a_worker_leaves_ctrl_c_to_the_caller_and_sends_its_part() -> None:
    """`_work`, in this process: SIGINT ignored, SIGTERM the default; the part or the error sent."""
    previous = {
        sent: signal.getsignal(sent) for sent in (signal.SIGINT, signal.SIGTERM)
    }
    received: list[Any] = []
    try:
        for task in (functools.partial(_Part, clean=False), _fails):
            receiver, sender = multiprocessing.Pipe(duplex=False)
            _parallel._work(task, sender)
            received.append(receiver.recv())
            receiver.close()
            assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
    finally:
        for sent, handler in previous.items():
            signal.signal(sent, handler)
    assert received[0] == _Part(clean=False)
    assert isinstance(received[1], ValueError)


def test_an_error_in_a_worker_is_raised_by_the_caller() -> None:
    """The worker's exception, as it was; the other workers are stopped."""
    with pytest.raises(ValueError, match="boom in a part"):
        _parallel._in_processes([_fails, functools.partial(_exits, 0)])


def test_a_worker_that_ends_without_its_part() -> None:
    """A worker gone without a word (killed, out of memory): an error with its exit code."""
    with pytest.raises(RuntimeError, match=r"without its part \(exit code 3\)"):
        _parallel._in_processes([functools.partial(_exits, 3)])


def test_a_worker_that_ignores_sigterm_is_killed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Stopping waits a bounded time, then kills; nothing is left running."""
    monkeypatch.setattr(_parallel, "_GRACE", 0.2)
    started = tmp_path / "started"
    stubborn = functools.partial(_sleeps_through_sigterm, started)

    def interrupted(worker: Any, receiver: Any) -> _Part:
        while not started.exists():
            time.sleep(0.01)
        raise KeyboardInterrupt

    monkeypatch.setattr(_parallel, "_received", interrupted)
    began = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        _parallel._in_processes([stubborn])
    assert time.monotonic() - began < 10
    assert multiprocessing.active_children() == []


# ---------------------------------------------------------------- signals

# The command line with parts of 16 KiB; each part writes its process id to a
# file and takes a while, so that the signal arrives while the workers run.
CHILD = textwrap.dedent(
    """
    import os, sys, time, multiprocessing
    from pathlib import Path
    from clusterkit import cli
    from clusterkit._scan import split_csv
    from clusterkit.kpis import _parallel

    log = Path(sys.argv[1])
    real = _parallel.run_pass

    def split(path, parts):
        return split_csv(path, parts, min_bytes=16 * 1024)

    def slow(*args, **kwargs):
        with log.open("a") as handle:
            handle.write(f"{os.getpid()}\\n")
        time.sleep(30)
        return real(*args, **kwargs)

    _parallel.split_csv = split
    _parallel.run_pass = slow
    code = cli.main(sys.argv[2:])
    print(len(multiprocessing.active_children()))
    sys.exit(code)
    """
)


def running(pid: int) -> bool:
    """Whether a process runs (a zombie, ended and not yet reaped, does not)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc")
@pytest.mark.parametrize(
    ("sent", "code", "word"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_signal_to_the_process_group_stops_every_worker(
    folder: Path, tmp_path: Path, sent: int, code: int, word: str
) -> None:
    """Ctrl-C (or SIGTERM) to the group while parts run: one line, the code, no worker left."""
    log = tmp_path / "pids.txt"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(log), "kpis", str(folder), "--jobs", "2"],
        env={**os.environ, "PYTHONPATH": str(SRC)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
            not log.exists() or len(log.read_text(encoding="utf-8").split()) < 2
        ):
            time.sleep(0.01)
        os.killpg(child.pid, sent)
        out, err = child.communicate(timeout=10)
    finally:
        if child.poll() is None:  # pragma: no cover - only when the test fails
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    workers = [int(pid) for pid in log.read_text(encoding="utf-8").split()]
    assert len(workers) == 2
    assert child.returncode == code, err
    assert err.count("\n") == 1, err
    assert word in err
    assert out == "0\n"  # no child of the command's process is left
    assert not any(running(pid) for pid in workers)


# ---------------------------------------------------------------- --jobs


@pytest.mark.parametrize("value", ["0", "-1", "-7", "two"])
def test_jobs_below_one_say_at_least_one(
    capsys: pytest.CaptureFixture[str], value: str
) -> None:
    """`--jobs -1` is refused as `--jobs 0` is: a number of processes, at least 1."""
    assert cli.main(["kpis", "--example", "--jobs", value]) == 2
    err = capsys.readouterr().err
    assert f"{value!r} is not a whole number of processes (at least 1)" in err
    assert "at least 0" not in err
