"""Every example bundle at once, as one big case: every pack runs clean, nothing is lost.

Many examples share names (app01, EX01, ...), which multiplies the joins between findings; a
linking rule that re-triggered on its own conclusions once hit the firing cap here and took the
whole vmware pack down. (The big case is not the sum of the small ones: a healthy example's
facts about EX01 rightly answer a check on another example's EX01.)
"""

import json
from pathlib import Path

from click.testing import CliRunner

from hakb.cli import cli

FACTS = Path(__file__).resolve().parents[2] / "facts"


def test_all_examples_in_one_case_run_clean():
    result = CliRunner().invoke(cli, ["diagnose", "--format", "json", "--no-save", *(str(p) for p in sorted(FACTS.glob("*/examples")))])
    report = json.loads(result.stdout)
    assert report["errors"] == []
    assert not [a for a in report["artifacts"] if a["status"] == "error"]
    found = {f["id"] for f in report["findings"]}
    assert {"vmware-locked-vmdk", "vmware-datastore-full", "nsx-vxlan-mtu", "dag-witness-failed",
            "sql-ag-listener-ilb", "certificate-expired", "transporter-imap-errors"} <= found
    assert report["packs"] == sorted(report["packs"]) and report["packs"] == ["exchange", "nsx", "sql", "vmware", "windows"]
