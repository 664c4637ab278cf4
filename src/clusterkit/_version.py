"""The version of clusterkit; pyproject.toml reads it from here at build time."""

VERSION = "0.1.0.dev0"
