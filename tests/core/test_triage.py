"""Triage in process: questions from undecided checks, answers as facts, reasoning again, the case
kept in the store and resumed."""

import json

import pytest
from packkit import PackPlugin, make_pack
from triagekit import HOLDER_SUMMARY, LISTINGS, MOUNTING, RIGHT_DISK, SESSION, answer_for, partial_locked_vmdk

from hakb.answers import AnswerError
from hakb.plugin_manager import get_plugin_manager
from hakb.questions import question_id
from hakb.store import Store
from hakb.testing import fact, run_facts
from hakb.triage import Triage


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "cases.db")


def first(triage, **wanted):
    for question in triage.questions():
        if all(getattr(question, k) == v for k, v in wanted.items()):
            return question
    raise AssertionError(f"no open question with {wanted}: {[q.as_dict() for q in triage.questions()]}")


def test_a_partial_bundle_asks_for_the_lock_dump_of_the_data_file_then_hosts_then_their_nics(store, tmp_path):
    triage = Triage.start(store, [str(partial_locked_vmdk(tmp_path))])
    question = triage.questions()[0]
    assert (question.rule, question.kind, question.host) == ("vmware-locked-vmdk", "paste", "esx01.lab.example")
    assert question.command == RIGHT_DISK
    assert question.id == question_id(question.rule, question.check, question.host)

    pasted = triage.answer(question, SESSION.read_text(), via="test")
    assert pasted.artifact == "paste:1"
    assert "vmware-vmkfstools" in triage.result_of(pasted).parser
    hosts = triage.questions()[0]
    assert hosts.kind == "ask" and hosts.ask.startswith("Which ESXi hosts mount ds-prod-01?")

    triage.answer(hosts, MOUNTING)
    asked = [q.host for q in triage.questions() if q.collect == "esxcfg-nics -l"]
    assert asked == ["esx02", "esx03"]
    triage.answer(first(triage, host="esx02"), LISTINGS["esx02"].read_text())
    assert HOLDER_SUMMARY not in triage.report()["findings"][0]["summary"]
    triage.answer(first(triage, host="esx03"), LISTINGS["esx03"].read_text())

    finding = triage.report()["findings"][0]
    assert HOLDER_SUMMARY in finding["summary"]
    where = {(e["artifact"], e["line"]) for e in finding["evidence"]}
    assert ("paste:1", 15) in where  # the owner line of the pasted dump, by its line in the paste
    assert ("paste:4", 2) in where   # esx03's vmnic0
    assert not [q for q in triage.questions() if q.rule == "vmware-locked-vmdk"]


def test_answers_and_questions_are_kept_and_a_resumed_case_goes_on(store, tmp_path):
    triage = Triage.start(store, [str(partial_locked_vmdk(tmp_path))])
    triage.answer(triage.questions()[0], SESSION.read_text())
    stored = store.triage(triage.case_id)
    assert stored["bundle_facts"] == len(triage.bundle_facts)
    assert [(a["number"], a["kind"]) for a in stored["answers"]] == [(1, "paste")]
    statuses = {q["question_id"]: q["status"] for q in stored["questions"]}
    assert statuses[triage.answers[0].question] == "answered"

    again = Triage.resume(store, triage.case_id)
    assert again.report()["findings"] == triage.report()["findings"]
    assert [q.id for q in again.questions()] == [q.id for q in triage.questions()]
    again.answer(again.questions()[0], MOUNTING)
    assert len(store.triage(triage.case_id)["answers"]) == 2
    assert len(store.recent()) == 1  # one case, re-diagnosed in place


def test_a_short_answer_is_a_fact_with_its_own_provenance(store, tmp_path):
    triage = Triage.start(store, [str(partial_locked_vmdk(tmp_path))])
    triage.answer(triage.questions()[0], SESSION.read_text())
    triage.answer(triage.questions()[0], "esx02; esx03")
    facts = {f["artifact"]: f for f in store.facts(triage.case_id)}
    answer = facts["answer:2"]
    assert answer["type"] == "triage-answer" and answer["line"] == 0
    assert answer["slots"]["topic"] == "hosts mounting ds-prod-01"
    assert answer["slots"]["items"] == ["esx02", "esx03"]


