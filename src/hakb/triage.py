"""A triage case: the bundle, the questions asked, the answers given, and what they conclude.

The terminal session (``hakb triage``) and the triage page (``hakb serve``) both work through
:class:`Triage`. The bundle is read once; every answer adds facts (see :mod:`hakb.answers`) and
the knowledge runs again over the bundle's facts plus every answer's, in the rules' worker as
for any diagnosis. After each step the case is saved in place: the case's facts (the bundle's
first, then the answers'), findings, the questions with their status and the answers, so
``hakb triage --resume CASE`` and the page continue where anyone left off, and an interrupted
session loses nothing that was answered.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from hakb.answers import Answer, AnswerError, answer_result, new_answer, short_fact
from hakb.bundle import Limits
from hakb.candidates import rank
from hakb.diagnosis import Diagnosis, diagnose, diagnose_facts
from hakb.isolation import DEFAULT_TIMEOUT, read_knowledge
from hakb.model import Artifact, Fact
from hakb.hosts import assign_hosts
from hakb.parsing import ArtifactResult, SectionResult
from hakb.plugin_manager import PluginManager, fact_schemas, get_plugin_manager, knowledge_packs, parsers
from hakb.questions import SYMPTOM_ID, Question, questions_for, symptom_question
from hakb.store import Store

STATUSES = ("open", "answered", "skipped", "decided")


class TriageError(Exception):
    """A triage step that cannot be done (an unknown question); the message says why."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _fact(row: dict) -> Fact:
    return Fact(type=row["type"], slots=row["slots"] or {}, line=int(row["line"] or 0),
                text=row["text"] or "", host=row["host"] or None, artifact=row["artifact"] or None)


