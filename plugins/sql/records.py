"""Small helpers for the sql plugin's object shapes."""

from __future__ import annotations

from hakb.reading import Record


def first(record: Record, *names: str) -> str:
    """The first of ``names`` the record has, as text ("" when it has none)."""
    return record.first(*names) or ""
