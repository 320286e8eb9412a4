"""Shared paths and helpers for the VMware parser tests; only the vmware plugin is loaded here."""

import dataclasses
import tempfile
from pathlib import Path

import pytest
from bundles import samples, examples

from hakb.model import Artifact
from hakb.parsing import ArtifactResult, parse_artifact
from hakb.plugin_manager import fact_schemas, get_plugin_manager, parsers

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


def values(facts, fact_type, *slots):
    """(slot values...) of the facts of one type, in order, without lines: for comparing shapes."""
    return [tuple(f.slots.get(s) for s in slots) for f in facts if f.type == fact_type]


def read(path: Path, host: str | None = None, name: str | None = None) -> ArtifactResult:
    """One artifact read as a diagnosis reads it: split into sections, each section's objects or
    lines to the parsers that take them, embedded parsers where their signatures occur. Facts
    without a host of their own get ``host`` (a folder's host), as the core gives them."""
    pm = get_plugin_manager()
    schemas = fact_schemas(pm)
    artifact = Artifact(name=name or path.name, path=path, host=host, size=path.stat().st_size)
    result = parse_artifact(artifact, parsers(pm, schemas), schemas)
    result.facts = [dataclasses.replace(f, host=f.host or host) for f in result.facts]
    return result


def read_facts(path: Path, host: str | None = None, name: str | None = None) -> list:
    result = read(path, host, name)
    assert result.status == "parsed", (result.status, result.message)
    return result.facts


def read_bytes(data: bytes, name: str = "pasted.txt", host: str | None = None) -> ArtifactResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return read(path, host, name)


def read_text(text: str, name: str = "pasted.txt", host: str | None = None) -> list:
    result = read_bytes(text.encode("utf-8"), name, host)
    assert result.status == "parsed", (result.status, result.message)
    return result.facts
