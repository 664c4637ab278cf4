"""Private: `Member`, one file of a source that a reader opens (again) as bytes.

A dataset's files may be on disk, inside a zip archive, or bytes a program holds;
readers see each as a `Member`: the name to show in locations, and a function that
opens it for reading from its start. A reader may open a member twice (to find the
line of a bad byte, or to read the rows before a problem again).
"""

from __future__ import annotations

import codecs
import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import attrs

from clusterkit.errors import DatasetReadError
from clusterkit.values import Location

__all__ = [
    "DAMAGED",
    "ByteRange",
    "Member",
    "damaged_error",
    "describe_undecodable",
    "sniff_binary",
    "undecodable_line",
]

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError)
"""What reading a damaged member of an archive raises: a bad checksum, a broken
compressed stream, a member cut short (zipfile and zlib share no base class)."""


@attrs.frozen
class Member:
    """One file of a source.

    Attributes:
        display: The file as locations show it (`data/activities.csv`,
            `data.zip/activities.csv`, `<upload>`).
        opener: Opens the file for reading bytes, from its start.
        path: The file on disk, when it is one (byte ranges are read from it).
    """

    display: str
    opener: Callable[[], IO[bytes]]
    path: Path | None = None

    @classmethod
    def of_path(cls, path: Path, display: str) -> Member:
        """A file on disk."""
        return cls(display, lambda: path.open("rb"), path)

    def open(self) -> IO[bytes]:
        """Open the file for reading.

        Raises:
            DatasetReadError: It cannot be opened (permission denied, gone).
        """
        try:
            return self.opener()
        except OSError as error:
            problem = f"cannot open: {error.strerror or error}"
            raise DatasetReadError.at(Location(file=self.display), problem) from None
        except (RuntimeError, NotImplementedError, *DAMAGED) as error:
            # An archive member that is encrypted, or compressed in a way zipfile
            # cannot read, or damaged.
            problem = f"cannot open: {error}"
            raise DatasetReadError.at(Location(file=self.display), problem) from None

    def head(self, size: int = 4096) -> bytes:
        """The first bytes of the file."""
        with self.open() as handle:
            return handle.read(size)


def describe_undecodable(member: Member, error: UnicodeDecodeError) -> str:
    """Say why a file is not UTF-8 text, naming the codec it most likely uses."""
    head = member.head()
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
    bad = error.object[error.start] if error.start < len(error.object) else 0
    return f"not UTF-8 text (byte 0x{bad:02x}); {likely}"


def undecodable_line(member: Member) -> int:
    """The physical line (from 1) of the first byte of a file that is not UTF-8.

    A text reader decodes ahead of the line it hands out, so the line it has reached
    when decoding fails is not where the bad byte is; this finds the byte itself.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with member.open() as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as error:
                return line + block.count(b"\n", 0, error.start)
            line += block.count(b"\n")
    return line  # a character cut off at the very end of the file


def undecodable_error(member: Member, error: UnicodeDecodeError) -> DatasetReadError:
    """The error for a file that is not UTF-8, at the line of its first bad byte."""
    location = Location(file=member.display, line=undecodable_line(member))
    return DatasetReadError.at(location, describe_undecodable(member, error))


def damaged_error(
    member: Member, error: BaseException, line: int | None = None
) -> DatasetReadError:
    """The error for a file that is damaged (a member of an archive that cannot be read)."""
    location = Location(file=member.display, line=line)
    return DatasetReadError.at(location, f"the file is damaged ({error})")


def sniff_binary(head: bytes) -> bool:
    """Whether the first bytes of a file look like binary data rather than text."""
    return b"\x00" in head or head.startswith((b"PK\x03\x04", b"\x89PNG", b"%PDF"))


class ByteRange(io.RawIOBase):
    """The next `size` bytes of a binary file, as a file of their own (a shard)."""

    def __init__(self, raw: IO[bytes], size: int) -> None:
        self._raw = raw
        self._left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), self._left)
        if size <= 0:
            return 0
        data = self._raw.read(size)
        buffer[: len(data)] = data
        self._left -= len(data)
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()
