"""Private: `Shard`, a byte range of one table's file, and cutting a file into shards.

A large activities file is cut at line breaks (for CSV, outside quoted cells: an
even number of quote characters before the cut), so that several processes can
each read a part. A file with a lone carriage return (a line break for the `csv`
module, not for this count) is not cut.
"""

from __future__ import annotations

import itertools
import mmap
import string
from pathlib import Path

import attrs

__all__ = ["MIN_SHARD_BYTES", "Shard", "split_csv", "split_jsonl"]

MIN_SHARD_BYTES = 4 << 20
"""Below this many bytes a part is not worth a process of its own (4 MiB)."""


@attrs.frozen
class Shard:
    """A byte range of one table's file, read instead of the whole file.

    The range starts and ends at a line break (outside any quoted cell), after
    the header; `first_line` is the physical line it starts on.
    """

    table: str
    start: int
    end: int
    first_line: int

    @property
    def span(self) -> tuple[int, int, int]:
        """`(start, end, first line)`, as the readers take it."""
        return (self.start, self.end, self.first_line)


def split_csv(path: Path, parts: int, min_bytes: int = MIN_SHARD_BYTES) -> list[Shard]:
    """Cut a CSV file into up to `parts` byte ranges of whole rows, after its header.

    Returns no shard (read it in one process) when the file is too small, is
    empty, or has a carriage return that is not part of CRLF (it would end a
    line for the `csv` module and not for this count).
    """
    return _split(path, parts, min_bytes, csv_file=True)


def split_jsonl(
    path: Path, parts: int, min_bytes: int = MIN_SHARD_BYTES
) -> list[Shard]:
    """Cut a JSON Lines file into up to `parts` byte ranges of whole lines.

    A line break never falls inside a JSON value (strings escape theirs), so
    any line break can end a part. Returns no shard as `split_csv` does.
    """
    return _split(path, parts, min_bytes, csv_file=False)


def _split(path: Path, parts: int, min_bytes: int, *, csv_file: bool) -> list[Shard]:
    size = path.stat().st_size
    parts = min(parts, size // min_bytes)
    if parts < 2:  # noqa: PLR2004 - one part is the whole file
        return []
    with (
        path.open("rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        if _count(data, b"\r") != _count(data, b"\r\n"):
            return []
        start = _header_end(data) if csv_file else 0
        if start is None:
            return []
        cuts = [start]
        for part in range(1, parts):
            near = max(cuts[-1], start + part * (size - start) // parts)
            cut = _cut(data, near) if csv_file else _line_end(data, near)
            if cut is None:
                break
            cuts.append(cut)  # after the last: `_cut` looks from there on
        cuts.append(size)
        return [
            Shard(
                table="activities",
                start=begin,
                end=end,
                first_line=1 + _count(data, b"\n", 0, begin),
            )
            for begin, end in itertools.pairwise(cuts)
            if end > begin
        ]


_CHUNK = 16 << 20


def _count(data: mmap.mmap, sub: bytes, start: int = 0, end: int | None = None) -> int:
    """`bytes.count` over a memory map, a chunk at a time (at C speed, in bounded memory)."""
    end = len(data) if end is None else end
    total = 0
    # Chunks overlap by len(sub) - 1 bytes, and a match is counted in the chunk
    # where it starts.
    for begin in range(start, end, _CHUNK):
        stop = min(begin + _CHUNK, end)
        total += data[begin : min(stop + len(sub) - 1, end)].count(sub)
    return total


def _header_end(data: mmap.mmap) -> int | None:
    """The offset after the header row (the first that is not blank), or `None`.

    The reader of a part finds the header itself, with the `csv` module and the
    file's separator; the cut must fall right after that same row. Here a line
    is surely blank when it holds only spaces, tabs and commas (blank for the
    reader whatever the separator: a comma on it makes that line decide the
    separator, and the comma is chosen), and surely the header when it holds a
    printable ASCII character that no separator or quote takes away. Anything
    else (a quote, a no-break space, a form feed, a BOM after the first) may be
    judged either way: `None`, the file is read in one process.
    """
    position = len(_BOM) if data[: len(_BOM)] == _BOM else 0
    while True:
        end = data.find(b"\n", position)
        if end < 0:
            return None
        line = data[position:end]
        if line.strip(_SURELY_BLANK):
            if not line.translate(None, _NOT_SURELY_TEXT):
                return None
            return end + 1 if line.count(b'"') % 2 == 0 else None
        position = end + 1


_BOM = b"\xef\xbb\xbf"
_SURELY_BLANK = b" \t\r,"
# A printable ASCII character other than a quote or a separator is text in a
# cell whatever the separator. Any other byte (controls, spaces, the bytes of a
# character outside ASCII, some of which are spaces) may leave a line blank.
_SURELY_TEXT = frozenset(
    (string.ascii_letters + string.digits + string.punctuation).encode()
) - frozenset(b'",;')
_NOT_SURELY_TEXT = bytes(byte for byte in range(256) if byte not in _SURELY_TEXT)


def _line_end(data: mmap.mmap, near: int) -> int | None:
    """The offset after the first line break at or after `near`."""
    end = data.find(b"\n", near)
    return None if end < 0 else end + 1


def _cut(data: mmap.mmap, near: int) -> int | None:
    """The first line break at or after `near` outside quoted cells, as an offset after it."""
    quotes = _count(data, b'"', 0, near)
    position = near
    while True:
        end = data.find(b"\n", position)
        if end < 0:
            return None
        quotes += _count(data, b'"', position, end)
        if quotes % 2 == 0:
            return end + 1
        position = end + 1
