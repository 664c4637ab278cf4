"""Private: what the commands share (errors, the parser class, argument types, rule options, output)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, TypeAlias, cast

import attrs

from clusterkit._output import atomic_file, surrogates_escaped
from clusterkit.cli._encoding import holds_everything
from clusterkit.io import UNREADABLE, Limits, example_path, is_database
from clusterkit.models import TABLES
from clusterkit.reference import programme_path
from clusterkit.rules import Thresholds

if TYPE_CHECKING:  # annotations only: `clusterkit.kpis` loads on use
    from clusterkit.kpis import KPIResult

__all__ = [
    "EXIT_DATA",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "EXIT_USAGE",
    "PROGRESS_EVERY",
    "SOURCES",
    "STDOUT",
    "Commands",
    "Parser",
    "Progress",
    "UsageError",
    "add_as_of",
    "add_limit_options",
    "add_rule_options",
    "add_scope_options",
    "add_source_options",
    "add_symlink_options",
    "count",
    "follow_symlinks",
    "iso_date",
    "limits",
    "not_read_in_full",
    "output_file",
    "print_json",
    "progress",
    "refuse_inputs",
    "rule_options_given",
    "scope_arguments",
    "source_path",
    "stdin_or",
    "thresholds",
    "writing",
]

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


STDOUT = "-"
"""`--output -`: standard output, as `-` for a PATH is standard input."""


class UsageError(Exception):
    """A command line that cannot be carried out as given."""


class Parser(argparse.ArgumentParser):
    """An argument parser that raises `UsageError` instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]  # argparse's is NoReturn; raising keeps that
        """Raise the usage error, with the program's name, for `main` to report."""
        raise UsageError(f"{self.prog}: error: {message}")


Commands: TypeAlias = "argparse._SubParsersAction[Parser]"  # noqa: SLF001 - argparse has no public name for what add_subparsers returns
"""What each command module's `register` adds its subparser to."""


SOURCES = (
    "a folder of CSV or JSON Lines files, a .zip of one, a .json document, an "
    ".xlsx workbook, a database URL such as sqlite:///data.db, or - for a zip, "
    "a JSON document or a workbook on standard input"
)
"""What a dataset PATH can be, for the commands' help."""


def stdin_or(path: str | Path, command: str) -> str | Path | IO[bytes]:
    """`-` is standard input (a zip of a folder or a JSON document); else the path.

    Raises:
        UsageError: `-` when there is no standard input (closed with `<&-`).
    """
    if str(path) != "-":
        return path
    # Python sets sys.stdin to None when descriptor 0 is closed.
    stream: IO[bytes] | None = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise UsageError(
            f"clusterkit {command}: standard input (-) is closed; pipe the "
            "dataset in, or give its PATH"
        )
    return stream


# The shape the help promises: `date.fromisoformat` also takes "20190601" and
# week dates ("2019-W22-6") from Python 3.11 on.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_date(text: str) -> dt.date:
    """An argument type: a day as YYYY-MM-DD."""
    if _ISO_DATE.fullmatch(text):
        with contextlib.suppress(ValueError):  # a day that does not exist
            return dt.date.fromisoformat(text)
    msg = f"{text!r} is not a date in the form YYYY-MM-DD"
    raise argparse.ArgumentTypeError(msg)


