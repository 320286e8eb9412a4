"""Reading logs through the scanner changes no fact and no finding: every example bundle and
sample, read with every line given to the parsers and with only the lines their signatures
select, gives the same facts (line numbers included) and the same findings with the same
evidence. Both ways of selecting are checked: sections held in memory (filtered) and
artifacts streamed from disk (scanned block by block, here forced for every file)."""

from __future__ import annotations

import tempfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bundles import FACTS, all_examples
from hakb import parsing
from hakb.bundle import collect
from hakb.diagnosis import diagnose
from hakb.plugin_manager import fact_schemas, get_plugin_manager, parsers

#: Parsers whose selection leaves out, by design, records that make facts no rule can use.
NARROWED = {"windows-event"}


def read_all(paths: list[Path]) -> dict[str, list[tuple]]:
    pm = get_plugin_manager()
    schemas = fact_schemas(pm)
    available = parsers(pm, schemas)
    result = {}
    with tempfile.TemporaryDirectory() as workdir:
        inventory = collect([str(p) for p in paths], Path(workdir))
        for artifact in inventory.artifacts:
            read = parsing.parse_artifact(artifact, available, schemas)
            result[artifact.name] = [(f.type, f.line, f.text, tuple(sorted(f.slots.items(), key=str)))
                                     for f in read.facts]
    return result


@pytest.fixture(params=["in-memory", "streamed"])
def mode(request, monkeypatch):
    if request.param == "streamed":
        monkeypatch.setattr(parsing, "SECTION_SCAN_BYTES", 0)
    return request.param


def test_every_fact_is_unchanged(monkeypatch, mode):
    inputs = all_examples() + sorted(FACTS.glob("*/samples"))
    monkeypatch.setattr(parsing, "SCANNING", False)
    full = read_all(inputs)
    monkeypatch.setattr(parsing, "SCANNING", True)
    scanned = read_all(inputs)
    assert scanned.keys() == full.keys()
    compared = 0
    for name, facts in full.items():
        kept = [f for f in facts if f[0] not in NARROWED]
        assert [f for f in scanned[name] if f[0] not in NARROWED] == kept, name
        narrowed = [f for f in facts if f[0] in NARROWED]
        useful = [f for f in narrowed if dict(f[3]).get("kind")]
        assert set(useful) <= {f for f in scanned[name] if f[0] in NARROWED} <= set(narrowed), name
        compared += len(kept)
    assert compared > 500  # the examples really were read


def test_every_finding_and_its_evidence_is_unchanged(monkeypatch, mode):
    # one clock for both runs: a streamed artifact is one section, so no transcript header gives
    # the collection time and time-based findings are judged at "now"
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)

    def findings():
        case = diagnose([str(p) for p in sorted(FACTS.glob("*/examples"))], now=now)
        assert not case.errors, case.errors
        return sorted((f.id, f.key, f.severity, f.summary,
                       tuple((e.artifact, e.line, e.text) for e in f.evidence)) for f in case.findings)

    monkeypatch.setattr(parsing, "SCANNING", False)
    full = findings()
    monkeypatch.setattr(parsing, "SCANNING", True)
    assert findings() == full
    assert any(f[0] == "vmware-locked-vmdk" for f in full)
