"""The cyclic garbage collector is paused while data is read, checked and added up."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import clusterkit as ck
from clusterkit._cycles import cycles_paused
from clusterkit.io import _dataset, example_path
from clusterkit.kpis import _compute
from clusterkit.rules import _engine

EXAMPLE = example_path()


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations of the collections that run while the test does."""
    ran: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            ran.append(info["generation"])

    gc.callbacks.append(note)
    try:
        yield ran
    finally:
        gc.callbacks.remove(note)


def test_a_paused_collector_resumes_as_it_was() -> None:
    """Running before, it runs after (an error too); paused before, it stays paused."""
    assert gc.isenabled()
    with cycles_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), cycles_paused():
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with cycles_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


WORK: dict[str, Callable[[], object]] = {
    "load_dataset": lambda: ck.load_dataset(EXAMPLE),
    "load_dataset(errors='report')": lambda: ck.load_dataset(EXAMPLE, errors="report"),
    "validate": lambda: ck.validate(EXAMPLE),
    "compute_kpis": lambda: ck.compute_kpis(EXAMPLE),
}


@pytest.mark.parametrize("work", WORK)
def test_no_collection_runs_while_data_is_read(
    work: str, collections: list[int]
) -> None:
    """Each makes thousands of objects, and no collection starts before the end."""
    gc.collect()
    collections.clear()
    WORK[work]()
    # At most the one that the objects made start once the collector is back.
    assert len(collections) <= 1
    assert gc.isenabled()


@pytest.mark.parametrize("work", WORK)
def test_collections_would_run_without_the_pause(
    work: str, collections: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The work is large enough to start collections: the test above can fail."""
    for module in (_dataset, _compute, _engine):
        monkeypatch.setattr(module, "cycles_paused", contextlib.nullcontext)
    gc.collect()
    collections.clear()
    WORK[work]()
    assert len(collections) > 1


def test_the_collector_resumes_after_a_failed_load(tmp_path: Path) -> None:
    """A load that raises leaves the collector running."""
    (tmp_path / "smes.csv").write_text("id\n1\n", encoding="utf-8")
    with pytest.raises(ck.DatasetReadError):
        ck.load_dataset(tmp_path)
    assert gc.isenabled()
