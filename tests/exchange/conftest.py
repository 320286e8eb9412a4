"""Exchange tests load the plugins whose facts the exchange rules read: windows (systeminfo,
clustering, registry, SPNs, firewall) and exchange itself (others are tested on their own)."""

import pytest
from bundles import examples, samples

EXAMPLES = examples("exchange")
SAMPLES = samples("exchange")

PLUGINS = "windows,exchange"


@pytest.fixture(autouse=True)
def _only_our_plugins(monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", PLUGINS)


def pack_errors(case) -> list:
    """Errors of the exchange and windows packs or the engine (other packs are not ours to judge)."""
    return [e for e in case.errors
            if e["source"] in ("pack exchange", "pack windows", "engine", "knowledge")]


def read_artifact(path, name=None):
    """What the core makes of one file with every installed parser: the ArtifactResult (facts,
    sections, status), as a diagnosis reads it."""
    from hakb.model import Artifact
    from hakb.parsing import parse_artifact
    from hakb.plugin_manager import fact_schemas, get_plugin_manager, parsers

    pm = get_plugin_manager()
    return parse_artifact(Artifact(name=name or str(path), path=path, size=path.stat().st_size),
                          parsers(pm), fact_schemas(pm))


def read_text(tmp_path, text, name="pasted.txt", encoding="utf-8"):
    """:func:`read_artifact` of ``text`` written to a file (UTF-16 gets a BOM, as PowerShell writes it)."""
    path = tmp_path / name
    data = text.encode(encoding)
    path.write_bytes((b"\xff\xfe" if encoding == "utf-16-le" else b"") + data)
    return read_artifact(path, name)
