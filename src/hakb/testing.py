"""A small kit for testing parsers and rules, used by hakb's own tests and open to plugin authors.

    from hakb.testing import parse_text, fact, run_facts, only_finding

    facts = parse_text(my_parser, SAMPLE, name="hostd.log", host="esx01")
    case = run_facts(facts)
    finding = only_finding(case, "vmware-locked-vmdk")
    assert "esx02" in finding.summary
"""

from __future__ import annotations

import dataclasses
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Iterable

from hakb.diagnosis import Diagnosis, diagnose_facts
from hakb.findings import Finding
from hakb.model import Artifact, Fact, Parser
from hakb.plugin_manager import get_plugin_manager
from hakb.textio import lines_of


def parse_text(parser: Parser, text: str, name: str = "artifact.txt", host: str | None = None) -> list[Fact]:
    """Facts ``parser`` makes of ``text``, with provenance filled as the core fills it."""
    artifact = Artifact(name=name, path=Path(name), host=host, size=len(text))
    return [dataclasses.replace(f, artifact=name, host=f.host or host)
            for f in parser.parse(lines_of(text), artifact)]


def parse_file(parser: Parser, path: Path, host: str | None = None) -> list[Fact]:
    """Like :func:`parse_text` but through the real reader: decoded lines (BOMs, UTF-16, long
    lines), or byte chunks for a ``binary`` parser, as the core feeds them."""
    from hakb.textio import iter_chunks, iter_lines
    artifact = Artifact(name=path.name, path=path, host=host, size=path.stat().st_size)
    stream = iter_chunks(path) if parser.binary else iter_lines(path)
    return [dataclasses.replace(f, artifact=path.name, host=f.host or host)
            for f in parser.parse(stream, artifact)]


def parse_bytes(parser: Parser, data: bytes, name: str = "artifact.txt", host: str | None = None) -> list[Fact]:
    """Parse raw bytes (any encoding) as if they were a collected file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return parse_file(parser, path, host)


def fact(fact_type: str, /, line: int = 1, text: str = "", host: str | None = None,
         artifact: str = "test-input.txt", **slots) -> Fact:
    """A hand-made fact for rule tests: ``fact("vmfs-lock", mode=1, file="a.vmdk")``.

    The fact type is positional-only, so a slot may be called ``type``.
    """
    return Fact(type=fact_type, slots=slots, line=line, text=text or f"{fact_type} {slots}",
                host=host, artifact=artifact)


def run_facts(facts: Iterable[Fact], plugins: tuple[object, ...] = (),
              as_of: datetime | None = None) -> Diagnosis:
    """Run every installed knowledge pack (plus ``plugins``) over ``facts``."""
    return diagnose_facts(list(facts), pm=get_plugin_manager(extra=plugins), as_of=as_of)


def findings_of(case: Diagnosis, finding_id: str) -> list[Finding]:
    return [f for f in case.findings if f.id == finding_id]


def only_finding(case: Diagnosis, finding_id: str) -> Finding:
    """The single finding with ``finding_id``; fails with what was found instead."""
    found = findings_of(case, finding_id)
    if len(found) != 1:
        summary = [(f.id, f.key) for f in case.findings]
        raise AssertionError(f"expected one {finding_id!r} finding, got {len(found)}; all: {summary}; "
                             f"errors: {case.errors}")
    return found[0]
