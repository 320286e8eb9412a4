"""Values that do not fit their slot (integers beyond 64 bits, lone surrogates) fail their own
artifact with the file and line; every other artifact and pack goes on."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from hakb import Fact, FactSchema
from hakb.cli import cli
from hakb.diagnosis import diagnose
from hakb.engine import CLIPS_INT_RANGE, Session, slot_values

EXAMPLE = Path(__file__).resolve().parents[2] / "facts" / "vmware" / "examples" / "locked-vmdk"
HUGE = "99999999999999999999"  # 20 digits: beyond a 64-bit integer


def poisoned_copy(tmp_path: Path, source: str, target: str, old: str, new: str) -> tuple[Path, Path]:
    """The locked-vmdk example plus one extra artifact: ``source`` with ``old`` replaced by ``new``."""
    bundle = tmp_path / "bundle"
    shutil.copytree(EXAMPLE, bundle)
    text = (EXAMPLE / source).read_text()
    assert old in text
    poisoned = bundle / target
    poisoned.parent.mkdir(parents=True, exist_ok=True)
    poisoned.write_text(text.replace(old, new, 1))
    return bundle, poisoned


@pytest.mark.parametrize("source, target, old, new, line, slot", [
    ("vmkfstools-session.txt", "poisoned-vmkfstools.txt", "mode 1,", f"mode {HUGE},", 15, "vmfs-lock.mode"),
    # (a Key: value listing: in a column table the 20 digits would run into the next column)
    ("esx03/esxcli-network-ip-interface-list.txt", "esx09/esxcli-network-ip-interface-list.txt",
     "MTU: 1500", f"MTU: {HUGE}", 3, "host-nic.mtu"),  # the line of the record (vmk0)
])
def test_an_over_long_integer_fails_only_its_artifact(tmp_path, source, target, old, new, line, slot):
    bundle, poisoned = poisoned_copy(tmp_path, source, target, old, new)
    case = diagnose([str(bundle)])
    by_name = {a.artifact.name: a for a in case.artifacts}
    bad = by_name[f"{bundle}/{target}"]
    # The part of the artifact holding the value is an error naming the line (its other
    # sections, such as the active hosts after a lock dump, may still be read).
    assert bad.status == "error"
    assert bad.message.endswith(f"line {line}: {slot}: integer {HUGE} does not fit the engine's 64-bit integers")
    assert not any(f.type == slot.split(".")[0] for f in bad.facts)
    # Every pack ran, and the example's finding is still there.
    assert case.packs == ["exchange", "nsx", "sql", "vmware", "windows"] and case.errors == []
    assert "vmware-locked-vmdk" in {f.id for f in case.findings}
    assert all(a.status != "error" for name, a in by_name.items() if name != bad.artifact.name)


def test_a_lone_surrogate_in_a_facts_file_is_an_error_for_that_file(tmp_path):
    record = {"type": "host-nic", "host": "esx03", "artifact": "esx03/nics.txt", "line": 2,
              "slots": {"name": "vmnic0", "mac": "00:50:56:0a:03:01"}, "text": "vmnic0 ..."}
    good = json.dumps(record)
    facts = tmp_path / "facts.jsonl"
    # json.dumps spells the surrogate as the escape \udc80, which json.loads turns back into it.
    facts.write_text(good + "\n" + good.replace('"esx03"', '"esx03\\udc80"', 1) + "\n")
    db = tmp_path / "cases.db"
    result = CliRunner().invoke(cli, ["diagnose", "--db", str(db), "--format", "json", str(facts),
                                      str(EXAMPLE)], catch_exceptions=False)
    assert "internal error" not in result.output
    report = json.loads(result.stdout)
    [bad] = [a for a in report["artifacts"] if a["path"] == str(facts)]
    assert bad["status"] == "error"
    assert bad["message"] == ("line 2: the record holds text that is not valid Unicode "
                              "(a lone surrogate, '\\udc80')")
    assert "vmware-locked-vmdk" in {f["id"] for f in report["findings"]}
    shown = CliRunner().invoke(cli, ["show", "--db", str(db), report["case_id"]])
    assert shown.exit_code in (0, 1) and "internal error" not in shown.output


SCHEMA = FactSchema("test-values", {"count": "int", "ratio": "float", "name": "str", "items": "list",
                                    "flag": "bool"})


@pytest.mark.parametrize("slots, message", [
    ({"count": 2**63}, "test-values.count: integer 9223372036854775808 does not fit"),
    ({"count": -(2**63) - 1}, "test-values.count: integer -9223372036854775809 does not fit"),
    ({"count": int(HUGE + "0" * 100)}, "test-values.count: integer of 399 bits does not fit"),
    ({"count": "12x"}, "test-values.count: '12x' is not an int value"),
    ({"count": float("inf")}, "test-values.count: inf is not an int value"),
    ({"ratio": 10**400}, "test-values.ratio: 1000000000"),
    ({"name": "vm\ud800"}, "test-values.name: text is not valid Unicode (a lone surrogate at character 3)"),
    ({"items": ["a", 2**70]}, "test-values.items: integer 1180591620717411303424 does not fit"),
    ({"items": ["ok", "\udcff"]}, "test-values.items: text is not valid Unicode"),
    ({"items": [{"nested": 1}]}, "test-values.items: a dict is not a value the engine can hold"),
    ({"items": [b"raw"]}, "test-values.items: a bytes is not a value the engine can hold"),
    ({"items": "not a list"}, "test-values.items must be a list"),
])
def test_values_the_engine_cannot_hold_are_refused_naming_the_slot(slots, message):
    with pytest.raises(ValueError) as raised:
        slot_values(SCHEMA, Fact("test-values", slots), 0)
    assert str(raised.value).startswith(message)
    str(raised.value).encode("utf-8")  # the message itself is printable


def test_a_surrogate_in_the_host_is_refused():
    with pytest.raises(ValueError, match="test-values.host: text is not valid Unicode"):
        slot_values(SCHEMA, Fact("test-values", {}, host="esx\udc80"), 0)


def test_the_edges_of_the_range_are_accepted_and_really_fit_the_engine():
    """The bounds are CLIPS' own: both ends assert, and come back unchanged."""
    low, high = CLIPS_INT_RANGE
    session = Session({"test-values": SCHEMA})
    facts = [Fact("test-values", {"count": low, "items": [high, "x", True, 1.5]}),
             Fact("test-values", {"count": high, "ratio": float("inf"), "name": "ok\x00"})]
    for fid, fact in enumerate(facts):
        slot_values(SCHEMA, fact, fid)
    session.assert_facts(facts)
    counts = sorted(f["count"] for f in session.env.facts() if f.template.name == "test-values")
    assert counts == [low, high]


def test_facts_given_directly_with_a_bad_value_fail_only_themselves():
    """diagnose_facts (the API, hakb.testing): the engine leaves out the fact it cannot hold,
    names it, and the case is incomplete; the other facts are diagnosed."""
    from hakb.diagnosis import diagnose_facts
    good = diagnose([str(EXAMPLE)]).facts
    bad = Fact("vmfs-lock", {"mode": int(HUGE)}, artifact="pasted", line=1)
    case = diagnose_facts([bad, *good])
    assert [e["source"] for e in case.errors] == ["engine"]
    assert case.errors[0]["message"].startswith("pasted:1: the vmfs-lock fact could not be entered: "
                                                "vmfs-lock.mode: integer 9999")
    assert not case.complete
    assert [f.id for f in case.findings] == [f.id for f in diagnose_facts(good).findings]
    assert case.findings