def count(text: str) -> int:
    """An argument type: a whole number of at least 0."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        msg = f"{text!r} is not a whole number of at least 0"
        raise argparse.ArgumentTypeError(msg)
    return value


def add_source_options(command: argparse.ArgumentParser) -> None:
    """Add the dataset: `PATH` (or `-`), `--example` or `--programme`.

    `kpis` and `report` take them alike; `source_path(args, command)` reads them.
    """
    command.add_argument("path", nargs="?", metavar="PATH")
    command.add_argument(
        "--example", action="store_true", help="use the bundled example dataset"
    )
    command.add_argument(
        "--programme",
        action="store_true",
        help="use the register of real partnerships (clusterkit.reference.programme())",
    )


def source_path(args: argparse.Namespace, command: str) -> Path | str:
    """The dataset that `add_source_options` chose: its path (`-` is standard input).

    A database URL (`sqlite:///data.db`) is given back as it was written.

    Raises:
        UsageError: More than one dataset given, or a path that does not exist.
    """
    if sum((args.example, args.programme, args.path is not None)) > 1:
        raise UsageError(
            f"clusterkit {command}: give one of a dataset PATH, --example or --programme"
        )
    if args.path is not None and is_database(args.path):
        return str(args.path)
    path = (
        example_path()
        if args.example
        else programme_path()
        if args.programme
        else Path(args.path or ".")
    )
    if args.path != "-" and not path.exists():
        raise UsageError(f"clusterkit {command}: {path}: no such file or directory")
    return path


def add_limit_options(command: argparse.ArgumentParser) -> None:
    """Add an option for each field of `Limits`: `--max-json-depth`, `--max-rows`, ….

    Every command that reads a dataset takes them; `limits(args, command)`
    reads them.
    """
    for field in attrs.fields(Limits):
        command.add_argument(
            "--" + field.name.replace("_", "-"),
            type=count,
            metavar="N",
            help=f"{_LIMIT_HELP[field.name]} (default {field.default:,})",
        )


_LIMIT_HELP = {
    "max_json_depth": "how deeply arrays and objects may nest in one JSON record",
    "max_digits": "the most digits (and exponent) of a count or an amount",
    "max_cell_chars": "the most characters of one cell (CSV, JSON string, workbook)",
    "max_sheets": "the most sheets of an .xlsx workbook",
    "max_rows": "the most rows of one workbook sheet",
    "max_columns": "the highest column of a workbook cell",
    "max_member_bytes": "the most bytes one part of a workbook inflates to",
    "max_inflate_ratio": "how many times its stored size a workbook part may inflate",
    "max_shared_strings": "the most shared strings of a workbook",
}


def limits(args: argparse.Namespace, command: str) -> Limits:
    """The `Limits` that `add_limit_options` chose (a default for each one not given).

    Raises:
        UsageError: A limit below its minimum.
    """
    given = {
        field.name: getattr(args, field.name)
        for field in attrs.fields(Limits)
        if getattr(args, field.name) is not None
    }
    try:
        return Limits(**given)
    except ValueError as error:
        message = str(error)
        for name in given:
            message = message.replace(f"Limits.{name}", "--" + name.replace("_", "-"))
        raise UsageError(f"clusterkit {command}: {message}") from None


def add_scope_options(command: argparse.ArgumentParser) -> None:
    """Add the KPI scope: `--generation`, `--partnership`, `--target-country`, `--from`, `--to`.

    `kpis` and `report` take them alike, as the keyword arguments of
    `compute_kpis` (`args.generation`, `args.start`, …).
    """
    for name, what in (
        ("generation", "generation ids"),
        ("partnership", "partnership ids"),
        ("target-country", "countries (any spelling)"),
    ):
        command.add_argument(
            f"--{name}",
            action="append",
            metavar="ID" if name != "target-country" else "COUNTRY",
            help=f"only these {what}; repeatable, comma-separated",
        )
    command.add_argument(
        "--from",
        dest="start",
        type=iso_date,
        metavar="DATE",
        help="only activities starting on or after DATE",
    )
    command.add_argument(
        "--to",
        dest="end",
        type=iso_date,
        metavar="DATE",
        help="only activities starting on or before DATE",
    )


def add_as_of(command: argparse.ArgumentParser) -> None:
    """Add `--as-of DATE`, the day after which dates are in the future."""
    command.add_argument(
        "--as-of",
        type=iso_date,
        metavar="DATE",
        help="dates after this day are in the future (CK-DATE-004); default: today",
    )


def add_rule_options(command: argparse.ArgumentParser) -> None:
    """Add `--select`, `--ignore` and `--threshold NAME=N`: which rules run, how strictly.

    `validate` and `kpis` take them alike: `args.select` and `args.ignore` are
    lists of what was given (the API parses them), and `thresholds(args)`
    reads `--threshold`.
    """
    command.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULES",
        help="only these rules: ids or family prefixes (CK-GEO), comma-separated",
    )
    command.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="RULES",
        help="not these rules: ids or family prefixes, comma-separated",
    )
    command.add_argument(
        "--threshold",
        action="append",
        default=[],
        type=_threshold,
        metavar="NAME=N",
        help=(
            "override a partnership-structure threshold for every generation: "
            f"{', '.join(attrs.fields_dict(Thresholds))}; repeatable"
        ),
    )


def _threshold(text: str) -> tuple[str, int]:
    name, _, number = text.partition("=")
    names = attrs.fields_dict(Thresholds)
    if name.strip() not in names:
        msg = f"{name.strip()!r} is not a threshold; thresholds are {', '.join(names)}"
        raise argparse.ArgumentTypeError(msg)
    return name.strip(), count(number.strip())


def thresholds(args: argparse.Namespace) -> Thresholds | None:
    """The `--threshold` overrides given, or `None` when there are none."""
    return Thresholds(**dict(args.threshold)) if args.threshold else None


def scope_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The scope, rules and day that `kpis` and `report` pass on alike, by keyword."""
    return {
        "generation": args.generation,
        "partnership": args.partnership,
        "start": args.start,
        "end": args.end,
        "target_country": args.target_country,
        "select": args.select or None,
        "ignore": args.ignore or None,
        "thresholds": thresholds(args),
        "as_of": args.as_of,
    }


