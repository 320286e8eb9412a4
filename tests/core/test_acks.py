"""Acknowledged findings: silenced in later diagnoses of the same host and key, until they expire."""

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from bundles import example
from hakb.acks import AckError, annotate, new_ack, parse_until, pick_finding
from hakb.cli import cli

LOCKED = str(example("locked-vmdk"))


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_an_acknowledged_finding_is_silenced_in_the_next_diagnosis_until_removed(monkeypatch):
    monkeypatch.setenv("LOGNAME", "ana")
    first = run("diagnose", "-q", LOCKED)
    assert first.exit_code == 1
    acked = run("ack", "latest", "1", "--reason", "known; change CHG0042 on Friday", "--until", "30d")
    assert acked.exit_code == 0, acked.output
    assert "Acknowledged vmware-locked-vmdk (app01-000001) on esx01.lab.example" in acked.output
    assert "by ana" in acked.output

    again = run("diagnose", "-q", LOCKED)
    assert again.exit_code == 0, again.output  # silenced: does not count for the exit status
    today = datetime.now(timezone.utc).date().isoformat()
    assert f"Silenced by ana on {today} until " in again.output
    assert "known; change CHG0042 on Friday" in again.output
    report = json.loads(run("diagnose", "-q", "--format", "json", LOCKED).output)
    silenced = report["findings"][0]["silenced"]
    assert (silenced["by"], silenced["reason"], silenced["ack"]) == ("ana", "known; change CHG0042 on Friday", 1)
    assert "*Silenced by ana on" in run("show", "latest", "--format", "markdown").output
    assert '<p class="silenced">Silenced by ana on' in run("show", "latest", "--format", "html").output
    sarif = json.loads(run("show", "latest", "--format", "sarif").output)
    assert sarif["runs"][0]["results"][0]["suppressions"][0]["justification"].startswith("known; change")
    schemas = Path(__file__).resolve().parents[1] / "e2e" / "data"
    jsonschema.Draft4Validator(json.loads((schemas / "sarif-schema-2.1.0.json").read_text())).validate(sarif)
    report_schema = Path(__file__).resolve().parents[2] / "src" / "hakb" / "schemas" / "report.schema.json"
    jsonschema.Draft202012Validator(json.loads(report_schema.read_text())).validate(report)

    listing = run("acks")
    assert "vmware-locked-vmdk (app01-000001) on esx01.lab.example  by ana" in listing.output
    assert run("unack", "1").exit_code == 0
    assert run("diagnose", "-q", LOCKED).exit_code == 1
    assert "No acknowledgements in force" in run("acks").output
    assert "[removed]" in run("acks", "--all").output


def test_by_names_someone_else_and_json_lists_acks():
    run("diagnose", "-q", LOCKED)
    made = json.loads(run("ack", "latest", "vmware-locked-vmdk", "--reason", "vendor case 77",
                          "--by", "Bo", "--json").output)
    assert made["by"] == "Bo" and made["until"] is None and made["host"] == "esx01.lab.example"
    rows = json.loads(run("acks", "--json").output)
    assert [(r["id"], r["by"], r["active"]) for r in rows] == [(made["id"], "Bo", True)]


def test_bad_acks_are_one_line_and_exit_2():
    run("diagnose", "-q", LOCKED)
    missing = run("ack", "latest", "7", "--reason", "x")
    assert missing.exit_code == 2 and "has 1 finding(s); no number 7" in missing.output
    past = run("ack", "latest", "1", "--reason", "x", "--until", "2001-01-01")
    assert past.exit_code == 2 and "already past" in past.output
    assert run("ack", "latest", "1").exit_code == 2  # --reason is required
    unknown = run("unack", "99")
    assert unknown.exit_code == 2 and "no acknowledgement 99" in unknown.output


def report_with(host: str, key: str = "d1") -> dict:
    return {"case_id": "c1", "artifacts": [{"path": "a.log", "host": host}],
            "findings": [{"id": "f", "key": key, "title": "F", "severity": "error",
                          "evidence": [{"artifact": "a.log", "line": 1, "text": "x"}]}]}


def test_an_ack_covers_its_host_and_key_only_and_ends_at_its_expiry():
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    report = report_with("esx01.lab.example")
    ack = {**new_ack(report, report["findings"][0], "why", by="ana", until="2026-12-10", now=now), "id": 1}
    assert ack["host"] == "esx01.lab.example" and ack["until"] == "2026-12-10T00:00:00+00:00"
    assert annotate(report_with("esx01"), [ack], now)["findings"][0]["silenced"]["by"] == "ana"  # short = FQDN
    assert "silenced" not in annotate(report_with("esx02"), [ack], now)["findings"][0]
    assert "silenced" not in annotate(report_with("esx01", key="d2"), [ack], now)["findings"][0]
    later = now + timedelta(days=10)
    assert "silenced" not in annotate(report_with("esx01"), [ack], later)["findings"][0]
    assert "silenced" not in annotate(report_with("esx01"), [{**ack, "removed": "x"}], now)["findings"][0]
    anywhere = {**ack, "host": ""}
    assert annotate(report_with("esx09"), [anywhere], now)["findings"][0]["silenced"]


def test_expiry_forms_and_finding_references():
    now = datetime(2026, 12, 1, 12, tzinfo=timezone.utc)
    assert parse_until("2d", now) == "2026-12-03T12:00:00+00:00"
    assert parse_until("2026-12-24T08:00:00+01:00", now) == "2026-12-24T07:00:00+00:00"
    assert parse_until(None, now) is None
    with pytest.raises(AckError):
        parse_until("next friday", now)
    report = report_with("h")
    report["findings"].append({**report["findings"][0], "key": "d2"})
    assert pick_finding(report, "2")["key"] == "d2"
    assert pick_finding(report, "f@d2")["key"] == "d2"
    with pytest.raises(AckError, match="names several findings"):
        pick_finding(report, "f")
    with pytest.raises(AckError):
        new_ack(report, report["findings"][0], "   ")
