"""Private: safe output — a file or a folder written whole or not at all; CSV formulas escaped; JSON any UTF encoding can write.

Every file clusterkit writes goes first to a temporary file beside its
destination, is flushed to the disk (`fsync`) and then renamed over the
destination (`os.replace`): a reader sees the old file or the new one, never a
part of one. On an error, Ctrl-C or SIGTERM (which the command line turns into
an exception) the temporary file is removed and the destination is unchanged.

A destination that is a symbolic link, even a dangling one, is refused: writing
through a link would write somewhere the user did not name.

A file name that is not UTF-8 reaches Python with its bad bytes as lone
surrogates (`"data_\udcff"`, PEP 383), and a JSON document may hold a string
with one. `json.dumps(..., ensure_ascii=False)` copies such a character as it
is, which no UTF encoding can write; `surrogates_escaped` writes it as its JSON
escape instead, valid JSON that decodes to the same string.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

__all__ = [
    "FORMULA_STARTS",
    "atomic_file",
    "atomic_folder",
    "atomic_path",
    "escape_formula",
    "refuse_link",
    "signals_held",
    "special",
    "surrogates_escaped",
    "unescape_formula",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a cell starts with when a spreadsheet would run it as a formula (OWASP)."""


def escape_formula(text: str) -> str:
    """`text` with a `'` before it when a spreadsheet would take it as a formula.

    A text that starts with quotes before such a start gets one quote more, so
    that `unescape_formula` gives back every text as it was.

    Examples:
        >>> escape_formula("=HYPERLINK(1)"), escape_formula("Optics Valley")
        ("'=HYPERLINK(1)", 'Optics Valley')
        >>> escape_formula("'=1")
        "''=1"
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def unescape_formula(text: str) -> str:
    """Undo `escape_formula`: one `'` is dropped before a risky start.

    Examples:
        >>> unescape_formula("'=1+1"), unescape_formula("''=1"), unescape_formula("'a'")
        ('=1+1', "'=1", "'a'")
    """
    escaped = text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS)
    return text[1:] if escaped else text


def special(path: Path) -> bool:
    """Whether `path` is a device or a pipe (`/dev/null`, `/dev/stdout`).

    Such a destination is written to as it is: it cannot be replaced.
    """
    try:
        mode = path.stat().st_mode
    except OSError:  # absent, a dangling link, a name too long
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def refuse_link(path: Path) -> None:
    """Refuse a destination that is a symbolic link (dangling or not).

    A link to a device or a pipe (`/dev/stdout`) is not refused.

    Raises:
        FileExistsError: `path` is a symbolic link.
    """
    if path.is_symlink() and not special(path):
        msg = (
            f"{path} is a symbolic link; clusterkit does not write through links "
            "(remove it, or name the file it points to)"
        )
        raise FileExistsError(msg)


def _mode(path: Path, *, folder: bool) -> None:
    """Give a temporary file or folder the permissions a new one would have.

    `mkstemp` and `mkdtemp` create them for their owner only.
    """
    umask = os.umask(0o022)
    os.umask(umask)
    path.chmod((0o777 if folder else 0o666) & ~umask)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDWR)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM in this thread while the block runs.

    A rename is never cut short, a process started meanwhile inherits the mask
    (it sets its own handlers before it takes a signal). A signal that arrives
    meanwhile is delivered when the block ends.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:  # pragma: no cover - Windows has no signal masks
        yield
        return
    mask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        mask(signal.SIG_UNBLOCK, held)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write `path` at; it replaces `path` when the block ends.

    For writers that take a path (a workbook's `save`). The parent folder must
    exist. A device or a pipe (`/dev/stdout`) is written to directly.

    Raises:
        FileExistsError: `path` is a symbolic link.
        OSError: The file cannot be written (a missing parent, a full disk).
    """
    if special(path):
        yield path
        return
    refuse_link(path)
    descriptor, name = tempfile.mkstemp(
        prefix=f".{path.name[:64]}.", suffix=".tmp", dir=path.parent
    )
    os.close(descriptor)
    temporary = Path(name)
    try:
        yield temporary
        _fsync(temporary)
        _mode(temporary, folder=False)
        with signals_held():
            temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_file(
    path: Path, *, binary: bool = False, newline: str | None = None
) -> Iterator[IO[Any]]:
    """A file open for writing that replaces `path` when the block ends.

    Text is UTF-8. Nothing is written to `path` if the block raises.

    Raises:
        FileExistsError: `path` is a symbolic link.
        OSError: The file cannot be written (a missing parent, a full disk).
    """
    with atomic_path(path) as temporary:
        if binary:
            with temporary.open("wb") as handle:
                yield handle
        else:
            with temporary.open("w", encoding="utf-8", newline=newline) as handle:
                yield handle


@contextlib.contextmanager
def atomic_folder(path: Path, names: Sequence[str]) -> Iterator[Path]:
    """A temporary folder to write the files `names` in, moved to `path` at the end.

    A new folder (and its missing parents) is created under a temporary name and
    renamed to `path`. Into an existing folder, each file replaces its namesake
    only once every file is complete; other files in the folder are left alone.

    Raises:
        FileExistsError: `path`, or one of the files to replace, is a symbolic
            link.
        OSError: The files cannot be written.
    """
    refuse_link(path)
    existing = path.is_dir()
    if existing:
        for name in names:
            refuse_link(path / name)
        # Inside the folder: on its file system, so each file moves by renaming.
        temporary = Path(tempfile.mkdtemp(prefix=".clusterkit-", dir=path))
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(
            tempfile.mkdtemp(
                prefix=f".{path.name[:64]}.", suffix=".tmp", dir=path.parent
            )
        )
    try:
        yield temporary
        for name in names:
            _fsync(temporary / name)
            _mode(temporary / name, folder=False)
        with signals_held():
            if existing:
                for name in names:
                    (temporary / name).replace(path / name)
                temporary.rmdir()
            else:
                _mode(temporary, folder=True)
                temporary.rename(path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogates_escaped(text: str) -> str:
    r"""JSON text with each surrogate character written as its escape (`\udcff`).

    Only valid inside JSON strings, where a surrogate can only be; other text is
    returned as it is, ASCII text at once.

    Examples:
        >>> surrogates_escaped('{"file": "data_\udcff"}')
        '{"file": "data_\\udcff"}'
        >>> surrogates_escaped('{"name": "Łódź"}')
        '{"name": "Łódź"}'
    """
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
