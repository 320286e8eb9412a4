"""NSX tests load the nsx plugin and the vmware plugin whose host-nic facts the rules read.

``read`` reads a text (or bytes) the way the core reads a collected file: split into sections at
prompts, each section to the parser that knows it (object parsers share the section's records),
so a parser sees its section's command exactly as in a diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from hakb.model import Artifact
from hakb.parsing import ArtifactResult, parse_artifact
from hakb.plugin_manager import fact_schemas, get_plugin_manager, parsers


@pytest.fixture(autouse=True)
def _nsx_and_vmware(monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "vmware,nsx")


@dataclass
class Reading:
    """What the core made of one file: its facts, and who read which section."""

    result: ArtifactResult

    @property
    def facts(self):
        return self.result.facts

    def rows(self, fact_type: str, *slots: str) -> list[tuple]:
        """(line, slot values...) of each fact of ``fact_type``, in the order they were made."""
        return [(f.line, *(f.slots.get(s) for s in slots)) for f in self.facts if f.type == fact_type]

    def values(self, fact_type: str, *slots: str) -> list[tuple]:
        """Like :meth:`rows` without the line: what two shapes of one object must agree on."""
        return [row[1:] for row in self.rows(fact_type, *slots)]

    def parsers(self) -> list[tuple[str, str | None, str]]:
        """(command, parser, status) of each section."""
        return [(s.command, ", ".join(s.parsers) or None, s.status) for s in self.result.sections]

    def hosts(self, fact_type: str) -> set:
        return {f.host for f in self.facts if f.type == fact_type}


@pytest.fixture
def read(tmp_path):
    def read(content: str | bytes | Path, name: str = "artifact.txt", host: str | None = None) -> Reading:
        if isinstance(content, Path):
            path = content
        else:
            path = tmp_path / name
            path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        pm = get_plugin_manager()
        artifact = Artifact(name=path.name, path=path, host=host, size=path.stat().st_size)
        return Reading(parse_artifact(artifact, parsers(pm), fact_schemas(pm)))
    return read
