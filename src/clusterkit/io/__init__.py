"""Reading and writing datasets: CSV and JSON Lines folders, JSON documents, workbooks.

`load_dataset` reads any of the four layouts; `dump_dataset` writes one;
`iter_records` streams one table with the location of each record.
"""

from clusterkit.io._dataset import (
    Layout,
    detect_layout,
    dump_dataset,
    iter_raw_rows,
    iter_records,
    load_dataset,
)
from clusterkit.io._example import example_path, load_example
from clusterkit.io._rows import RawRow

__all__ = [
    "Layout",
    "RawRow",
    "detect_layout",
    "dump_dataset",
    "example_path",
    "iter_raw_rows",
    "iter_records",
    "load_dataset",
    "load_example",
]
