"""Typed facts: a slot value is of its schema's type when the fact is made, or it is an error
naming the parser, the file and the line; `hakb parse` shows what the engine gets."""

import json

import pytest
from click.testing import CliRunner

from hakb import Fact, FactSchema, ParseError, Parser, Plugin
from hakb.cli import cli
from hakb.facttypes import SlotTypeError, check_value
from hakb.testing import fact, parse, run_facts

SCHEMA = FactSchema("svc-state", {"name": "str", "up": "bool", "restarts": "int", "load": "float",
                                  "tags": "list"})


def _plugin(slots):
    class module:
        SCHEMAS = [SCHEMA]
        PARSERS = [Parser("test.svc", recognise=lambda head: 100 if head.text.startswith("svc") else 0,
                          parse=lambda lines, artifact: (Fact("svc-state", dict(slots), line=n, text=t)
                                                         for n, t in lines if n == 2))]
    return Plugin(modules=(module,))


@pytest.mark.parametrize("slots, message", [
    ({"up": "false"}, "svc-state.up: 'false' is not a bool value (it is text"),
    ({"restarts": "12a"}, "svc-state.restarts: '12a' is not an int value (it is text"),
    ({"restarts": True}, "svc-state.restarts: True is not an int value (it is a bool)"),
    ({"load": "0.5"}, "svc-state.load: '0.5' is not a float value (it is text"),
    ({"name": 5}, "svc-state.name: 5 is not a str value"),
    ({"tags": [["nested"]]}, "svc-state.tags: a list is not a value the engine can hold"),
])
def test_a_value_of_the_wrong_type_fails_its_artifact_naming_parser_file_and_line(slots, message):
    with pytest.raises(ParseError) as caught:
        parse("svc\nline two\n", name="web01/svc.txt", plugins=[_plugin(slots)])
    text = str(caught.value)
    assert message in text and "line 2" in text and "parser test.svc" in text


def test_the_rest_of_the_run_goes_on_and_the_report_names_the_file():
    facts = parse("svc\nline two\n", name="web01/svc.txt", plugins=[_plugin({"up": "false"})], raises=False)
    assert facts == [] and facts.results[0].status == "error"
    assert "svc-state.up" in facts.results[0].message


def test_values_that_fit_are_taken_as_the_engine_types_them():
    assert check_value("float", 3) == 3
    assert check_value("int", 12.0) == 12 and isinstance(check_value("int", 12.0), int)
    assert check_value("bool", None) is None
    with pytest.raises(SlotTypeError):
        check_value("float", float("nan"))


def test_hand_made_facts_are_checked_like_a_parsers():
    with pytest.raises(ValueError, match="test-item.size: '3' is not an int value"):
        run_facts([fact("test-item", name="a", size="3")], plugins=[_packkit_plugin()], only=True)


def _packkit_plugin():
    from packkit import PackPlugin

    return PackPlugin()


def test_a_facts_file_value_of_the_wrong_type_is_an_error_naming_the_line(tmp_path):
    path = tmp_path / "case.facts.jsonl"
    path.write_text(json.dumps({"type": "host-nic", "slots": {"mtu": "1500"}}) + "\n")
    from hakb.factsfile import facts_file_parser
    from hakb.plugin_manager import fact_schemas, get_plugin_manager

    schemas = fact_schemas(get_plugin_manager())
    facts = parse(path, [facts_file_parser(schemas)], raises=False)
    assert facts.results[0].status == "error"
    assert "line 1" in facts.results[0].message and "host-nic.mtu: '1500' is not an int value" in facts.results[0].message


def test_hakb_parse_shows_what_the_engine_gets(tmp_path):
    (tmp_path / "esx01").mkdir()
    (tmp_path / "esx01" / "nics.txt").write_text(
        "Name    PCI Device    Driver  Admin Status  Link Status  Speed  Duplex  MAC Address         MTU   Description\n"
        "------  ------------  ------  ------------  -----------  -----  ------  -----------------   ----  -----------\n"
        "vmnic0  0000:02:00.0  ntg3    Up            Up            1000  Full    00:50:56:0a:03:01   1500  Broadcom\n")
    result = CliRunner().invoke(cli, ["parse", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    nic = next(r for r in rows if r["type"] == "host-nic")
    from hakb.plugin_manager import fact_schemas, get_plugin_manager

    schema = fact_schemas(get_plugin_manager())["host-nic"]
    assert set(nic["slots"]) == set(schema.slots)  # every slot, as the engine has it
    assert nic["slots"]["mtu"] == 1500
    for name, kind in schema.slots.items():
        value = nic["slots"][name]
        assert value is None or kind != "str" or isinstance(value, str)
