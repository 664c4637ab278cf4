"""Private: the bundled, fictional example dataset."""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path

from clusterkit.io._dataset import load_dataset
from clusterkit.models import Dataset

__all__ = ["example_path", "load_example"]


def example_path() -> Path:
    """The folder of the bundled example dataset (CSV files).

    Added in version 0.1.0.
    """
    resource = (
        importlib.resources.files("clusterkit").joinpath("data").joinpath("example")
    )
    return Path(str(resource))


@functools.cache
def load_example() -> Dataset:
    """Load the bundled example dataset.

    The dataset is **fictional**: invented cluster, SME and partnership names, with
    real countries, activity types and generations. It has two generations, six
    partnerships, 25 clusters, 80 SMEs and 150 activities targeting markets such as
    the USA, China, Japan and Canada. Datasets are immutable, so the same object is
    returned on every call.

    Added in version 0.1.0.

    Examples:
        >>> import clusterkit as ck
        >>> ds = ck.load_example()
        >>> len(ds.clusters), len(ds.smes), len(ds.activities)
        (25, 80, 150)
    """
    return load_dataset(example_path())
