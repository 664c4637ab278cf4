"""The `clusterkit` command line (also `python -m clusterkit`).

Not part of the Python API: reach it through the console script or `main`.

Exit codes: 0 success; 1 the data could not be used (an unreadable file, an
invalid row); 2 a usage error, or a destination that cannot be written; 3 an
internal error, reported on one line with where to report it, never as a
traceback; 130 after Ctrl-C (SIGINT) and 143 after SIGTERM, on one line, with no
file left half-written.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Protocol, TextIO

import clusterkit
from clusterkit.cli import (
    _convert,
    _country,
    _import,
    _kpis,
    _report,
    _rules,
    _schema,
    _validate,
)
from clusterkit.cli._common import (
    EXIT_DATA,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    Commands,
    Parser,
    UsageError,
)
from clusterkit.cli._encoding import escaping_what_cannot_be_written
from clusterkit.errors import DatasetError
from clusterkit.render import safe_text

__all__ = ["main"]

_REPORT_BUGS = "please report it at https://github.com/clusterkit/clusterkit/issues"

EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so that its clean-ups run as for Ctrl-C."""


_RECEIVED: list[KeyboardInterrupt] = []
"""The interrupts this run was sent: a library may wrap one in an error of its own."""


def _terminate(signum: int, frame: object) -> None:
    del signum, frame
    interrupt = _Terminated()
    _RECEIVED.append(interrupt)
    raise interrupt


def _interrupt(signum: int, frame: object) -> None:
    del signum, frame
    interrupt = KeyboardInterrupt()
    _RECEIVED.append(interrupt)
    raise interrupt


_Run = Callable[[argparse.Namespace, TextIO], int]
"""A command: the parsed arguments and stdout in, the exit code out."""


class _CommandModule(Protocol):
    """A module of `clusterkit.cli` that adds one or more commands."""

    def register(self, commands: Commands) -> None:
        """Add the subparsers, each with `set_defaults(run=...)`."""

    def run(self, args: argparse.Namespace, out: TextIO) -> int:
        """Carry out the module's (first) command and return its exit code."""


# In the order `clusterkit --help` lists them.
_COMMANDS: tuple[_CommandModule, ...] = (
    _schema,
    _country,
    _convert,
    _import,
    _validate,
    _kpis,
    _report,
    _rules,
)


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="clusterkit",
        description=(
            "Data model, validator and KPI engine for the EU's cluster "
            "internationalisation programme (ESCP-4i, Euroclusters)."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"clusterkit {clusterkit.__version__}"
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=Parser
    )
    for command in _COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Args:
        argv: The arguments after the program name; `sys.argv[1:]` by default.
    """
    out, err = sys.stdout, sys.stderr
    _RECEIVED.clear()
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
        previous_int = signal.signal(signal.SIGINT, _interrupt)
    except ValueError:  # not the main thread: signals are the main thread's
        previous = previous_int = None
    try:
        with escaping_what_cannot_be_written(out, err):
            return _main(argv, out, err)
    except KeyboardInterrupt as interrupt:
        # Temporary files were removed on the way out: nothing is half-written.
        if isinstance(interrupt, _Terminated):
            err.write(
                "clusterkit: terminated (SIGTERM); no output was left half-written\n"
            )
            return EXIT_TERMINATED
        err.write("clusterkit: interrupted (Ctrl-C); no output was left half-written\n")
        return EXIT_INTERRUPTED
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
            signal.signal(signal.SIGINT, previous_int)


def _main(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:  # noqa: PLR0911 - one exit code for each kind of ending
    try:
        parser = _parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as done:  # --help and --version end the run on purpose
            return int(done.code or 0)
        run: _Run | None = getattr(args, "run", None)
        if run is not None:
            return run(args, out)
        parser.print_usage(err)
        err.write("clusterkit: error: a COMMAND is required (try clusterkit --help)\n")
    except UsageError as error:
        err.write(f"{_shown(str(error))}\n")
    except BrokenPipeError:
        # The reader went away (`clusterkit schema | head`); that is not an error.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115, PTH123 - stays open so the interpreter can flush at exit
        return EXIT_OK
    except DatasetError as error:
        err.write(f"clusterkit: {_shown(str(error))}\n")
        return EXIT_DATA
    except OSError as error:
        # A file the system refused (a full disk, no permission): the user's to
        # fix, not a bug.
        where = f"{error.filename}: " if error.filename is not None else ""
        err.write(f"clusterkit: {_shown(f'{where}{error.strerror or error}')}\n")
        return EXIT_USAGE
    except Exception as error:
        if _RECEIVED:
            # A signal arrived inside a library that wrapped it in an error of its
            # own (pydantic's serializer does): it is still the user's interrupt.
            raise _RECEIVED[-1] from error
        shown = _shown(f"{type(error).__name__}: {error}")
        err.write(f"clusterkit: internal error: {shown}; {_REPORT_BUGS}\n")
        return EXIT_INTERNAL
    return EXIT_USAGE


def _shown(message: str) -> str:
    """A message as stderr shows it: control characters visible, line breaks kept.

    A path, a key or a cell may hold a terminal's escape sequence.
    """
    return safe_text(message, keep="\n")
