"""The ``hakb triage`` dialogue: findings so far, one question at a time, reasoning after each.

Input comes from ``input()`` (line editing on a terminal; in plain mode, when stdin is not a
terminal, one line at a time from the pipe, end of input meaning "stop"). A paste ends with a
line holding only ``.`` or with Ctrl-D; ``@FILE`` as the first line reads the output from a file.
The words ``?``, ``skip``, ``back`` and ``stop`` work at every question. Answers from an answers
file are taken first, each once; what they leave open is asked on the terminal, if there is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import click

from hakb.acks import annotate_from, describe
from hakb.answers import Answer, AnswerError
from hakb.questions import SYMPTOM_ID, Question, evidence_present, open_checks
from hakb.report import SEVERITY_COLOURS
from hakb.triage import Triage

COMMANDS = {"?": "why", "why": "why", "skip": "skip", "back": "back", "stop": "stop", "quit": "stop",
            "q": "stop"}
END_OF_PASTE = "."


@dataclass
class Reply:
    kind: str        # answer | why | skip | back | stop
    text: str = ""


_ASKING = ("which", "whether", "what", "who", "how", "when", "where", "is ", "are ", "does ", "do ")


def as_question(check: str) -> str:
    """A rule's check as a person reads it.

    >>> as_question("which host holds the lock on /vmfs/a.vmdk")
    'Which host holds the lock on /vmfs/a.vmdk?'
    >>> as_question("snapshot chain of app01: depth unknown")
    'Not decided yet: snapshot chain of app01: depth unknown.'
    """
    check = check.strip().rstrip(".?")
    if check.lower().startswith(_ASKING):
        return check[:1].upper() + check[1:] + "?"
    return f"Not decided yet: {check}."


class Dialogue:
    """One terminal session over a :class:`~hakb.triage.Triage`."""

    def __init__(self, triage: Triage, *, interactive: bool, colour: bool = False,
                 say: Callable[[str], None] | None = None,
                 read: Callable[[str], str] | None = None) -> None:
        self.triage = triage
        self.interactive = interactive
        self.colour = colour
        self.say = say or click.echo
        self.read = read or input
        self.history: list[tuple[str, object]] = []  # ("answer", Answer) | ("skip", Question)
        self.next_id: str | None = None
        self.file_tried: set[str] = set()

    def style(self, text: str, **kw) -> str:
        return click.style(text, **kw) if self.colour else text

    # -- showing -----------------------------------------------------------------------------

    def show_start(self) -> None:
        report = self.triage.report()
        parsed = sum(1 for a in report["artifacts"] if a["status"] == "parsed")
        self.say(self.style(f"hakb triage · case {report['case_id']}", bold=True)
                 + f" · {len(report['artifacts'])} artifact(s), {parsed} read")
        if self.triage.candidates:
            self.show_candidates()
        self.show_findings()

    def show_candidates(self) -> None:
        self.say("")
        self.say(self.style(f"Candidate faults for \"{self.triage.symptom}\":", bold=True))
        for number, c in enumerate(self.triage.candidates[:5], start=1):
            matched = f"; matches {', '.join(c['matched'])}" if c["matched"] else ""
            self.say(f"  {number}. {c['title']}  [{c['id']}, score {c['score']:.2f}{matched}]")
            if c["collect"]:
                self.say(f"     collect first: {'; '.join(c['collect'])}")

    def show_findings(self) -> None:
        report = annotate_from(self.triage.store, self.triage.report())
        self.say("")
        if not report["findings"]:
            self.say(self.style("No finding yet.", bold=True))
            return
        counts = open_checks(report)
        stories: dict[int, list[dict]] = {}
        for finding in report["findings"]:
            stories.setdefault(finding.get("story", 0), []).append(finding)
        self.say(self.style(f"Findings so far ({len(stories)} stor{'y' if len(stories) == 1 else 'ies'}):",
                            bold=True))
        for number, story in enumerate(stories.values(), start=1):
            self.say(f"  Story {number}:")
            for finding in story:
                present, total = evidence_present(finding, counts.get(finding["id"], 0))
                severity = finding["severity"]
                label = self.style(f"{severity.upper():8}", fg=SEVERITY_COLOURS.get(severity), bold=True)
                self.say(f"    {label} {finding['title']}  [{finding['id']}]")
                opened = counts.get(finding["id"], 0)
                self.say(f"             confidence {finding['confidence']:.2f} · evidence from {present} "
                         f"of {total} sources · {opened} check(s) open")
                self.say(f"             {finding['summary']}")
                if finding.get("silenced"):
                    self.say(f"             ({describe(finding['silenced'])})")

    def show_question(self, question: Question, total: int) -> None:
        self.say("")
        self.say(self.style(f"Next question ({total} open) · {question.id}", bold=True))
        about = f"{question.title}: " if question.title else ""
        if question.kind == "paste":
            self.say(f"  {about}{as_question(question.check)}")
            if question.command:
                self.say(f"  Run{' on ' + question.host if question.host else ''}:")
                self.say(f"      {question.command}")
            else:
                self.say(f"  {question.prompt()}")
            self.say(f"  Paste the output, then a line with only \"{END_OF_PASTE}\" (or Ctrl-D); "
                     "@FILE reads it from a file.")
        else:
            self.say(f"  {question.ask}")
            if question.choices:
                self.say("  Choose: " + "  ".join(f"{n}) {c}" for n, c in enumerate(question.choices, 1)))
        self.say("  (? why this question · skip · back · stop)")

    def explain(self, question: Question) -> None:
        report = self.triage.report()
        if question.source == "ticket":
            self.say("  Why: nothing was collected yet; the ticket's words point at candidate faults "
                     "and what to collect first.")
            return
        if question.source == "candidate":
            candidate = next((c for c in self.triage.candidates if c["id"] == question.rule), {})
            self.say(f"  Why: the ticket's words match the symptoms of {question.title} "
                     f"({', '.join(candidate.get('matched', [])) or 'full text'}); its article says "
                     "to collect this first, and no rule has seen its evidence yet.")
            return
        self.say(f"  Why: rule {question.rule} could not decide {question.check}"
                 + (f" on {question.host}" if question.host else "") + ".")
        finding = next((f for f in report["findings"] if f["id"] == question.rule), None)
        if finding:
            self.say(f"  It belongs to the finding \"{finding['title']}\" (confidence "
                     f"{finding['confidence']:.2f}): {finding['summary']}")
        evidence = list(question.evidence) or (finding["evidence"][:5] if finding else [])
        if evidence:
            self.say("  Because of:")
            for item in evidence:
                where = f"{item['artifact']}:{item['line']}" if item.get("line") else item["artifact"]
                self.say(f"    {where}  {item['text'].strip()[:200]}")
        if question.kind == "ask" and question.collect:
            self.say(f"  (Instead of answering you could collect: {question.collect}.)")

    def show_result(self, answer: Answer, question: Question) -> None:
        result = self.triage.result_of(answer)
        if result is None:
            return
        if result.status == "parsed" and result.facts:
            what = f"read by {result.parser}" if answer.kind == "paste" else "kept"
            self.say(f"  {answer.artifact}: {what}, {len(result.facts)} fact(s).")
        elif result.status == "parsed":
            self.say(f"  {answer.artifact}: read by {result.parser}, but nothing in it was usable.")
        else:
            self.say(f"  {answer.artifact}: nothing was read ({result.message or result.status}).")
        still = {q.id for q in self.triage.questions(include_answered=True)}
        if question.id in still:
            self.say("  That did not decide it yet; `back` takes the answer back to give another.")

    # -- reading -----------------------------------------------------------------------------

    def _line(self, prompt: str) -> str | None:
        try:
            return self.read(prompt)
        except EOFError:
            return None

    def ask(self, question: Question) -> Reply:
        while True:
            first = self._line("paste> " if question.kind == "paste" else "answer> ")
            if first is None:
                return Reply("stop")
            command = COMMANDS.get(first.strip().lower())
            if command == "why":
                self.explain(question)
                continue
            if command:
                return Reply(command)
            if not first.strip():
                continue
            if question.kind != "paste":
                return Reply("answer", first)
            if first.startswith("@"):
                path = Path(first[1:].strip()).expanduser()
                try:
                    return Reply("answer", path.read_text(encoding="utf-8", errors="replace"))
                except OSError as exc:
                    self.say(f"  cannot read {path}: {exc.strerror or exc}")
                    continue
            lines = [first]
            while True:
                line = self._line("")
                if line is None or line.strip() == END_OF_PASTE:
                    break
                lines.append(line)
            return Reply("answer", "\n".join(lines) + "\n")

    # -- the loop ----------------------------------------------------------------------------

    def _pick(self) -> tuple[Question | None, int]:
        questions = self.triage.questions()
        if not questions:
            return None, 0
        chosen = next((q for q in questions if q.id == self.next_id), questions[0])
        self.next_id = None
        return chosen, len(questions)

    def _take(self, question: Question, text: str, via: str) -> bool:
        before = [(f["id"], f["key"], f["summary"]) for f in self.triage.report()["findings"]]
        try:
            answer = self.triage.answer(question, text, via=via)
        except AnswerError as exc:
            self.say(f"  {exc}.")
            return False
        self.history.append(("answer", answer))
        self.show_result(answer, question)
        if question.id == SYMPTOM_ID and self.triage.candidates:
            self.show_candidates()
        after = [(f["id"], f["key"], f["summary"]) for f in self.triage.report()["findings"]]
        if after != before:
            self.show_findings()
        return True

    def run(self, answers: Mapping[str, str | None] | None = None) -> str:
        """Ask until every check is decided ("done") or the engineer stops ("stopped")."""
        answers = dict(answers or {})
        self.show_start()
        while True:
            question, total = self._pick()
            if question is None:
                self.say("")
                self.say(self.style("Every check is decided.", bold=True))
                return "done"
            if question.id in answers and question.id not in self.file_tried:
                self.file_tried.add(question.id)
                self.show_question(question, total)
                value = answers[question.id]
                if value is None or str(value).strip().lower() == "skip":
                    self.say("  skip (answers file)")
                    self.triage.skip(question)
                    self.history.append(("skip", question))
                else:
                    self.say("  answered from the answers file")
                    self._take(question, str(value), via="answers file")
                continue
            if not self.interactive:
                return "stopped"
            self.show_question(question, total)
            reply = self.ask(question)
            if reply.kind == "stop":
                return "stopped"
            if reply.kind == "skip":
                self.triage.skip(question)
                self.history.append(("skip", question))
            elif reply.kind == "back":
                self._back()
            elif not self._take(question, reply.text, via="terminal"):
                self.next_id = question.id

    def _back(self) -> None:
        if not self.history:
            self.say("  Nothing to go back to.")
            return
        kind, item = self.history.pop()
        if kind == "answer":
            self.triage.withdraw(item)
            self.say(f"  {item.artifact} taken back.")
            self.next_id = item.question
        else:
            self.triage.unskip(item)
            self.next_id = item.id
