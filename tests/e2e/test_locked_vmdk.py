"""Issue 2 end to end: `hakb diagnose` on the locked-VMDK examples, through the real CLI."""

import io
import json
import shutil
import sqlite3
import tarfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from hakb.cli import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "facts" / "vmware" / "examples"

LOCKED = EXAMPLES / "locked-vmdk"


def run(*args, input=None):
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result


def diagnose_json(*paths, extra=()):
    result = run("diagnose", "--format", "json", *extra, *map(str, paths))
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def locked_finding(report):
    found = [f for f in report["findings"] if f["id"] == "vmware-locked-vmdk"]
    assert len(found) == 1, report["findings"]
    return found[0]


def test_text_report_names_file_holder_and_hostd_restart():
    result = run("diagnose", str(LOCKED))
    assert result.exit_code == 1
    out = result.stdout
    assert "app01-000001" in out
    assert "esx03" in out and "00:50:56:0a:03:01" in out
    assert "/etc/init.d/hostd restart" in out
    assert "maintenance mode" in out
    assert "Evidence:" in out and "hostd.log:" in out


def test_json_follows_the_contract():
    code, report = diagnose_json(LOCKED)
    assert code == 1
    assert isinstance(report["hakb_version"], str) and isinstance(report["case_id"], str)
    for artifact in report["artifacts"]:
        assert set(artifact) >= {"path", "parser", "facts", "status", "message"}
        assert artifact["status"] in ("parsed", "skipped", "error")
        assert isinstance(artifact["facts"], int)
        assert artifact["parser"] is None or isinstance(artifact["parser"], str)
    finding = locked_finding(report)
    assert finding["severity"] in ("critical", "error", "warning", "info")
    assert 0 <= finding["confidence"] <= 1
    for item in finding["evidence"]:
        assert isinstance(item["artifact"], str) and isinstance(item["line"], int) and item["line"] > 0
        assert isinstance(item["text"], str) and item["text"]
    assert all(isinstance(step, str) for step in finding["remediation"])
    assert all(isinstance(ref, str) for ref in finding["references"])
    # The holder is named by host, and only the holder: esx02 holds nothing.
    assert "esx03" in finding["summary"] and "esx02" not in finding["summary"]
    assert any("hostd restart" in step and "esx03" in step for step in finding["remediation"])


def test_evidence_points_at_the_lines_that_prove_it():
    _, report = diagnose_json(LOCKED)
    finding = locked_finding(report)
    by_file = {}
    for item in finding["evidence"]:
        by_file.setdefault(item["artifact"].rsplit("/", 1)[-1], []).append(item)
    assert "hostd.log" in by_file and "vmkfstools-session.txt" in by_file
    for item in finding["evidence"]:
        path = item["artifact"]
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
        assert lines[item["line"] - 1].strip() == item["text"].strip()


def test_healthy_counterpart_has_no_finding():
    code, report = diagnose_json(EXAMPLES / "locked-vmdk-healthy")
    assert code == 0
    assert [f["id"] for f in report["findings"]] == []
    assert any(a["status"] == "parsed" for a in report["artifacts"])


def test_read_only_lock_names_both_holders():
    _, report = diagnose_json(EXAMPLES / "locked-vmdk-readonly")
    finding = locked_finding(report)
    assert "read-only" in finding["summary"]
    assert "esx02" in finding["summary"] and "esx03" in finding["summary"]


def test_unknown_owner_says_how_to_find_the_mac():
    _, report = diagnose_json(EXAMPLES / "locked-vmdk-unknown-owner")
    finding = locked_finding(report)
    assert "00:50:56:0a:09:09" in finding["summary"]
    assert any("esxcfg-nics -l" in step for step in finding["remediation"])
    assert not any(h in finding["summary"] for h in ("esx01", "esx02", "esx03"))
    assert any("00:50:56:0a:09:09" in u["check"] for u in report["unverified"])


