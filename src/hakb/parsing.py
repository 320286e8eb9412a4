"""Running parsers over artifacts: pick the parser by content, stream lines, contain failures.

A parser that raises marks its artifact ``error`` with the message; nothing else is affected.
Facts are checked against their schemas here, so the engine only ever sees well-formed facts,
and redacted here (:mod:`hakb.redact`), so no parser has to care about secrets: private key
bodies never reach a parser, and passwords, tokens and auth headers leave no fact, evidence
line or message. An artifact yields at most :data:`MAX_FACTS` facts, so a hostile file cannot
exhaust memory through a parser.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from hakb import redact, textio
from hakb.engine import slot_values
from hakb.model import Artifact, Fact, FactSchema, Head, ParseError, Parser

#: Facts kept of one artifact; parsing stops there and the artifact says so.
MAX_FACTS = 250_000


@dataclass
class ArtifactResult:
    artifact: Artifact
    status: str  # parsed | skipped | error
    parser: str | None = None
    message: str | None = None
    facts: list[Fact] = field(default_factory=list)
    encoding: str | None = None

    def as_dict(self) -> dict:
        return {"path": self.artifact.name, "parser": self.parser, "facts": len(self.facts),
                "status": self.status, "message": self.message, "host": self.artifact.host}


def _printable(value):
    """Slot text without control characters or escape sequences (line breaks of a multi-line
    value stay): a value from a certificate or a binary file must not repaint the terminal."""
    if isinstance(value, str):
        return "\n".join(textio.clean_line(part) for part in value.split("\n"))
    if isinstance(value, (list, tuple)):
        return [_printable(v) for v in value]
    return value


def choose_parser(head: Head, parsers: Sequence[Parser]) -> tuple[Parser | None, list[str]]:
    """The parser scoring highest on ``head`` (first by name on a tie), and recogniser failures."""
    best, best_score, problems = None, 0, []
    for parser in parsers:
        try:
            score = int(parser.recognise(head) or 0)
        except Exception as exc:  # a broken recogniser only loses its claim
            problems.append(f"parser {parser.name} failed to recognise: {type(exc).__name__}: {exc}")
            continue
        if score > best_score:
            best, best_score = parser, score
    return best, problems


def _claims(head: Head, chosen: Parser, candidates: Sequence[Parser]) -> list[Parser]:
    """The parsers that read an artifact: the chosen one, and when it maps object shapes, every
    other shape parser that recognises the artifact too (one file may hold many cmdlets' output)."""
    if not chosen.shapes:
        return [chosen]
    others = []
    for parser in candidates:
        if parser is chosen or not parser.shapes:
            continue
        try:
            if int(parser.recognise(head) or 0) > 0:
                others.append(parser)
        except Exception:
            continue
    return [chosen, *others]


def _run(parser: Parser, artifact: Artifact, schemas: Mapping[str, FactSchema],
         facts: list[Fact]) -> tuple[str, str | None]:
    """Run one parser over the artifact, appending checked facts; (status, message)."""
    stream = (textio.iter_chunks(artifact.path) if parser.binary
              else redact.PemFilter(textio.iter_lines(artifact.path)))
    message = None
    try:
        for fact in parser.parse(stream, artifact):
            if not isinstance(fact, Fact):
                raise ParseError(f"yielded {type(fact).__name__}, not a Fact")
            if len(facts) >= MAX_FACTS:
                message = f"stopped after {MAX_FACTS} facts; the rest of the file was not read"
                break
            if not isinstance(fact.slots, Mapping):
                raise ParseError(f"line {fact.line}: slots must be a mapping")
            fact = dataclasses.replace(
                fact, artifact=artifact.name, host=_printable(fact.host) or artifact.host,
                text=textio.clean_line(redact.redact_text(str(fact.text or ""))),
                slots={k: _printable(v) for k, v in redact.redact_slots(fact.slots).items()})
            schema = schemas.get(fact.type)
            if schema is None:
                raise ParseError(f"produced fact type {fact.type!r}, which no plugin declares")
            try:
                slot_values(schema, fact, 0)
            except (ValueError, TypeError) as exc:
                raise ParseError(f"line {fact.line}: {exc}") from exc
            facts.append(fact)
    except ParseError as exc:
        return "error", redact.redact_text(str(exc) or "ParseError")
    except RecursionError:
        return "error", "parser failed: RecursionError"
    except Exception as exc:  # a parser bug must not end the diagnosis
        return "error", redact.redact_text(f"parser failed: {type(exc).__name__}: {exc}"[:2000])
    return "parsed", message


def parse_artifact(artifact: Artifact, parsers: Sequence[Parser],
                   schemas: Mapping[str, FactSchema]) -> ArtifactResult:
    try:
        text, encoding, binary, data = textio.head_text(artifact.path)
    except OSError as exc:
        return ArtifactResult(artifact, "error", message=f"cannot read: {exc.strerror or exc}")
    if not data:
        return ArtifactResult(artifact, "skipped", message="empty", encoding=encoding)
    head = Head(name=artifact.path.name if artifact.name != "<stdin>" else "stdin", text=text,
                data=data, binary=binary)
    candidates = [p for p in parsers if p.binary] if binary else parsers
    parser, problems = choose_parser(head, candidates)
    if parser is None:
        message = ("binary data, not text" if binary else "no parser recognised it")
        message += f" ({'; '.join(problems)})" if problems else ""
        return ArtifactResult(artifact, "skipped", message=message, encoding=encoding)
    facts: list[Fact] = []
    names, messages, status = [], [], "parsed"
    for claimant in _claims(head, parser, candidates):
        kept = len(facts)
        outcome, message = _run(claimant, artifact, schemas, facts)
        if outcome == "error":
            del facts[kept:]
            status = "error" if claimant is parser else status
            messages.append(message if claimant is parser else f"{claimant.name}: {message}")
        elif message:
            messages.append(message)
        names.append(claimant.name)
    return ArtifactResult(artifact, status, parser=", ".join(names), facts=facts if status == "parsed" else [],
                          encoding=encoding, message="; ".join(messages) or None)
