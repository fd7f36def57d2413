"""Severity order, shared with the project's config so the corpus cannot drift from it."""

from bot.config import SEVERITIES

SEVERITY_ORDER = list(SEVERITIES)