def test_vm_support_tgz_gives_the_same_finding(tmp_path):
    archive = tmp_path / "bundle.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(LOCKED, arcname="case")
    _, from_dir = diagnose_json(LOCKED)
    _, from_tgz = diagnose_json(archive)
    assert locked_finding(from_tgz)["summary"] == locked_finding(from_dir)["summary"]


def test_stdin_with_host(tmp_path):
    """Pasting the lock dump alone: the finding needs a symptom, so nothing fires, but it parses."""
    session = (LOCKED / "vmkfstools-session.txt").read_text()
    result = run("diagnose", "--format", "json", "--host", "esx01", "-", input=session)
    report = json.loads(result.stdout)
    [artifact] = report["artifacts"]
    assert artifact["path"] == "<stdin>" and artifact["status"] == "parsed" and artifact["facts"] > 0


def test_case_is_stored_with_facts_and_findings(tmp_path):
    db = tmp_path / "cases.db"
    result = run("diagnose", "--db", str(db), "--format", "json", str(LOCKED))
    case_id = json.loads(result.stdout)["case_id"]
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from cases where id = ?", [case_id]).fetchone()[0] == 1
    lines = conn.execute("select artifact, line from facts where case_id = ? and type = 'vmfs-lock'",
                         [case_id]).fetchall()
    assert lines and all(a.endswith("vmkfstools-session.txt") and l > 0 for a, l in lines)
    [(evidence,)] = conn.execute("select evidence from findings where case_id = ? and id = ?",
                                 [case_id, "vmware-locked-vmdk"]).fetchall()
    assert json.loads(evidence)
    listed = run("cases", "--db", str(db))
    assert case_id in listed.stdout
    shown = run("show", "--db", str(db), case_id[:15])
    assert "/etc/init.d/hostd restart" in shown.stdout


@pytest.mark.parametrize("fail_on, expected", [("critical", 0), ("error", 1), ("never", 0)])
def test_fail_on_sets_the_exit_code(fail_on, expected):
    assert run("diagnose", "--fail-on", fail_on, str(LOCKED)).exit_code == expected


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    result = run("diagnose", str(tmp_path / "nope"))
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "no such file" in result.stderr
    assert "Traceback" not in result.output


def test_markdown_and_html_reports(tmp_path):
    out = tmp_path / "r.html"
    assert run("diagnose", "--format", "html", "-o", str(out), str(LOCKED)).exit_code == 1
    assert "<h2" in out.read_text() and "hostd restart" in out.read_text()
    md = run("diagnose", "--format", "markdown", str(LOCKED)).stdout
    assert md.startswith("# hakb case") and "**Fix**" in md


def test_a_free_lock_or_no_symptom_names_nobody():
    """Mode 0 (the lock is free by now) with a symptom, or a held lock without any symptom (a
    running VM's own host holds its disks): no finding."""
    from hakb.testing import fact, findings_of, run_facts
    symptom = fact("vm-log-event", kind="lock-failed", disk="app01-000001", vm="app01",
                   file="/vmfs/volumes/ds/app01/app01-000001.vmdk", host="esx01")
    lock = dict(disk="app01-000001", file="/vmfs/volumes/ds/app01/app01-000001-delta.vmdk")
    nic = fact("host-nic", name="vmnic0", mac="00:50:56:0a:03:01", host="esx03")
    holder = fact("vmfs-lock-holder", disk="app01-000001", mac="00:50:56:0a:03:01", role="owner")
    free = run_facts([symptom, fact("vmfs-lock", mode=0, **lock), nic])
    assert findings_of(free, "vmware-locked-vmdk") == []
    quiet = run_facts([fact("vmfs-lock", mode=1, **lock), holder, nic])
    assert findings_of(quiet, "vmware-locked-vmdk") == []
    held = run_facts([symptom, fact("vmfs-lock", mode=1, **lock), holder, nic])
    assert "esx03" in findings_of(held, "vmware-locked-vmdk")[0].summary
