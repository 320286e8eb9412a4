"""The exit contract of `hakb diagnose`: 0 complete and nothing at or above --fail-on, 1 a finding at
or above it, 2 bad input or nothing diagnosable, 3 incomplete and nothing at or above it."""

import json

import pytest
from click.testing import CliRunner

from hakb import Parser, ParseError, hookimpl
from hakb.cli import cli
from hakb.cli.diagnose import exit_code
from bundles import example

HEALTHY = example("locked-vmdk-healthy")


def diagnose(*args):
    return CliRunner().invoke(cli, ["diagnose", "--no-save", *map(str, args)])


def test_a_complete_healthy_diagnosis_exits_0_and_says_so():
    result = diagnose("--format", "json", HEALTHY)
    report = json.loads(result.stdout)
    assert result.exit_code == 0
    assert report["complete"] is True and report["incomplete_reasons"] == [] and report["findings"] == []
    text = diagnose(HEALTHY)
    assert "No known fault found." in text.stdout and "incomplete" not in text.stdout


def _broken(head):
    return 100 if "HAKB-BROKEN" in head.text else 0


def _fail(lines, artifact):
    raise ParseError("this format is broken on purpose (test parser)")
    yield  # a generator, as parsers are


class BrokenParserPlugin:
    """Test plugin: a parser that fails on every file whose head says HAKB-BROKEN."""

    @hookimpl
    def hakb_parsers(self):
        return [Parser("test-broken", _broken, _fail, "Test: always fails")]


@pytest.fixture
def broken_parser(monkeypatch):
    import hakb.diagnosis
    from hakb.plugin_manager import get_plugin_manager
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "vmware")
    pm = get_plugin_manager(extra=(BrokenParserPlugin(),))
    monkeypatch.setattr(hakb.diagnosis, "get_plugin_manager", lambda: pm)


def test_a_failed_parser_makes_the_diagnosis_incomplete_exit_3(tmp_path, broken_parser):
    (tmp_path / "odd.txt").write_text("HAKB-BROKEN\nwhatever\n")
    result = diagnose("--format", "json", HEALTHY, tmp_path / "odd.txt")
    report = json.loads(result.stdout)
    assert result.exit_code == 3
    assert report["complete"] is False
    assert report["incomplete_reasons"] == [f"{tmp_path / 'odd.txt'}: this format is broken on purpose (test parser)"]
    assert "No known fault found. The diagnosis is incomplete" in diagnose(HEALTHY, tmp_path / "odd.txt").stdout
    assert diagnose("--fail-on", "never", HEALTHY, tmp_path / "odd.txt").exit_code == 3


@pytest.mark.parametrize("name, text, message", [
    ("copies.json", '[\n    {\n        "Name":  "DB01\\\\EX02",\n        "Status":  16,',
     "the output cannot be read: line 4: not valid JSON"),
    ("dag.xml", '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">\n'
                '  <Obj RefId="0">\n    <TN RefId="0"><T>Deserialized.Microsoft', "the output cannot be read: "),
])
def test_a_damaged_export_is_an_error_not_a_skipped_file(tmp_path, name, text, message):
    """An export cut short (ConvertTo-Json, Export-Clixml) may hold the deciding object: the
    diagnosis says which file and line it could not read, and is incomplete."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / name).write_text(text)
    result = diagnose("--format", "json", bundle, HEALTHY)
    report = json.loads(result.stdout)
    [damaged] = [a for a in report["artifacts"] if a["path"].endswith(name)]
    assert damaged["status"] == "error" and damaged["message"].startswith(message)
    assert result.exit_code == 3 and report["complete"] is False


def test_nothing_diagnosable_is_2(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing any parser knows\n")
    assert diagnose(tmp_path / "notes.txt").exit_code == 2
    assert diagnose(tmp_path / "absent").exit_code == 2


@pytest.mark.parametrize("severities, complete, fail_on, code", [
    ([], True, "warning", 0),
    (["info"], True, "warning", 0),
    (["warning"], True, "warning", 1),
    (["warning"], False, "warning", 1),   # a finding at the threshold decides, complete or not
    (["info"], False, "warning", 3),
    ([], False, "warning", 3),
    (["critical"], True, "never", 0),
    (["critical"], False, "never", 3),
    ([], True, "never", 0),
])
def test_exit_code_table(severities, complete, fail_on, code):
    report = {"findings": [{"severity": s} for s in severities], "complete": complete}
    assert exit_code(report, fail_on) == code


def test_help_states_the_real_rule_memory_default():
    from hakb.isolation import DEFAULT_MEMORY_MIB
    text = " ".join(CliRunner().invoke(cli, ["diagnose", "--help"]).stdout.split())
    assert f"[default: {DEFAULT_MEMORY_MIB}]" in text
    assert "3 the diagnosis is incomplete" in text