def rule_options_given(args: argparse.Namespace) -> list[str]:
    """The options of `add_rule_options` on the command line, as written there."""
    return [
        f"--{name}" for name in ("select", "ignore", "threshold") if getattr(args, name)
    ]


def add_symlink_options(command: argparse.ArgumentParser) -> None:
    """Add `--follow-symlinks` and `--no-follow-symlinks`; `follow_symlinks(args)` reads them."""
    command.add_argument(
        "--follow-symlinks",
        dest="follow_symlinks",
        action="store_true",
        default=None,
        help="read table files that link outside their dataset folder "
        "(the default, except in CI)",
    )
    command.add_argument(
        "--no-follow-symlinks",
        dest="follow_symlinks",
        action="store_false",
        help="refuse table files that link outside their dataset folder "
        "(the default when CI=true)",
    )


def follow_symlinks(args: argparse.Namespace) -> bool:
    """Whether to read links out of a dataset folder: as given, else not when `CI=true`."""
    if args.follow_symlinks is not None:
        return bool(args.follow_symlinks)
    # On CI, a pull request from a fork may link a table to a secret file.
    return os.environ.get("CI", "").lower() != "true"


def print_json(data: object, out: TextIO) -> None:
    """Write `data` as indented JSON and a newline.

    Beyond ASCII, characters are written as they are where the stream's
    encoding holds them all (UTF-8), and as JSON escapes where it does not.
    """
    text = json.dumps(data, indent=2, ensure_ascii=not holds_everything(out))
    out.write(surrogates_escaped(text) + "\n")


@contextlib.contextmanager
def writing(path: str | os.PathLike[str], command: str) -> Iterator[None]:
    """Report a destination that cannot be written on one line, as a usage error.

    For blocks that only write (what they write was read before).

    Args:
        path: The destination as given, for the message.
        command: The command, for the message (`convert`, `kpis`).

    Raises:
        UsageError: The block raised `FileExistsError` (a destination that exists
            without `--force`, or a symbolic link) or another `OSError` (a
            missing parent, no permission, a full disk).
    """
    try:
        yield
    except FileExistsError as error:
        if error.errno is not None:  # from the system, not clusterkit's refusal
            raise UsageError(
                f"clusterkit {command}: cannot write {os.fspath(path)}: {error.strerror}"
            ) from None
        message = str(error.args[0]).replace("pass overwrite=True", "use --force")
        raise UsageError(f"clusterkit {command}: {message}") from None
    except OSError as error:
        raise UsageError(
            f"clusterkit {command}: cannot write {os.fspath(path)}: "
            f"{error.strerror or error}"
        ) from None