class Triage:
    """One triage case. Make one with :meth:`start` or :meth:`resume`."""

    def __init__(self, store: Store, case: Diagnosis, bundle_facts: list[Fact],
                 bundle_artifacts: list[ArtifactResult], *, pm: PluginManager | None = None,
                 symptom: str = "", answers: Iterable[Answer] = (),
                 asked: dict[str, dict] | None = None, rule_timeout: float = DEFAULT_TIMEOUT) -> None:
        self.store = store
        self.pm = pm or get_plugin_manager()
        self.case = case
        self.bundle_facts = list(bundle_facts)
        self.bundle_artifacts = list(bundle_artifacts)
        self.symptom = symptom
        self.answers: list[Answer] = list(answers)
        #: every question ever open in this case: id -> {"question": Question, "status": ...}
        self.asked: dict[str, dict] = dict(asked or {})
        self.rule_timeout = rule_timeout
        self.schemas = fact_schemas(self.pm)
        self.parsers = parsers(self.pm, self.schemas)
        # read in the knowledge worker, as diagnose reads it: no pack's front matter here
        self.articles = read_knowledge(knowledge_packs(self.pm), self.schemas).articles
        self.candidates = [c.as_dict() for c in rank(symptom, self.articles, store)] if symptom else []
        self.last_results: dict[int, ArtifactResult] = {}
        #: the stored report, while the case was resumed without diagnosing it again
        self._stored: dict | None = None

    # -- making one --------------------------------------------------------------------------

    @classmethod
    def start(cls, store: Store, paths: Sequence[str] = (), *, symptom: str = "",
              host: str | None = None, limits: Limits = Limits(), pm: PluginManager | None = None,
              rename: tuple[str, str] | None = None, rule_timeout: float = DEFAULT_TIMEOUT,
              via: str = "command line", inputs: Sequence[str] | None = None) -> "Triage":
        """Read ``paths`` (may be none), take the ticket's words, diagnose, save.

        ``rename`` = (prefix, replacement) changes artifact names that start with prefix (the
        page's upload folder) before anything is concluded or stored.
        """
        pm = pm or get_plugin_manager()
        now = datetime.now(timezone.utc)
        if paths:
            first = diagnose(list(paths), host=host, pm=pm, limits=limits, now=now,
                             rule_timeout=rule_timeout)
        else:
            first = diagnose_facts([], pm=pm, now=now, rule_timeout=rule_timeout)
        facts, artifacts = first.facts, first.artifacts
        if rename:
            facts, artifacts = _renamed(facts, artifacts, *rename)
            first.inputs = [_rename(name, *rename) for name in first.inputs]
        if inputs is not None:
            first.inputs = list(inputs)
        triage = cls(store, first, facts, artifacts, pm=pm, rule_timeout=rule_timeout)
        if symptom.strip():
            triage.answer(symptom_question(), symptom, via=via)  # rediagnoses and saves
        elif rename:
            triage.rediagnose()
            triage.save()
        else:
            triage._note_questions()
            triage.save()
        return triage

    @classmethod
    def resume(cls, store: Store, case_ref: str, pm: PluginManager | None = None,
               rule_timeout: float = DEFAULT_TIMEOUT, fresh: bool = True) -> "Triage":
        """Continue a stored case (a triage case, or any diagnosed case: its facts are the bundle).

        ``fresh``: diagnose again now (new knowledge, new hakb); without, the stored report
        stands until the next answer.
        """
        report = store.report(case_ref)
        case_id = report["case_id"]
        state = store.triage(case_id) or {}
        rows = store.facts(case_id)
        count = int(state.get("bundle_facts", len(rows)))
        bundle_facts = [_fact(row) for row in rows[:count]]
        answers = [Answer.from_row(row) for row in state.get("answers", [])]
        answer_names = {a.artifact for a in answers}
        by_artifact: dict[str, list[Fact]] = {}
        for fact in bundle_facts:
            by_artifact.setdefault(fact.artifact or "", []).append(fact)
        artifacts = [ArtifactResult(Artifact(name=a["path"], path=Path(a["path"]), host=a.get("host")),
                                    a["status"], parser=a.get("parser"), message=a.get("message"),
                                    facts=by_artifact.get(a["path"], []),
                                    sections=[_section(s) for s in a.get("sections") or ()])
                     for a in report["artifacts"] if a["path"] not in answer_names]
        created = datetime.fromisoformat(report["created"])
        case = Diagnosis(case_id=case_id, created=created, inputs=list(report.get("inputs") or []))
        case.as_of = datetime.fromisoformat(report["as_of"]) if report.get("as_of") else None
        asked = {}
        for row in state.get("questions", []):
            question = Question(
                id=row["question_id"], kind=row["kind"], rule=row["rule"] or "",
                check=row["check_text"] or "", collect=row["collect"] or "", host=row["host"] or "",
                ask=row["ask"] or "", choices=tuple(row["choices"] or ()), topic=row["topic"] or "",
                answer_fact=row["answer_fact"] or "", answer_slot=row["answer_slot"] or "",
                source=row["source"] or "rule", title=row["title"] or "")
            status = row["status"] if row["status"] != "skipped" else "open"  # asked again
            asked[question.id] = {"question": question, "status": status}
        triage = cls(store, case, bundle_facts, artifacts, pm=pm, symptom=state.get("symptom") or "",
                     answers=answers, asked=asked, rule_timeout=rule_timeout)
        if fresh:
            triage.rediagnose()
        else:
            triage._stored = report
            triage._note_questions()
        return triage

    # -- reasoning ---------------------------------------------------------------------------

    @property
    def case_id(self) -> str:
        return self.case.case_id

    def report(self) -> dict:
        return self._stored if self._stored is not None else self.case.as_dict()

    def rediagnose(self) -> Diagnosis:
        """Run the knowledge again over the bundle's facts and every answer's.

        Hosts are settled again over all of them (:func:`hakb.hosts.assign_hosts`), so a host
        named in an answer (``esx01``) and in the bundle (``esx01.lab.example``) is one host.
        The bundle's facts stay first, in their order.
        """
        artifacts = list(self.bundle_artifacts)
        self.last_results = {}
        with tempfile.TemporaryDirectory(prefix="hakb-triage-") as workdir:
            for answer in self.answers:
                question = self.asked[answer.question]["question"]
                result = answer_result(answer, question, self.parsers, self.schemas, Path(workdir))
                self.last_results[answer.number] = result
                artifacts.append(result)
        counted = sum(len(a.facts) for a in self.bundle_artifacts)
        if counted == len(self.bundle_facts):
            facts = assign_hosts(artifacts)
        else:  # facts without an artifact of their own (a facts file): keep them as they are
            facts = list(self.bundle_facts) + [f for r in artifacts[len(self.bundle_artifacts):] for f in r.facts]
        case = diagnose_facts(facts, pm=self.pm, now=self.case.created, as_of=self.case.as_of,
                              rule_timeout=self.rule_timeout)
        case.case_id, case.created, case.inputs = self.case.case_id, self.case.created, self.case.inputs
        case.artifacts = artifacts
        self.case = case
        self._stored = None
        self._note_questions()
        return case

    def _note_questions(self) -> None:
        """Record the questions now open and the status of every question ever asked."""
        current = self._current()
        ids = {q.id for q in current}
        for question in current:
            self.asked.setdefault(question.id, {"question": question, "status": "open"})["question"] = question
        answered = {a.question for a in self.answers}
        for qid, entry in self.asked.items():
            if qid in answered:
                entry["status"] = "answered"
            elif not (entry["status"] == "skipped" and qid in ids):
                entry["status"] = "open" if qid in ids else "decided"

    def _current(self) -> list[Question]:
        questions = questions_for(self.report(), self.candidates, self.articles)
        if not self.bundle_facts and not self.symptom and not self.answers:
            questions.insert(0, symptom_question())
        return questions

    def questions(self, include_answered: bool = False, include_skipped: bool = False) -> list[Question]:
        """The open questions, most important first; ``include_answered``: also those an
        answer did not decide; ``include_skipped``: also those skipped."""
        out = []
        for question in self._current():
            status = self.asked.get(question.id, {}).get("status", "open")
            if (status == "answered" and not include_answered) or (status == "skipped" and not include_skipped):
                continue
            out.append(question)
        return out

    def question(self, question_id: str) -> Question:
        entry = self.asked.get(question_id)
        if entry is None:
            raise TriageError(f"no question {question_id!r} in case {self.case_id}")
        return entry["question"]

    # -- answering ---------------------------------------------------------------------------

    def answer(self, question: Question, text: str, via: str = "") -> Answer:
        """Take an answer, diagnose again, save. AnswerError when it does not fit the question."""
        number = max((a.number for a in self.answers), default=0) + 1
        answer = new_answer(number, question, text, _now(), via)
        if question.kind != "paste":
            short_fact(answer, question, self.schemas)  # raises AnswerError before anything changes
        self.asked.setdefault(question.id, {"question": question, "status": "open"})
        self.asked[question.id]["question"] = question
        self.answers.append(answer)
        if self._saved():
            self.store.save_triage(self.case_id, self.state())  # kept even if interrupted now
        if question.id == SYMPTOM_ID:
            self.symptom = answer.text
            self.candidates = [c.as_dict() for c in rank(self.symptom, self.articles, self.store)]
        self.rediagnose()
        self.save()
        return answer

    def result_of(self, answer: Answer) -> ArtifactResult | None:
        """What the last diagnosis read from ``answer`` (parser, facts, or why nothing)."""
        return self.last_results.get(answer.number)

    def withdraw(self, answer: Answer) -> None:
        """Take an answer back (``back``): its question is open again."""
        self.answers = [a for a in self.answers if a.number != answer.number]
        entry = self.asked.get(answer.question)
        if entry:
            entry["status"] = "open"
        if answer.question == SYMPTOM_ID:
            self.symptom = ""
            self.candidates = []
        self.rediagnose()
        self.save()

    def skip(self, question: Question) -> None:
        self.asked.setdefault(question.id, {"question": question, "status": "open"})["status"] = "skipped"
        self.save()

    def unskip(self, question: Question) -> None:
        entry = self.asked.get(question.id)
        if entry and entry["status"] == "skipped":
            entry["status"] = "open"
            self.save()

    # -- keeping it ----------------------------------------------------------------------------

    def state(self, status: str = "") -> dict:
        open_now = self.questions()
        status = status or ("done" if not open_now else "open")
        rows = []
        numbers = {a.question: a.number for a in self.answers}
        for entry in self.asked.values():
            q: Question = entry["question"]
            rows.append({"question_id": q.id, "kind": q.kind, "rule": q.rule, "check_text": q.check,
                         "collect": q.collect, "host": q.host, "ask": q.ask, "choices": list(q.choices),
                         "topic": q.topic, "answer_fact": q.answer_fact, "answer_slot": q.answer_slot,
                         "title": q.title, "status": entry["status"], "answer": numbers.get(q.id),
                         "source": q.source})
        return {"symptom": self.symptom, "bundle_facts": len(self.bundle_facts),
                "candidates": self.candidates, "status": status, "updated": _now(),
                "questions": rows, "answers": [a.as_row() for a in self.answers]}

    def _saved(self) -> bool:
        return self.store.db["cases"].count_where("id = ?", [self.case_id]) > 0

    def save(self, status: str = "") -> None:
        if self._stored is not None:  # not diagnosed again: the stored case stands, only triage changed
            self.store.save_triage(self.case_id, self.state(status))
        else:
            self.store.save(self.case, replace=True, triage=self.state(status))

    def summary(self) -> dict:
        """The triage part of a JSON report: symptom, candidates, open questions, answers."""
        state = self.state()
        return {"symptom": self.symptom, "candidates": self.candidates, "status": state["status"],
                "questions": [q.as_dict() for q in self.questions(include_answered=True, include_skipped=True)],
                "asked": [{k: row[k] for k in ("question_id", "status", "answer")}
                          for row in state["questions"]],
                "answers": [a.as_dict() for a in self.answers]}


def _rename(name: str, prefix: str, replacement: str) -> str:
    return replacement + name[len(prefix):] if name.startswith(prefix) else name


def _renamed(facts: list[Fact], artifacts: list[ArtifactResult], prefix: str,
             replacement: str) -> tuple[list[Fact], list[ArtifactResult]]:
    facts = [replace(f, artifact=_rename(f.artifact or "", prefix, replacement)) for f in facts]
    by_artifact: dict[str, list[Fact]] = {}
    for fact in facts:
        by_artifact.setdefault(fact.artifact or "", []).append(fact)
    renamed = []
    for result in artifacts:
        name = _rename(result.artifact.name, prefix, replacement)
        renamed.append(replace(result, artifact=replace(result.artifact, name=name),
                               facts=by_artifact.get(name, [])))
    return facts, renamed


def _section(row: dict) -> SectionResult:
    start, end = (row.get("lines") or [0, 0])[:2]
    return SectionResult(start=start, end=end, command=row.get("command") or "",
                         status=row.get("status") or "parsed",
                         parsers=[p for p in (row.get("parser") or "").split(", ") if p],
                         message=row.get("message"), facts=int(row.get("facts") or 0))


__all__ = ["Triage", "TriageError", "AnswerError", "STATUSES"]
