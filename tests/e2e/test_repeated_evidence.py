"""The same evidence 20 times in one case (as from 20 bundles of one incident): one finding per
key, the same keys and severities as one copy, the same lines as evidence, and no pack stopped.

Covers the examples whose rules join several fact types. Each example is read once; its facts
are given 20 times (each copy under its own folder, as 20 bundles would give them), so the test
exercises the rules, not the parsers, and stays fast. A rule that joins raw facts instead of one
fact per key fires k^n times here and hits the firing cap (the pack is then reported failed).
No timing is asserted: `benchmarks/kcopies.py --all` measures the cost.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from bundles import example
from hakb.diagnosis import diagnose, diagnose_facts

COPIES = 20
#: Examples whose deciding rules join three or more fact types (or count facts).
MULTI_JOIN = [
    "locked-vmdk", "datastore-full", "mailbox-move-profile", "switchover-cas-array", "kerberos-spn",
    "exchange-2007-scc-limits", "exchange-2007-ccr-no-witness", "hyperv-dag-live-migration",
    "hyperv-dag-evicted-during-move", "federation-trust-rtm", "sql-ilb-listener", "nlb-on-dag-member",
    "nlb-on-failover-cluster",
]


def copies(facts, k):
    return [dataclasses.replace(f, artifact=f"case-{i:03d}/{f.artifact}") for i in range(k) for f in facts]


@pytest.mark.parametrize("name", MULTI_JOIN)
def test_repeated_evidence_gives_one_finding_per_key(name):
    facts = diagnose([str(example(name))]).facts
    one = diagnose_facts(copies(facts, 1))
    many = diagnose_facts(copies(facts, COPIES))
    assert one.findings and one.errors == []
    assert many.errors == []
    keys = Counter((f.id, f.key) for f in many.findings)
    assert keys == Counter({(f.id, f.key): 1 for f in one.findings})
    # Every kind of line that proves a finding once proves it from every copy (a rule that picks
    # one report to speak for several, such as the least free space, keeps one).
    lines_one = {(f.id, f.key): {(e.fact, e.line, e.text) for e in f.evidence} for f in one.findings}
    for finding in many.findings:
        lines = [(e.fact, e.line, e.text) for e in finding.evidence]
        assert set(lines) == lines_one[(finding.id, finding.key)], (finding.id, finding.key)
        assert len(lines) >= len(lines_one[(finding.id, finding.key)]), (finding.id, finding.key)
        assert len(lines) <= COPIES * len(lines_one[(finding.id, finding.key)]), (finding.id, finding.key)
    assert {(f.id, f.key, f.severity) for f in many.findings} == {(f.id, f.key, f.severity) for f in one.findings}
