"""Windows tests load the windows plugin and the exchange plugin whose rules read windows facts.

:func:`pipe` reads text or bytes the way a diagnosis does (sections at prompts, every record
offered to every object parser, line parsers by score), so a test sees what a user would get.
"""

import tempfile
from pathlib import Path

import pytest
from bundles import examples, samples

from hakb.model import Artifact
from hakb.parsing import parse_artifact
from hakb.plugin_manager import fact_schemas, get_plugin_manager, parsers

EXAMPLES = examples("windows")
SAMPLES = samples("windows")
PLUGINS = "windows,exchange,sql"


@pytest.fixture(autouse=True)
def _only_our_plugins(monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", PLUGINS)


def utf16(text: str) -> bytes:
    """What Windows PowerShell 5's ``>`` writes: UTF-16LE with a BOM and CRLF line ends."""
    return b"\xff\xfe" + text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-16-le")


def pipe_result(data, name: str = "pasted.txt"):
    """The :class:`hakb.parsing.ArtifactResult` of ``data`` (text or bytes) read as one artifact."""
    pm = get_plugin_manager()
    schemas = fact_schemas(pm)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(raw)
        return parse_artifact(Artifact(name, path, size=len(raw)), parsers(pm, schemas), schemas)


def pipe(data, name: str = "pasted.txt", kind: str | None = None) -> list:
    """Facts of ``data`` through the real pipeline (fails when the artifact is not parsed)."""
    result = pipe_result(data, name)
    assert result.status == "parsed", (result.status, result.message, [s.as_dict() for s in result.sections])
    return [f for f in result.facts if kind is None or f.type == kind]


def slots(facts, *names) -> list[dict]:
    """The named slots of each fact (all slots when none are named)."""
    return [{n: f.slots.get(n) for n in names} if names else dict(f.slots) for f in facts]
