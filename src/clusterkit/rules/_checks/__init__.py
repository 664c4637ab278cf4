"""Private: the checks of the rules, one module per family; importing registers them."""

from clusterkit.rules._checks import _counts, _geography, _identity, _structure, _time

__all__ = ["_counts", "_geography", "_identity", "_structure", "_time"]
