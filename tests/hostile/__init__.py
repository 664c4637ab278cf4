"""Hostile input: each reader stays bounded and reports what it refuses (issue 17)."""
