"""Private: the cyclic garbage collector paused for work that makes many objects and few cycles."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["cycles_paused"]


@contextlib.contextmanager
def cycles_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block; resume it if it was running.

    Reading, validating and adding up make many objects that live on (records,
    key indexes) and almost no reference cycles. The collector, which runs
    every few hundred new objects, would walk the growing heap again and again:
    about a third of the time of `validate`, and a quarter to a third of
    `load_dataset`'s. Reference counting still frees everything else. A
    collector paused by the caller stays paused.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