def test_back_takes_an_answer_back_and_skip_is_remembered(store, tmp_path):
    triage = Triage.start(store, [str(partial_locked_vmdk(tmp_path))])
    dump = triage.questions()[0]
    given = triage.answer(dump, SESSION.read_text())
    assert dump.id not in [q.id for q in triage.questions()]
    triage.withdraw(given)
    assert triage.questions()[0].id == dump.id
    assert store.triage(triage.case_id)["answers"] == []
    triage.skip(dump)
    assert dump.id not in [q.id for q in triage.questions()]
    assert dump.id in [q.id for q in triage.questions(include_skipped=True)]
    assert {q["question_id"]: q["status"] for q in store.triage(triage.case_id)["questions"]}[dump.id] == "skipped"
    assert Triage.resume(store, triage.case_id).questions()[0].id == dump.id  # asked again on resume


def test_an_unreadable_paste_decides_nothing_and_says_why(store, tmp_path):
    triage = Triage.start(store, [str(partial_locked_vmdk(tmp_path))])
    dump = triage.questions()[0]
    given = triage.answer(dump, "this is not the output of anything\n")
    assert triage.result_of(given).facts == []
    assert dump.id in [q.id for q in triage.questions(include_answered=True)]
    with pytest.raises(AnswerError):
        triage.answer(dump, "   \n")


def test_the_ticket_words_propose_transporter_first_and_ask_for_the_registry_values(store):
    triage = Triage.start(store, [], symptom="Transporter FETCH parse error")
    assert triage.candidates[0]["id"] == "transporter-imap-errors"
    first_question = triage.questions()[0]
    assert first_question.rule == "transporter-imap-errors"
    assert "reg export HKCU\\Software\\Microsoft\\Transporter\\Preferences" in first_question.collect
    finding = triage.report()["findings"][0]
    assert finding["id"] == "transporter-imap-errors" and finding["confidence"] == 0.5
    assert finding["evidence"][0]["artifact"] == "answer:1"
    triage.answer(first_question, answer_for(first_question.as_dict()).read_text(encoding="utf-16"))
    left = triage.questions()
    assert [q.collect.split()[0] for q in left] == ["systeminfo"]


def test_from_nothing_the_first_question_is_the_ticket(store):
    triage = Triage.start(store, [])
    question = triage.questions()[0]
    assert (question.id, question.kind) == ("symptom", "ask")
    triage.answer(question, "Transporter FETCH parse error")
    assert triage.symptom == "Transporter FETCH parse error"
    assert triage.candidates[0]["id"] == "transporter-imap-errors"


def test_candidates_without_a_rule_ask_what_their_article_says_to_collect_first(store):
    triage = Triage.start(store, [], symptom="snapshot consolidation fails: Failed to lock the file")
    assert triage.candidates[0]["id"] == "vmware-locked-vmdk"
    question = triage.questions()[0]
    assert question.source == "candidate" and question.rule == "vmware-locked-vmdk"
    assert question.collect == triage.articles["vmware-locked-vmdk"].collect[0]


UNVERIFIED_RULES = {
    "asks-a-person": """
        (defrule asks-a-person
          (test-item (name ?n))
          (not (test-item (name ?n) (size ?s&:(integerp ?s))))
          =>
          (assert (hakb-unverified (rule "asks-a-person") (host "h1") (check (str-cat "the size of " ?n))
                    (ask (str-cat "How large is " ?n "?")) (answer-fact "test-item") (answer-slot "size")))
          (assert (hakb-unverified (rule "asks-a-person") (check "whether it runs")
                    (ask "Is it running?") (choices "yes" "no") (topic "running"))))
        (defrule asks-a-person-sized
          (test-item (name ?n) (size ?s&:(integerp ?s)))
          =>
          (assert (hakb-finding (id "asks-a-person") (key ?n) (vars name ?n))))
        """,
    "old-style": """
        (defrule old-style
          (test-item (name ?n))
          =>
          (assert (hakb-unverified (rule "old-style") (check "something") (collect "a listing"))))
        """,
}


