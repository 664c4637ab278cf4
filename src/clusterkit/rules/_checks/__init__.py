"""Private: the rules and their checks, one module per family; importing declares them.

The modules are imported in catalogue order (identity, time, geography, structure,
counts, duplicates), which is the order `clusterkit rules` lists the rules in.
"""

import importlib

_FAMILIES = ("_identity", "_time", "_geography", "_structure", "_counts", "_duplicates")

for _family in _FAMILIES:
    importlib.import_module(f"{__name__}.{_family}")
