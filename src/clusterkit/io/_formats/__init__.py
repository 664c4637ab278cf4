"""Private: one module per file format, each defining `FORMAT` (see `io/_format.py`)."""
