"""Private: `clusterkit rules` and `clusterkit explain RULE`."""

from __future__ import annotations

import argparse
from typing import TextIO

from clusterkit.cli._common import EXIT_OK, Commands, UsageError
from clusterkit.rules import CATALOGUE, explain

__all__ = ["register", "run", "run_explain"]


def register(commands: Commands) -> None:
    """Add `rules` and `explain` to the command line."""
    rules = commands.add_parser(
        "rules",
        help="list the validator's rules",
        description="List every rule of the validator: id, severity and title.",
    )
    rules.set_defaults(run=run)
    explainer = commands.add_parser(
        "explain",
        help="explain one rule: its meaning, a failing example and how to fix it",
        description="Explain one validator rule, e.g. clusterkit explain CK-FK-001.",
    )
    explainer.add_argument("rule", metavar="RULE")
    explainer.set_defaults(run=run_explain)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """List every rule: id, severity and title."""
    del args  # `rules` takes no arguments
    width = max(len(rule.id) for rule in CATALOGUE.values())
    for rule in CATALOGUE.values():
        note = "" if rule.default else "  (only with --select)"
        out.write(f"{rule.id:<{width}}  {rule.severity.value:<7}  {rule.title}{note}\n")
    return EXIT_OK


def run_explain(args: argparse.Namespace, out: TextIO) -> int:
    """Print the explanation of one rule."""
    try:
        text = explain(args.rule)
    except ValueError as error:
        raise UsageError(f"clusterkit explain: {error}") from None
    out.write(text.rstrip("\n") + "\n")
    return EXIT_OK
