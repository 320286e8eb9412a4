"""The engine's safety and bookkeeping: injection-proof facts, refused functions, reported errors."""

import pytest

from hakb import Fact
from hakb.diagnosis import diagnose_facts
from hakb.engine import Session
from hakb.plugin_manager import get_plugin_manager
from hakb.testing import only_finding
from packkit import SCHEMA, PackPlugin, make_pack

def run_with(packs, facts, monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "")  # only the test plugin
    return diagnose_facts(facts, pm=get_plugin_manager(extra=(PackPlugin(*packs),)))


GOOD_RULE = """
    (defrule test-good-big
      ?i <- (test-item (name ?n) (size ?s&:(integerp ?s)&:(> ?s 10)))
      =>
      (assert (hakb-finding (id "test-good") (key ?n) (evidence ?i) (vars name ?n))))
    """


def test_finding_carries_evidence_file_and_line(tmp_path, monkeypatch):
    pack = make_pack(tmp_path / "p", "p", {"test-good": GOOD_RULE})
    item = Fact("test-item", {"name": "disk1", "size": 50}, line=7, text="disk1 50", artifact="sizes.txt")
    case = run_with([pack], [item, Fact("test-item", {"name": "small", "size": 1}, line=8)], monkeypatch)
    finding = only_finding(case, "test-good")
    assert finding.summary == "disk1 is broken"
    assert finding.remediation == ["Repair disk1."]
    assert [(e.artifact, e.line, e.text) for e in finding.evidence] == [("sizes.txt", 7, "disk1 50")]


def test_clips_syntax_in_a_log_line_changes_nothing(tmp_path, monkeypatch):
    pack = make_pack(tmp_path / "p", "p", {"test-good": GOOD_RULE})
    hostile = '") (assert (x)) (defrule evil => (assert (hakb-finding (id "pwned")))) ("\x00'
    clean = run_with([pack], [Fact("test-item", {"name": "disk1", "size": 50}, line=1)], monkeypatch)
    dirty = run_with([pack], [Fact("test-item", {"name": hostile, "size": 50}, line=1, text=hostile)],
                     monkeypatch)
    assert [f.id for f in clean.findings] == [f.id for f in dirty.findings] == ["test-good"]
    assert dirty.findings[0].values["name"] == [hostile.replace("\x00", "")]
    assert dirty.errors == clean.errors == []


def test_injected_text_builds_no_construct():
    session = Session({"test-item": SCHEMA})
    session.assert_facts([Fact("test-item", {"name": '") (deftemplate x) (defrule r =>'})])
    session.run()
    names = {t.name for t in session.env.templates()}
    assert "x" not in names and not list(session.env.rules())


@pytest.mark.parametrize("call", [
    '(system "touch /tmp/hakb-pwned")',
    '(open "/etc/passwd" f "r")',
    '(eval "(system \\"id\\")")',
    '(build "(defrule x =>)")',
    '(funcall (sym-cat sys tem) "id")',
    '(exit)',
    '(load "/tmp/other.clp")',
    '(batch "/tmp/x.bat")',
])
def test_pack_calling_a_forbidden_function_is_refused(tmp_path, monkeypatch, call):
    good = make_pack(tmp_path / "good", "good", {"test-good": GOOD_RULE})
    bad = make_pack(tmp_path / "bad", "bad", {"test-bad": f"""
        (defrule test-bad-rule
          (test-item (name ?n))
          =>
          {call})
        """})
    case = run_with([good, bad], [Fact("test-item", {"name": "disk1", "size": 50})], monkeypatch)
    assert [f.id for f in case.findings] == ["test-good"]  # the good pack still works
    refusals = [e["message"] for e in case.errors if e["source"] == "pack bad"]
    assert refusals and "forbidden function" in refusals[0] and "test-bad.clp:5" in refusals[0]
    assert case.packs == ["good"]


@pytest.mark.parametrize("name", ["system", "open", "eval", "build", "funcall", "exit", "load", "batch",
                                  "remove", "bload"])
def test_environment_lacks_forbidden_functions_even_without_vetting(tmp_path, name):
    """Defence in depth: the functions are gone from CLIPS itself, not just refused by the checker."""
    session = Session({})
    rule = tmp_path / "r.clp"
    rule.write_text(f'(defrule sneaky => ({name} "x"))')
    assert session.load_rules("sneaky", rule) is False
    assert "Missing function declaration" in session.errors["sneaky"][0]


