"""Answers to triage questions, turned into facts with provenance of their own.

* Pasted output is written to a file in a temporary folder and read by the same pipe as any
  collected artifact (:func:`hakb.parsing.parse_artifact`: recognition by content, schema
  checks, redaction). Its facts carry ``paste:N`` as artifact, with the line of the paste.
  When the question asked for one command naming a path (``vmkfstools -D FILE``, ``ls -lh
  FOLDER``) and the paste does not show that command line, the command is put in front of it:
  such output names its file or folder only there. Line numbers still count the pasted lines.
* A short answer becomes one ``triage-answer`` fact (question, topic, answer, items), or, when the
  asking rule said so (``answer-fact``/``answer-slot``), that slot of a fact of that type; its
  artifact is ``answer:N``.

N is the answer's number in its case. Answer text is redacted before it is kept anywhere.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Mapping, Sequence

from hakb import redact, textio
from hakb.engine import slot_values
from hakb.model import Artifact, Fact, FactSchema, Parser
from hakb.parsing import ArtifactResult, parse_artifact
from hakb.questions import Question, split_items, strip_collect
from hakb.sections import parse_prompt

#: Largest paste accepted (bytes of UTF-8).
MAX_PASTE = 16 * 1024 * 1024
#: Largest short answer accepted (characters).
MAX_SHORT = 4096
_TRUE = {"yes", "y", "true", "1", "on", "ja", "oui"}
_FALSE = {"no", "n", "false", "0", "off", "nein", "non"}


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says what would."""


@dataclass
class Answer:
    number: int
    question: str   # the question's id
    kind: str       # paste | ask | choice
    text: str       # redacted
    created: str
    via: str = ""   # terminal, answers file, web, command line

    @property
    def artifact(self) -> str:
        return f"{'paste' if self.kind == 'paste' else 'answer'}:{self.number}"

    def as_row(self) -> dict:
        return {"number": self.number, "question_id": self.question, "kind": self.kind,
                "text": self.text, "created": self.created, "via": self.via}

    @classmethod
    def from_row(cls, row: Mapping) -> "Answer":
        return cls(number=int(row["number"]), question=row["question_id"], kind=row["kind"],
                   text=row["text"] or "", created=row["created"] or "", via=row["via"] or "")

    def as_dict(self) -> dict:
        return {**asdict(self), "artifact": self.artifact}


def checked(question: Question, text: str) -> str:
    """The answer as it will be kept, or AnswerError saying why it does not fit."""
    if question.kind == "paste":
        if not text.strip():
            raise AnswerError("the paste is empty")
        if len(text.encode("utf-8", "replace")) > MAX_PASTE:
            raise AnswerError(f"the paste is larger than {MAX_PASTE // (1024 * 1024)} MiB")
        return text if text.endswith("\n") else text + "\n"
    text = " ".join(text.split())
    if not text:
        raise AnswerError("the answer is empty")
    if len(text) > MAX_SHORT:
        raise AnswerError(f"a short answer has at most {MAX_SHORT} characters")
    if question.kind == "choice":
        for number, choice in enumerate(question.choices, start=1):
            if text.lower() in (choice.lower(), str(number)):
                return choice
        raise AnswerError(f"answer one of: {', '.join(question.choices)}")
    return text


def _value(kind: str, text: str):
    if kind == "int":
        if not re.fullmatch(r"[+-]?\d{1,18}", text):
            raise AnswerError("give a whole number")
        return int(text)
    if kind == "float":
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise AnswerError("give a number") from None
    if kind == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise AnswerError("answer yes or no")
    if kind == "list":
        return split_items(text)
    return text


def short_fact(answer: Answer, question: Question, schemas: Mapping[str, FactSchema]) -> Fact:
    """The fact a short answer makes; AnswerError when it does not fit the slot it fills."""
    shown = f"{question.prompt()} {answer.text}" if question.id != "symptom" else f"ticket: {answer.text}"
    host = question.host or None
    target = schemas.get(question.answer_fact) if question.answer_fact else None
    if target is not None and question.answer_slot in target.slots:
        slots = {question.answer_slot: _value(target.slots[question.answer_slot], answer.text)}
        fact = Fact(target.name, slots, line=0, text=shown, host=host, artifact=answer.artifact)
    else:
        fact = Fact("triage-answer", {"question": question.id, "topic": question.topic,
                                      "answer": answer.text, "items": split_items(answer.text)},
                    line=0, text=shown, host=host, artifact=answer.artifact)
    try:
        slot_values(schemas[fact.type], fact, 0)
    except (ValueError, TypeError) as exc:
        raise AnswerError(str(exc)) from exc
    return fact


def _file_name(question: Question) -> str:
    """A file name after the command asked for (``systeminfo.txt``): some parsers also look at
    the name, as they would for a collected file."""
    words = strip_collect(question.collect).strip("`").split()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "", words[0].rsplit("/", 1)[-1]) if words else ""
    return f"{stem or 'paste'}.txt"


def _needs_command(text: str, command: str) -> bool:
    """Whether the paste lacks the command line that alone says what it is about: a command
    naming a path (``vmkfstools -D FILE``, ``ls -lh FOLDER``) whose line was not pasted."""
    words = command.split()
    if len(words) < 2 or not any("/" in w or "\\" in w for w in words[1:]):
        return False
    program = words[0].rsplit("/", 1)[-1].lower()
    for line in text.splitlines():
        if line.strip():
            return program not in line.lower() and parse_prompt(line.strip()) is None
    return False


def paste_result(answer: Answer, question: Question, parsers: Sequence[Parser],
                 schemas: Mapping[str, FactSchema], workdir: Path) -> ArtifactResult:
    """Read a pasted output through the parsers, as the artifact ``paste:N``."""
    folder = workdir / str(answer.number)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _file_name(question)
    text, shift = answer.text, 0
    if _needs_command(text, question.command):
        text, shift = f"{question.command}\n{text}", 1
    path.write_text(text, encoding="utf-8")
    artifact = Artifact(name=answer.artifact, path=path, host=question.host or None,
                        size=path.stat().st_size)
    result = parse_artifact(artifact, parsers, schemas)
    if shift:
        result.facts = [dataclasses.replace(f, line=max(0, f.line - shift)) for f in result.facts]
    return result


def answer_result(answer: Answer, question: Question, parsers: Sequence[Parser],
                  schemas: Mapping[str, FactSchema], workdir: Path) -> ArtifactResult:
    """What one answer contributes to the case: an artifact with its facts."""
    if answer.kind == "paste":
        return paste_result(answer, question, parsers, schemas, workdir)
    artifact = Artifact(name=answer.artifact, path=Path(answer.artifact), host=question.host or None,
                        size=len(answer.text))
    try:
        fact = short_fact(answer, question, schemas)
    except AnswerError as exc:
        return ArtifactResult(artifact, "error", parser="triage answer", message=str(exc))
    return ArtifactResult(artifact, "parsed", parser="triage answer", facts=[fact])


def new_answer(number: int, question: Question, text: str, created: str, via: str) -> Answer:
    """An answer checked against its question and redacted; AnswerError when it does not fit."""
    kept = checked(question, text)
    kept = redact.redact_text(kept)
    if question.kind != "paste":
        kept = textio.clean_line(kept)
    return Answer(number=number, question=question.id, kind=question.kind, text=kept,
                  created=created, via=via)
