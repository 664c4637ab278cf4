"""Private: opening text files and explaining why one cannot be decoded."""

from __future__ import annotations

import codecs
from pathlib import Path

__all__ = ["describe_undecodable", "sniff_binary"]

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


def sniff_binary(head: bytes) -> bool:
    """Whether the first bytes of a file look like binary data rather than text."""
    return b"\x00" in head or head.startswith((b"PK\x03\x04", b"\x89PNG", b"%PDF"))
