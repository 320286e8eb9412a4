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
                                  "remove", "bload", "with-open-file", "bsave-facts", "constructs-to-c",
                                  "dribble-on", "save-facts", "halt", "assert-string", "make-instance"])
def test_environment_lacks_functions_off_the_allow_list(tmp_path, name):
    """The functions are gone from CLIPS itself: CLIPS refuses the call, with file and line."""
    session = Session({})
    rule = tmp_path / "r.clp"
    rule.write_text(f'(defrule sneaky\n  =>\n  ({name} "x"))')
    assert session.load_rules("sneaky", rule) is False
    assert session.errors["sneaky"] == [f"r.clp:3: calls forbidden function '{name}'"]


def test_only_allowed_functions_are_left_in_the_environment():
    """Lists every function CLIPS has (its own function list, read through the C API) and fails
    on any not on the allow-list, so a new clipspy cannot add one unnoticed."""
    import clips

    from hakb.engine import ALLOWED_FUNCTIONS, present_functions

    fresh = clips.Environment()
    assert sorted(present_functions(fresh)) == sorted(str(n) for n in fresh.eval("(get-function-list)"))
    present = set(present_functions(Session({}).env))
    assert present - ALLOWED_FUNCTIONS == set()
    assert ALLOWED_FUNCTIONS - present == set()  # the list names nothing this CLIPS lacks


@pytest.mark.parametrize("construct", [
    "(defclass evil (is-a USER))",
    "(defgeneric evil-g)",
    '(defmethod > ((?a NUMBER) (?b NUMBER)) FALSE)',
    "(defmodule EVIL)",
    "(deffacts evil-facts (test-item (name \"x\")))",
    '(definstances evil-i (a of USER))',
])
def test_constructs_packs_may_not_use_are_refused(tmp_path, construct):
    rule = tmp_path / "r.clp"
    rule.write_text(f"; first line\n{construct}\n")
    session = Session({"test-item": SCHEMA})
    assert session.load_rules("p", rule) is False
    name = construct[1:].split()[0]
    assert session.errors["p"] == [f"r.clp:2: uses '{name}', which packs may not use"]


def test_a_pack_cannot_redefine_core_templates_or_what_another_pack_defined(tmp_path):
    first, second, core = tmp_path / "a.clp", tmp_path / "b.clp", tmp_path / "c.clp"
    first.write_text("(deffunction a-helper () 1)\n(defrule a-rule (test-item) => (a-helper))\n")
    second.write_text("(defrule a-rule (test-item) => (printout t x))\n")
    core.write_text("(deftemplate hakb-finding (slot id) (slot evil))\n")
    session = Session({"test-item": SCHEMA})
    assert session.load_rules("a", first) and not session.dirty
    assert session.load_rules("b", second) is False and session.dirty
    assert session.errors["b"] == ["rule 'a-rule' is already defined by pack a"]
    fresh = Session({"test-item": SCHEMA})
    assert fresh.load_rules("c", core) is False
    assert fresh.errors["c"] == ["template 'hakb-finding' is already defined by hakb"]


def test_an_environment_enters_only_the_fact_types_it_has():
    from hakb.model import FactSchema
    other = FactSchema("other-item", {"name": "str"})
    session = Session({"test-item": SCHEMA, "other-item": other}, templates=["other-item"])
    facts = [Fact("test-item", {"name": "a"}), Fact("other-item", {"name": "b"}), Fact("test-item", {})]
    assert session.assert_facts(facts) == 1
    [entered] = [f for f in session.env.facts() if f.template.name == "other-item"]
    assert entered["fid"] == 1  # fids stay the positions in the whole list
    assert {t.name for t in session.env.templates()} >= {"other-item", "hakb-finding"}
    assert "test-item" not in {t.name for t in session.env.templates()}


def test_failure_is_read_from_the_engine_not_from_printed_text(tmp_path):
    rule = tmp_path / "r.clp"
    rule.write_text('(defrule noisy => (printout stderr "[PRNTUTIL7] Attempt to divide by zero in '
                    '\'div\' function. ERROR in defrule \'x\'" crlf))\n')
    session = Session({})
    assert session.load_rules("p", rule)
    assert session.run().errors == {}


def test_every_finding_names_its_pack(tmp_path, monkeypatch):
    pack = make_pack(tmp_path / "p", "p", {"test-good": GOOD_RULE})
    case = run_with([pack], [Fact("test-item", {"name": "disk1", "size": 50})], monkeypatch)
    assert only_finding(case, "test-good").pack == "p"
    assert case.as_dict()["findings"][0]["pack"] == "p"


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


def test_a_fact_that_does_not_fit_is_left_out_and_said(tmp_path):
    """Bad data costs that fact, not the run (the parsers' own checks normally stop it earlier)."""
    session = Session({"test-item": SCHEMA})
    entered = session.assert_facts([Fact("test-item", {"nonsense": 1}, line=4, artifact="a.txt"),
                                    Fact("test-item", {"size": 2 ** 70}, line=5, artifact="a.txt"),
                                    Fact("test-item", {"name": "ok", "size": 3})])
    assert entered == 1 and len(list(session.env.facts())) == 1
    assert session.rejected[0].startswith("a.txt:4: the test-item fact could not be entered: ")
    assert "slots its schema lacks" in session.rejected[0]
    assert session.rejected[1].startswith("a.txt:5: the test-item fact could not be entered: ")