def test_rules_may_ask_short_questions_and_name_the_fact_the_answer_fills(store, tmp_path):
    pack = make_pack(tmp_path / "pack", "asking", UNVERIFIED_RULES)
    pm = get_plugin_manager(extra=(PackPlugin(pack),))
    case = run_facts([fact("test-item", name="disk1")], plugins=(PackPlugin(pack),))
    by_rule = {u.rule: u.as_dict() for u in case.unverified}
    assert set(by_rule["old-style"]) == {"rule", "check", "collect", "host", "evidence"}  # as before
    assert by_rule["asks-a-person"]["ask"] in ("How large is disk1?", "Is it running?")

    facts_file = tmp_path / "items.facts.jsonl"
    facts_file.write_text(json.dumps({"type": "test-item", "slots": {"name": "disk1"}, "line": 1,
                                      "text": "disk1", "artifact": "items.txt"}) + "\n")
    triage = Triage.start(store, [str(facts_file)], pm=pm)
    questions = {q.ask: q for q in triage.questions() if q.rule == "asks-a-person"}
    running, size = questions["Is it running?"], questions["How large is disk1?"]
    assert (running.kind, running.choices, running.topic) == ("choice", ("yes", "no"), "running")
    assert (size.kind, size.answer_fact, size.answer_slot, size.host) == ("ask", "test-item", "size", "h1")
    with pytest.raises(AnswerError):
        triage.answer(running, "maybe")
    with pytest.raises(AnswerError):
        triage.answer(size, "large")
    triage.answer(running, "2")  # the second choice
    assert [a.text for a in triage.answers] == ["no"]
    triage.answer(size, "40")
    made = [f for f in triage.case.facts if f.artifact == "answer:2"]
    assert made[0].type == "test-item" and made[0].slots == {"size": 40} and made[0].host == "h1"
    assert [f["key"] for f in triage.report()["findings"] if f["id"] == "asks-a-person"] == [""]


def test_pasted_secrets_are_redacted_before_they_are_kept(store, tmp_path):
    triage = Triage.start(store, [str(partial_locked_vmdk(tmp_path))])
    dump = triage.questions()[0]
    text = SESSION.read_text() + "password=Hunter2Secret\n"
    triage.answer(dump, text)
    kept = store.triage(triage.case_id)["answers"][0]["text"]
    assert "Hunter2Secret" not in kept and "vmkfstools -D" in kept


def test_a_case_made_by_diagnose_can_be_triaged(store, tmp_path):
    from hakb.diagnosis import diagnose

    case = diagnose([str(partial_locked_vmdk(tmp_path))])
    store.save(case)
    triage = Triage.resume(store, case.case_id)
    assert len(triage.bundle_facts) == len(case.facts)
    triage.answer(triage.questions()[0], SESSION.read_text())
    assert "a host with MAC 00:50:56:0a:03:01" in triage.report()["findings"][0]["summary"]


def test_question_ids_are_the_same_in_every_run(store, tmp_path):
    one = Triage.start(store, [str(partial_locked_vmdk(tmp_path / "a"))]).questions()
    two = Triage.start(store, [str(partial_locked_vmdk(tmp_path / "b"))]).questions()
    assert [q.id for q in one] == [q.id for q in two]
    assert question_id("r", "c", "h") != question_id("r", "c", "h2")


def test_what_to_collect_first_survives_the_pack_cache(tmp_path):
    from hakb.knowledge import read_pack
    from hakb.plugin_manager import knowledge_packs

    pack = next(p for p in knowledge_packs(get_plugin_manager()) if p.name == "vmware")
    fresh, cached = read_pack(pack, cache=tmp_path), read_pack(pack, cache=tmp_path)
    for reading in (fresh, cached):
        collect = {a.id: a.collect for a in reading.articles}["vmware-locked-vmdk"]
        assert len(collect) == 3 and collect[2].startswith("`esxcfg-nics -l`")
