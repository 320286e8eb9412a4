"""Facts files: what `hakb parse` prints can be diagnosed again and gives the same findings."""

import json
from pathlib import Path

from click.testing import CliRunner

from hakb.cli import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "facts" / "vmware" / "examples" / "locked-vmdk"


def diagnose_file(path: Path, text: str) -> dict:
    """Write ``text`` to ``path``, diagnose it, and return the JSON report."""
    path.write_text(text)
    return json.loads(CliRunner().invoke(cli, ["diagnose", "--format", "json", str(path)]).stdout)


def test_parsed_facts_diagnose_to_the_same_findings(tmp_path):
    runner = CliRunner()
    facts = runner.invoke(cli, ["parse", str(EXAMPLE)]).stdout
    assert facts.count("\n") > 10
    facts_file = tmp_path / "case-facts.jsonl"
    facts_file.write_text(facts)
    direct = json.loads(runner.invoke(cli, ["diagnose", "--format", "json", str(EXAMPLE)]).stdout)
    again = json.loads(runner.invoke(cli, ["diagnose", "--format", "json", str(facts_file)]).stdout)
    assert [(f["id"], f["key"], f["summary"]) for f in again["findings"]] == \
           [(f["id"], f["key"], f["summary"]) for f in direct["findings"]]
    [artifact] = again["artifacts"]
    assert artifact["parser"] == "jsonfacts" and artifact["status"] == "parsed"


def test_noise_around_the_records_is_skipped(tmp_path):
    report = diagnose_file(tmp_path / "facts.jsonl",
                           '{"type": "host-nic", "slots": {"mac": "00:50:56:00:00:01"}}\n--More--\n'
                           '[root@esx01:~] cat facts.jsonl\n')
    [artifact] = report["artifacts"]
    assert (artifact["status"], artifact["facts"]) == ("parsed", 1)


def test_a_record_that_does_not_fit_its_schema_names_its_line(tmp_path):
    report = diagnose_file(tmp_path / "facts.jsonl",
                           '{"type": "host-nic", "slots": {"mac": "00:50:56:00:00:01"}}\n'
                           '{"type": "host-nic", "slots": {"colour": "blue"}}\n')
    [artifact] = report["artifacts"]
    assert artifact["status"] == "error" and "line 2" in artifact["message"] and "colour" in artifact["message"]


def test_a_record_of_an_unknown_type_names_its_line(tmp_path):
    report = diagnose_file(tmp_path / "facts.jsonl",
                           '{"type": "host-nic", "slots": {"mac": "00:50:56:00:00:01"}}\n'
                           '{"type": "no-such-type", "slots": {}}\n')
    [artifact] = report["artifacts"]
    assert artifact["status"] == "error"
    assert "line 2" in artifact["message"] and "no-such-type" in artifact["message"]
