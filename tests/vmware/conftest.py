"""Shared paths and helpers for the VMware parser tests; only the vmware plugin is loaded here."""

from pathlib import Path

import pytest
from bundles import samples, examples

SAMPLES = samples("vmware")
EXAMPLES = examples("vmware")


@pytest.fixture(autouse=True)
def _only_vmware(monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "vmware")


def sample(name: str) -> Path:
    return SAMPLES / name


def rows(facts, fact_type, *slots):
    """(line, slot values...) of the facts of one type, in order: compact exact comparisons."""
    return [(f.line, *(f.slots.get(s) for s in slots)) for f in facts if f.type == fact_type]
