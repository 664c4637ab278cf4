"""Private: opening text files and explaining why one cannot be decoded."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import TextIO

from clusterkit.errors import DatasetReadError
from clusterkit.values import Location

__all__ = [
    "describe_undecodable",
    "open_text",
    "sniff_binary",
    "undecodable_error",
    "undecodable_line",
]


def open_text(path: Path, display: str, *, newline: str | None = None) -> TextIO:
    """Open a UTF-8 text file (with or without a byte-order mark) for reading.

    Raises:
        DatasetReadError: The file cannot be opened.
    """
    try:
        return path.open(encoding="utf-8-sig", newline=newline)
    except OSError as error:
        problem = f"cannot open: {error.strerror or error}"
        raise DatasetReadError.at(Location(file=display), problem) from None


def undecodable_error(
    path: Path, display: str, error: UnicodeDecodeError
) -> DatasetReadError:
    """The error for a file that is not UTF-8, at the line of its first bad byte."""
    location = Location(file=display, line=undecodable_line(path))
    return DatasetReadError.at(location, describe_undecodable(path, error))


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def describe_undecodable(path: Path, error: UnicodeDecodeError) -> str:
    """Say why `path` is not UTF-8 text, naming the codec it most likely uses."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head.startswith(_UTF16_BOMS) or (
        len(head) > 1 and head.count(b"\x00") * 4 > len(head)
    ):
        likely = "it looks like UTF-16; save it as UTF-8"
    elif sniff_binary(head):
        likely = "it looks like binary data, not text"
    else:
        likely = (
            "it looks like Latin-1 or Windows-1252; save it as UTF-8 "
            "(in Excel: 'CSV UTF-8')"
        )
    return f"not UTF-8 text (byte 0x{error.object[error.start]:02x}); {likely}"


def undecodable_line(path: Path) -> int:
    """The physical line (from 1) of the first byte of `path` that is not UTF-8.

    A text reader decodes ahead of the line it hands out, so the line it has reached
    when decoding fails is not where the bad byte is; this finds the byte itself.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return line + block.count(b"\n", 0, error.start)
            line += block.count(b"\n")
    return line  # a character cut off at the very end of the file


def sniff_binary(head: bytes) -> bool:
    """Whether the first bytes of a file look like binary data rather than text."""
    return b"\x00" in head or head.startswith((b"PK\x03\x04", b"\x89PNG", b"%PDF"))