@contextlib.contextmanager
def output_file(path: str, command: str) -> Iterator[TextIO]:
    """Open an `--output` FILE for writing, whole or not at all.

    The text goes to a temporary file beside FILE that replaces it at the end
    of the block; on an error or a signal FILE is unchanged.

    Args:
        path: The FILE as given.
        command: The command, for the message (`validate`, `kpis`).

    Raises:
        UsageError: FILE cannot be written, or is a symbolic link.
    """
    with writing(path, command), atomic_file(Path(path)) as handle:
        yield cast("TextIO", handle)


_TABLE_FILES = frozenset(
    f"{table}{suffix}" for table in TABLES for suffix in (".csv", ".jsonl")
)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # too long a name, a loop of links
        return path.absolute()


def _is_dir(path: Path) -> bool:
    """Whether `path` is a folder; a path the system refuses is none (the reader says why)."""
    try:
        return path.is_dir()
    except OSError:  # a name too long
        return False


def _identity(file: Path | IO[Any] | None) -> tuple[int, int] | None:
    """The device and inode of a file (a path, or an open stream's); `None` if none."""
    try:
        status = file.stat() if isinstance(file, Path) else os.fstat(file.fileno())  # type: ignore[union-attr] # None: AttributeError, below
    except (OSError, ValueError, AttributeError):  # no such file; no descriptor; None
        return None
    return (status.st_dev, status.st_ino)


def refuse_inputs(
    outputs: Iterable[str | os.PathLike[str]],
    inputs: Iterable[str | os.PathLike[str]],
    command: str,
) -> None:
    """Refuse to write a file the run reads, even with `--force`.

    Paths are compared resolved (through links): an output is refused when it
    is an input, or one of the table files of an input folder. Standard input
    (`-`) is compared by the file it comes from, when it is one
    (`clusterkit validate - --output data.json < data.json`).

    Args:
        outputs: The files (or folders) the run writes, as given.
        inputs: The datasets it reads, as given (`-` is standard input).
        command: The command, for the message.

    Raises:
        UsageError: An output is an input.
    """
    read: set[Path] = set()
    read_from = None  # the file standard input comes from, if it is one
    for given in inputs:
        if os.fspath(given) == "-":
            read_from = _identity(sys.stdin)
            continue
        source = Path(given)
        read.add(_resolved(source))
        if _is_dir(source):
            read.update(_resolved(source / name) for name in _TABLE_FILES)
    for given in outputs:
        written = Path(given)
        targets = [written]
        if _is_dir(written) or not written.suffix:
            targets += [written / name for name in _TABLE_FILES]
        if any(
            _resolved(target) in read
            or (read_from is not None and _identity(target) == read_from)
            for target in targets
        ):
            raise UsageError(
                f"clusterkit {command}: {os.fspath(given)} is an input of this run; "
                "input files are never written, not even with --force"
            )


def not_read_in_full(result: KPIResult) -> str:
    """`; a file could not be read in full` when one could not (`CK-FILE-001`), else `""`.

    The records after the point where a file's reading stopped are in no count
    of records left out, so this is said apart from them.
    """
    if UNREADABLE.id not in result.excluded_by_rule:
        return ""
    return (
        "; a file could not be read in full, and the rows after where its reading "
        "stopped are not counted"
    )


PROGRESS_EVERY = 0.5  # seconds


class Progress:
    """Rows read so far, on one line of a terminal's stderr, at most twice a second."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.shown = 0.0
        self.width = 0

    def __call__(self, where: str, rows: int) -> None:
        now = time.monotonic()
        if now - self.shown < PROGRESS_EVERY:
            return
        self.shown = now
        text = f"reading {where}: {rows:,} rows"
        self.err.write("\r" + text.ljust(self.width))
        self.err.flush()
        self.width = len(text)

    def done(self) -> None:
        """Clear the progress line, if one was written."""
        if self.width:
            self.err.write("\r" + " " * self.width + "\r")
            self.err.flush()


def progress(err: TextIO) -> Progress | None:
    """A progress line on `err` when it is a terminal outside CI, else `None`."""
    # Progress only on a terminal: quiet in pipes, files and CI logs.
    if os.environ.get("CI") or not err.isatty():
        return None
    return Progress(err)
