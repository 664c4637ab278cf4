r"""Private: output to a stream whose encoding cannot hold every character.

A Windows console redirected to a file writes in the locale's code page
(cp1252), and `PYTHONIOENCODING=ascii` asks for ASCII: a country name in
Cyrillic, or a finding that quotes one, would then stop the command with a
`UnicodeEncodeError`. Such a character is written as a JSON escape instead
(`\u0420`, and a surrogate pair `\ud83d\ude00` beyond the BMP): still
readable, and JSON output stays valid JSON that decodes to the same text.

Formats read by programs are meant to be UTF-8 (JSON, and so SARIF) or say
they are (JUnit XML), so on such a stream they are written in ASCII: every
other character as the format's own escape (`\u00e9`, `&#xe9;`).
"""

from __future__ import annotations

import codecs
import contextlib
import io
import re
from collections.abc import Callable, Iterator
from typing import TextIO, cast

__all__ = [
    "as_written",
    "escaping_what_cannot_be_written",
    "for_format",
    "holds_everything",
]

_HANDLER = "clusterkit.json-escape"
_BMP = 0xFFFF


def _json_escaped(text: str) -> str:
    """Each character of `text` as a JSON escape (a surrogate pair beyond the BMP)."""
    escaped = []
    for char in text:
        code = ord(char)
        if code > _BMP:
            code -= 0x10000
            escaped.append(
                f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
            )
        else:
            escaped.append(f"\\u{code:04x}")
    return "".join(escaped)


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    return _json_escaped(error.object[error.start : error.end]), error.end


codecs.register_error(_HANDLER, _json_escape)


def _utf(encoding: str) -> bool:
    """Whether an encoding writes every character: UTF-8, -16, -32 (and -7)."""
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def holds_everything(stream: object) -> bool:
    """Whether a stream writes every character: text in memory, or a UTF encoding."""
    encoding = getattr(stream, "encoding", None)
    return encoding is None or _utf(encoding)


def as_written(text: str, stream: TextIO) -> str:
    r"""`text` as `stream` will write it: what its encoding cannot hold, escaped.

    Columns are aligned on this, not on `text`: on an ASCII stream, `Г` is
    written as `\u0413`, six characters wide. A stream whose errors are
    `strict` is taken as `escaping_what_cannot_be_written` sets it; one with
    other errors (`replace`) as it writes.
    """
    if holds_everything(stream):
        return text
    errors = stream.errors
    if errors is None or errors == "strict":
        errors = _HANDLER
    return text.encode(stream.encoding, errors).decode(stream.encoding)


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
                and not _utf(stream.encoding)
            ):
                stream.reconfigure(errors=_HANDLER)
                changed.append(stream)
        yield
    finally:
        for stream in changed:
            # A reader that went away (a broken pipe) leaves nothing to set back.
            with contextlib.suppress(OSError, ValueError):
                stream.reconfigure(errors="strict")


_BEYOND_ASCII = re.compile("[^\x00-\x7f]+")
_ESCAPES: dict[str, Callable[[str], str]] = {
    "json": _json_escaped,
    "sarif": _json_escaped,
    "junit": lambda text: "".join(f"&#x{ord(char):x};" for char in text),
}


class _Ascii(io.TextIOBase):
    """Writes to a stream with every character beyond ASCII escaped."""

    def __init__(self, stream: TextIO, escape: Callable[[str], str]) -> None:
        self._stream = stream
        self._escape = escape

    def write(self, text: str) -> int:
        self._stream.write(
            _BEYOND_ASCII.sub(lambda match: self._escape(match.group()), text)
        )
        return len(text)

    def flush(self) -> None:
        self._stream.flush()


def for_format(stream: TextIO, format: str) -> TextIO:  # noqa: A002 - the option's name
    """Where to write output of `format`: `stream`, or ASCII to it (see the module).

    A stream without an encoding (text in memory) or in a UTF encoding is
    written to as it is, and so is any format but JSON, SARIF and JUnit XML.
    """
    escape = _ESCAPES.get(format)
    if escape is None or holds_everything(stream):
        return stream
    return cast("TextIO", _Ascii(stream, escape))
