r"""Private: output to a stream whose encoding cannot hold every character.

A Windows console redirected to a file writes in the locale's code page
(cp1252), and `PYTHONIOENCODING=ascii` asks for ASCII: a country name in
Cyrillic, or a finding that quotes one, would then stop the command with a
`UnicodeEncodeError`. Such a character is written as a JSON escape instead
(`\u0420`, and a surrogate pair `\ud83d\ude00` beyond the BMP): still
readable, and JSON and SARIF output stay valid JSON that decodes to the same
text.
"""

from __future__ import annotations

import codecs
import contextlib
import io
from collections.abc import Iterator
from typing import TextIO

__all__ = ["escaping_what_cannot_be_written"]

_HANDLER = "clusterkit.json-escape"
_BMP = 0xFFFF


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escaped = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > _BMP:
            code -= 0x10000
            escaped.append(
                f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
            )
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped), error.end


codecs.register_error(_HANDLER, _json_escape)


def _holds_everything(encoding: str | None) -> bool:
    """Whether an encoding can write every character: UTF-8, -16, -32 (and -7)."""
    try:
        return codecs.lookup(encoding or "ascii").name.startswith("utf")
    except LookupError:
        return False


@contextlib.contextmanager
def escaping_what_cannot_be_written(*streams: TextIO) -> Iterator[None]:
    """Within the block, the streams escape what their encoding cannot write.

    Only a text stream that would fail on it (errors `strict`, an encoding
    other than UTF-8, -16 or -32) is changed, and it is set back after.
    """
    changed: list[io.TextIOWrapper] = []
    try:
        for stream in streams:
            if (
                isinstance(stream, io.TextIOWrapper)
                and stream.errors == "strict"
                and not _holds_everything(stream.encoding)
            ):
                stream.reconfigure(errors=_HANDLER)
                changed.append(stream)
        yield
    finally:
        for stream in changed:
            # A reader that went away (a broken pipe) leaves nothing to set back.
            with contextlib.suppress(OSError, ValueError):
                stream.reconfigure(errors="strict")