def test_error_inside_a_rule_is_reported_not_swallowed(tmp_path, monkeypatch, capfd):
    good = make_pack(tmp_path / "good", "good", {"test-good": GOOD_RULE})
    crashing = make_pack(tmp_path / "crash", "crash", {"test-crash": """
        (defrule test-crash-divide
          (test-item (size ?s&:(integerp ?s)))
          =>
          (printout t "noise from a rule" crlf)
          (bind ?zero 0)
          (bind ?x (div ?s ?zero)))
        """})
    case = run_with([good, crashing], [Fact("test-item", {"name": "d", "size": 50})], monkeypatch)
    messages = [e for e in case.errors if e["source"] == "pack crash"]
    assert messages and "divide by zero" in messages[0]["message"].lower()
    assert "noise from a rule" not in capfd.readouterr().out  # CLIPS output never reaches stdout
    assert "crash" not in case.packs


def test_findings_that_reference_each_other_form_one_story(tmp_path, monkeypatch):
    pack = make_pack(tmp_path / "p", "p", {
        "test-good": GOOD_RULE,
        "test-cause": """
            (defrule test-cause-found
              ?i <- (test-item (name ?n) (size 99))
              =>
              (assert (hakb-finding (id "test-cause") (key ?n) (evidence ?i) (vars name ?n))))
            (defrule test-cause-link
              (test-item (name ?n) (size 99))
              =>
              (assert (hakb-relate (id "test-cause") (key ?n) (other-id "test-good") (other-key ?n))
                      (hakb-relate (id "test-cause") (key ?n) (other-id "test-good") (other-key "absent"))))
            """,
    })
    case = run_with([pack], [Fact("test-item", {"name": "a", "size": 99}),
                             Fact("test-item", {"name": "b", "size": 50})], monkeypatch)
    by_key = {(f.id, f.key): f for f in case.findings}
    cause, effect = by_key[("test-cause", "a")], by_key[("test-good", "a")]
    assert cause.story == effect.story != by_key[("test-good", "b")].story
    assert cause.related == [("test-good", "a")] and effect.related == [("test-cause", "a")]


def test_linking_findings_cannot_cascade(tmp_path, monkeypatch):
    """Many findings of one key, linked pairwise: relations are facts of their own, so linking
    rules never re-trigger on what they assert, and the run ends far below the firing cap."""
    pack = make_pack(tmp_path / "p", "p", {
        "test-good": GOOD_RULE,
        "test-link": """
            (defrule test-link-any
              (hakb-finding (id "test-good") (key ?n))
              (hakb-finding (id "test-good") (key ?m&~?n))
              =>
              (assert (hakb-relate (id "test-good") (key ?n) (other-id "test-good") (other-key ?m))))
            """,
    })
    items = [Fact("test-item", {"name": f"disk{i}", "size": 20 + i}, line=i) for i in range(40)]
    case = run_with([pack], items, monkeypatch)
    assert case.errors == []
    assert len({f.story for f in case.findings}) == 1 and len(case.findings) == 40


def test_firings_with_one_id_and_key_merge(tmp_path, monkeypatch):
    pack = make_pack(tmp_path / "p", "p", {"test-good": GOOD_RULE + """
        (defrule test-good-second
          ?i <- (test-item (name ?n) (size 50))
          =>
          (assert (hakb-finding (id "test-good") (key "disk") (evidence ?i) (vars name ?n))))
        """})
    case = run_with([pack], [Fact("test-item", {"name": "disk", "size": 50}, line=1),
                             Fact("test-item", {"name": "disk", "size": 50}, line=2)], monkeypatch)
    finding = only_finding(case, "test-good")
    assert [e.line for e in finding.evidence] == [1, 2]
    assert finding.values == {"name": ["disk"]}


def test_duplicate_rule_names_across_packs_are_refused(tmp_path, monkeypatch):
    first = make_pack(tmp_path / "a", "a", {"test-good": GOOD_RULE})
    second = make_pack(tmp_path / "b", "b", {"test-other": GOOD_RULE.replace('"test-good"', '"test-other"')})
    case = run_with([first, second], [Fact("test-item", {"name": "x", "size": 50})], monkeypatch)
    assert case.packs == ["a"]
    assert any("already defined" in e["message"] for e in case.errors)


def test_unknown_slot_in_a_fact_is_rejected():
    session = Session({"test-item": SCHEMA})
    with pytest.raises(ValueError, match="slots its schema lacks"):
        session.assert_facts([Fact("test-item", {"nonsense": 1})])
