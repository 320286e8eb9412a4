"""Running parsers over artifacts: sections, the parser (or object shapes) for each, containment.

An artifact is first split into sections at shell prompts (:mod:`hakb.sections`): a transcript
holding ``Get-ExchangeServer``, ``Get-FederationTrust`` and ``Get-ExchangeCertificate`` is three
sections. Each section goes to what reads it best:

* **object parsers** (built from :class:`hakb.shapes.Shape`): the core reads the section's
  records once (:mod:`hakb.reading`) and offers every record to every object parser, so the
  records of one section may feed several plugins;
* otherwise the **line parser** whose ``recognise`` scores highest.

**Embedded parsers** also read sections others took, where their signatures occur (a lock dump
inside vmkernel.log); a streamed log is scanned once for its line parser and its embedded
parsers together (:class:`_Shared`). A parser that fails marks only its own section ``error``
with the message; nothing else is affected. Facts are checked against their schemas here, so the engine only ever
sees well-formed facts, and redacted here (:mod:`hakb.redact`), so no parser has to care about
secrets. An artifact yields at most :data:`MAX_FACTS` facts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Iterable, Iterator, Mapping, Sequence

from hakb import redact, textio
from hakb.engine import slot_values
from hakb.model import Artifact, Fact, FactSchema, Head, ParseError, Parser
from hakb.reading import read_records
from hakb.hosts import is_host_name, short_name
from hakb.sections import Section, command_matches, command_segments, find_sections, transcript_header
from hakb.shapes import HEAD_RECORDS, claim, convert

#: Facts kept of one artifact; parsing stops there and the artifact says so.
MAX_FACTS = 250_000
#: Artifacts up to this size are split into sections (read into memory once); larger ones
#: (logs) are one section, streamed.
SECTION_SCAN_BYTES = 8 * 1024 * 1024
#: Sections of one artifact listed one by one in the report; the rest are summed up.
MAX_SECTIONS = 2000
#: The core's own name where it reads something itself (transcript headers).
CORE = "hakb"
#: A line parser with signatures reads only the lines they select (:func:`hakb.textio.scan_lines`);
#: False gives it every line (tests compare the two readings).
SCANNING = True


def selection(parser: Parser) -> textio.Selection | None:
    """The lines ``parser`` asks for, or None for every line."""
    if not parser.signatures:
        return None
    return textio.Selection(tuple(parser.signatures) + redact.KEY_MARKERS, before=parser.context_before,
                            after=parser.context, continuation=parser.continuation)


#: Lines of a streamed log kept for its embedded parsers while its line parser reads them; past
#: this, the embedded parsers scan the file again instead.
MAX_SHARED_LINES = 500_000


def union(selections: Sequence[textio.Selection]) -> textio.Selection:
    """One selection giving every line each of ``selections`` gives (and maybe a few more)."""
    continuations = [s.continuation for s in selections if s.continuation]
    return textio.Selection(tuple(dict.fromkeys(sig for s in selections for sig in s.signatures)),
                            before=max(s.before for s in selections), after=max(s.after for s in selections),
                            continuation="|".join(f"(?:{c})" for c in continuations))


class _Shared:
    """The lines one scan of a streamed log selects for its line parser and its embedded parsers
    together, kept (up to :data:`MAX_SHARED_LINES`) for the embedded parsers as the line parser
    reads them: one pass over the file instead of one per parser. Every parser is given a
    superset of the lines it asks for, which its signatures' contract allows."""

    def __init__(self, lines: Iterator[tuple[int, str]]) -> None:
        self.source = lines
        self.kept: list[tuple[int, str]] | None = []
        self.done = False

    def __iter__(self) -> Iterator[tuple[int, str]]:
        for item in self.source:
            if self.kept is not None:
                self.kept.append(item)
                if len(self.kept) > MAX_SHARED_LINES:
                    self.kept = None
            yield item
        self.done = True

    def lines(self) -> list[tuple[int, str]] | None:
        """The kept lines, or None when they are not all there (too many, or not read to the end)."""
        return self.kept if self.done else None


@dataclass
class SectionResult:
    """What became of one section: who read it, and how it went."""

    start: int
    end: int
    command: str
    status: str  # parsed | skipped | error
    parsers: list[str] = field(default_factory=list)
    message: str | None = None
    facts: int = 0

    def as_dict(self) -> dict:
        return {"lines": [self.start, self.end], "command": self.command or None,
                "parser": ", ".join(self.parsers) or None, "status": self.status,
                "facts": self.facts, "message": self.message}


@dataclass
class ArtifactResult:
    artifact: Artifact
    status: str  # parsed | skipped | error
    parser: str | None = None
    message: str | None = None
    facts: list[Fact] = field(default_factory=list)
    encoding: str | None = None
    sections: list[SectionResult] = field(default_factory=list)
    #: A limit stopped the reading (facts per artifact, sections per file): the diagnosis is
    #: incomplete even though what was read is fine.
    limited: bool = False

    def as_dict(self) -> dict:
        result = {"path": self.artifact.name, "parser": self.parser, "facts": len(self.facts),
                  "status": self.status, "message": self.message, "host": self.artifact.host}
        if len(self.sections) > 1 or any(s.command for s in self.sections):
            result["sections"] = [s.as_dict() for s in self.sections]
        return result


def _printable(value):
    """Slot text without control characters or escape sequences (line breaks of a multi-line
    value stay): a value from a certificate or a binary file must not repaint the terminal."""
    if isinstance(value, str):
        return "\n".join(textio.clean_line(part) for part in value.split("\n"))
    if isinstance(value, (list, tuple)):
        return [_printable(v) for v in value]
    return value


def choose_parser(head: Head, parsers: Sequence[Parser]) -> tuple[Parser | None, list[str]]:
    """The line parser scoring highest on ``head`` (first by name on a tie), and recogniser failures."""
    best, best_score, problems = None, 0, []
    for parser, score, problem in _scores(head, parsers):
        if problem:
            problems.append(problem)
        elif score > best_score:
            best, best_score = parser, score
    return best, problems


def _scores(head: Head, parsers: Sequence[Parser]):
    for parser in parsers:
        try:
            yield parser, int(parser.recognise(head) or 0), None
        except Exception as exc:  # a broken recogniser only loses its claim
            yield parser, 0, f"parser {parser.name} failed to recognise: {type(exc).__name__}: {exc}"


class _Facts:
    """Checked facts of one artifact, with the budget of :data:`MAX_FACTS`."""

    def __init__(self, artifact: Artifact, schemas: Mapping[str, FactSchema]) -> None:
        self.artifact = artifact
        self.schemas = schemas
        self.facts: list[Fact] = []
        self.full = False

    def add(self, fact: object, host: str | None, parser: str = "") -> None:
        """Check and keep one fact; raises ParseError naming the line (and ``parser``, which
        made it) when it does not fit."""
        by = f"parser {parser}: " if parser else ""
        if not isinstance(fact, Fact):
            raise ParseError(f"yielded {type(fact).__name__}, not a Fact")
        if not isinstance(fact.slots, Mapping):
            raise ParseError(f"line {fact.line}: slots must be a mapping")
        fact = dataclasses.replace(
            fact, artifact=self.artifact.name, host=_printable(fact.host) or host or None,
            text=textio.clean_line(redact.redact_text(str(fact.text or ""))),
            slots={k: _printable(v) for k, v in redact.redact_slots(fact.slots).items()})
        schema = self.schemas.get(fact.type)
        if schema is None:
            raise ParseError(f"{by}produced fact type {fact.type!r}, which no plugin declares")
        try:
            slot_values(schema, fact, 0)
        except (ValueError, TypeError, OverflowError) as exc:
            raise ParseError(f"{by}line {fact.line}: {exc}") from exc
        if len(self.facts) >= MAX_FACTS:
            self.full = True
            return
        self.facts.append(fact)


def _contained(run, kept: "_Facts | None" = None) -> tuple[str, str | None]:
    """Run ``run()``; a parser's failure becomes (status, message) for its section only, and
    the facts it made before failing are dropped (half a reading could mislead the rules)."""
    mark = len(kept.facts) if kept is not None else 0
    try:
        run()
        return "parsed", None
    except ParseError as exc:
        outcome = "error", redact.redact_text(str(exc) or "ParseError")
    except RecursionError:
        outcome = "error", "parser failed: RecursionError"
    except Exception as exc:  # a parser bug must not end the diagnosis
        outcome = "error", redact.redact_text(f"parser failed: {type(exc).__name__}: {exc}"[:2000])
    if kept is not None:
        del kept.facts[mark:]
    return outcome


class _Reader:
    """Reads one text artifact section by section (see the module docstring)."""

    def __init__(self, artifact: Artifact, parsers: Sequence[Parser],
                 schemas: Mapping[str, FactSchema], encoding: str) -> None:
        self.artifact = artifact
        self.schemas = schemas
        self.encoding = encoding
        self.line_parsers = [p for p in parsers if not p.shapes]
        self.object_parsers = [p for p in parsers if p.shapes]
        self.embedded = [p for p in parsers if p.embedded and p.signatures]
        self.kept = _Facts(artifact, schemas)
        self.sections: list[SectionResult] = []
        self.problems: list[str] = []
        self.too_many_sections = False

    # -- the whole artifact --------------------------------------------------------------------

    def read(self, head: Head) -> ArtifactResult:
        if self.artifact.size <= SECTION_SCAN_BYTES:
            lines = list(redact.PemFilter(textio.iter_lines(self.artifact.path)))
            sections = find_sections(lines) or [Section(1, len(lines))]
            whole = len(sections) == 1 and not sections[0].command and not sections[0].header
            for section in sections[:MAX_SECTIONS]:
                part = lines[section.start - 1:section.end]
                self._section(section, part, head if whole else self._head(head, section, part))
            if len(sections) > MAX_SECTIONS:
                self.too_many_sections = True
                rest = sections[MAX_SECTIONS:]
                self.problems.append(f"{len(rest)} more sections (lines {rest[0].start}-{rest[-1].end}) "
                                     "were not read: too many sections in one file")
        else:
            section = Section(1, 0)
            self._section(section, None, head)
        return self._result()

    def _result(self) -> ArtifactResult:
        parsers = list(dict.fromkeys(p for s in self.sections for p in s.parsers))
        statuses = {s.status for s in self.sections}
        if "error" in statuses:
            status = "error"
        elif "parsed" in statuses:
            status = "parsed"
        else:
            status = "skipped"
        messages = list(self.problems)
        if self.kept.full:
            messages.append(f"stopped after {MAX_FACTS} facts; the rest of the file was not read")
        # The artifact's message names what went wrong; sections merely not read are listed in
        # ``sections`` (and shown with the skipped artifacts), not here.
        described = [s for s in self.sections if s.message and (s.status == "error" or status == "skipped")]
        if len(self.sections) == 1 and described:
            messages.insert(0, described[0].message)
        elif described:
            messages.insert(0, "; ".join(f"lines {s.start}-{s.end}"
                                         f"{' (' + s.command + ')' if s.command else ''}: {s.message}"
                                         for s in described[:5])
                            + (f"; and {len(described) - 5} more" if len(described) > 5 else ""))
        return ArtifactResult(self.artifact, status, parser=", ".join(parsers) or None,
                              message="; ".join(messages) or None, facts=self.kept.facts,
                              encoding=self.encoding, sections=self.sections,
                              limited=self.kept.full or self.too_many_sections)

    @staticmethod
    def _head(whole: Head, section: Section, part: list[tuple[int, str]]) -> Head:
        """The head of one section, for recognisers: its first 64 KiB, and its command."""
        text, size = [], 0
        for _, line in part:
            size += len(line) + 1
            if size > textio.HEAD_BYTES:
                break
            text.append(line)
        joined = "\n".join(text)
        return Head(name=whole.name, text=joined, data=joined.encode("utf-8", "replace"),
                    command=section.command)

    # -- one section ---------------------------------------------------------------------------

    def _section(self, section: Section, part: list[tuple[int, str]] | None, head: Head) -> None:
        # A command that printed nothing is read only by a parser that wants it (an empty
        # switch list proves there is none); ``exit`` or ``clear`` is no skipped text.
        quiet = part is not None and bool(section.command) and not any(t.strip() for _, t in part[1:])
        result = SectionResult(section.start, section.end, section.command, "skipped")
        self.sections.append(result)
        before = len(self.kept.facts)
        host = section.host if section.host and short_name(section.host) != "localhost" else None
        artifact = dataclasses.replace(self.artifact, section=section)
        if section.header:
            result.status, result.message = _contained(lambda: self._header(part or [], host), self.kept)
            result.parsers = [CORE]
        elif part is not None and _names_the_host(section, part):
            result.status, result.message = _contained(lambda: self._hostname(section, part), self.kept)
            result.parsers = [CORE]
        else:
            mode, chosen, problems, unreadable = self._choose(head, section)
            self.problems.extend(problems)
            shared: _Shared | None = None
            if mode == "objects":
                result.status, result.message = _contained(
                    lambda: self._objects(self._lines(part), section, chosen, host, result), self.kept)
                if result.status == "parsed" and len(self.kept.facts) == before:
                    result.status, result.message = "skipped", "none of its records is of a kind a parser maps"
            elif mode == "lines":
                parser = chosen[0]
                result.parsers = [parser.name]
                # a binary-capable parser (certificates) reads a text artifact's bytes too
                chosen_lines = selection(parser) if SCANNING and not parser.embedded else None
                others = [selection(p) for p in self.embedded if p.name != parser.name]
                if part is None and chosen_lines is not None and others and not parser.binary:
                    shared = _Shared(self._lines(part, union([chosen_lines] + others)))
                    stream = iter(shared)
                else:
                    stream = (textio.iter_chunks(self.artifact.path) if parser.binary
                              else self._lines(part, chosen_lines))
                result.status, result.message = _contained(
                    lambda: self._take(parser.parse(stream, artifact), host, parser.name), self.kept)
            elif unreadable:  # a JSON, CSV or XML document that is damaged (cut short)
                result.status, result.message = "error", f"the output cannot be read: {unreadable}"
            else:
                result.message = ("no parser recognised it" if not section.command
                                  else f"no parser reads the output of {section.command!r}")
            taken = set(result.parsers)
            result.facts = len(self.kept.facts) - before  # an embedded parser is named for its own facts only
            for parser in self.embedded:
                if parser.name in taken:
                    continue
                kept = shared.lines() if shared is not None else None
                lines = iter(kept) if kept is not None else self._embedded_lines(parser, part)
                status, message = _contained(
                    lambda p=parser, lines=lines: self._take(p.parse(lines, artifact), host), self.kept)
                if status == "error":
                    result.status, result.message = "error", f"{parser.name}: {message}"
                    result.parsers.append(parser.name)
                elif len(self.kept.facts) > before + result.facts and parser.name not in result.parsers:
                    result.parsers.append(parser.name)
                    if result.status == "skipped":
                        result.status, result.message = "parsed", None
                result.facts = len(self.kept.facts) - before
        result.facts = len(self.kept.facts) - before
        if quiet and result.status == "skipped":
            self.sections.remove(result)
            return
        if result.status != "error" and not result.facts and not quiet \
                and self._command_known(section.command):
            result.status = "error"
            result.message = (f"line {section.start}: the output of {section.command!r} could not "
                              "be read (no record in it has the properties its reader needs)")

    def _choose(self, head: Head, section: Section) -> tuple[str, list[Parser], list[str], str]:
        """('objects', parsers) or ('lines', [parser]) or ('', []), recogniser failures, and what
        a structured reader said of a document it could not read (none: "")."""
        line_best, line_score, problems, unreadable = None, 0, [], ""
        for parser, score, problem in _scores(head, self.line_parsers):
            if problem:
                problems.append(problem)
            elif score > line_score:
                line_best, line_score = parser, score
        object_score, claimants = 0, []
        if self.object_parsers:
            try:
                records = list(islice(read_records(enumerate(head.text.splitlines(), section.start),
                                                   section.command), HEAD_RECORDS))
            except Exception as exc:  # a reader that cannot make sense of it: no objects here
                if isinstance(exc, ValueError):
                    unreadable = str(exc)
                else:
                    problems.append(f"objects of lines {section.start}-{section.end} could not be read: "
                                    f"{type(exc).__name__}: {exc}")
                records = []
            for parser in self.object_parsers:
                score = claim(records, section.command, parser.shapes)
                if score:
                    claimants.append(parser)
                    object_score = max(object_score, score)
        if claimants and object_score >= line_score:
            return "objects", self.object_parsers, problems, ""
        if line_best is not None:
            return "lines", [line_best], problems, ""
        return "", [], problems, unreadable

    def _command_known(self, command: str) -> bool:
        return any(s.runs(command) for p in self.object_parsers for s in p.shapes)

    def _lines(self, part: list[tuple[int, str]] | None,
               chosen: textio.Selection | None = None) -> Iterator[tuple[int, str]]:
        """The section's lines: all of them, or those ``chosen`` selects (a section in memory
        is filtered; a streamed one is scanned, so unselected lines are never decoded)."""
        if part is not None:
            return iter(part) if chosen is None else textio.select_lines(part, chosen)
        if chosen is None:
            return redact.PemFilter(textio.iter_lines(self.artifact.path))
        return redact.PemFilter(textio.scan_lines(self.artifact.path, chosen))

    def _embedded_lines(self, parser: Parser, part: list[tuple[int, str]] | None) -> Iterator[tuple[int, str]]:
        """The lines holding one of ``parser``'s signatures, with their context."""
        chosen = selection(parser)
        if SCANNING:
            return self._lines(part, chosen)
        return textio.select_lines(self._lines(part), chosen)

    def _take(self, facts: Iterable[Fact], host: str | None, parser: str = "") -> None:
        for fact in facts:
            self.kept.add(fact, host, parser)
            if self.kept.full:
                return

    def _objects(self, lines: Iterator[tuple[int, str]], section: Section, parsers: Sequence[Parser],
                 host: str | None, result: SectionResult) -> None:
        """Every record of the section, offered to every object parser (first fitting shape each)."""
        for record in _records(lines, section.command):
            for parser in parsers:
                before = len(self.kept.facts)
                self._take(convert(record, parser.shapes), host, parser.name)
                if len(self.kept.facts) > before and parser.name not in result.parsers:
                    result.parsers.append(parser.name)
            if self.kept.full:
                break

    def _hostname(self, section: Section, part: list[tuple[int, str]]) -> None:
        number, text = next((n, t) for n, t in part[1:] if t.strip())
        self.kept.add(Fact("host-name", {"name": text.strip(), "source": section.command},
                           line=number, text=text), text.strip())

    def _header(self, part: list[tuple[int, str]], host: str | None) -> None:
        """A PowerShell transcript header: when the output was taken, and on which machine."""
        header = transcript_header(part)
        if header is None:
            return
        if header.start_time:
            try:
                moment = datetime.strptime(header.start_time, "%Y%m%d%H%M%S")
            except ValueError:
                moment = None
            if moment is not None:
                from hakb.formats import epoch
                text = next(t for n, t in part if n == header.start_line)
                self.kept.add(Fact("collection-time", {"epoch": epoch(moment),
                                                       "source": "PowerShell transcript start time"},
                                   line=header.start_line, text=text), host)
        if header.machine:
            text = next(t for n, t in part if n == header.machine_line)
            self.kept.add(Fact("host-name", {"name": header.machine, "source": "PowerShell transcript"},
                               line=header.machine_line, text=text), header.machine)


def _records(lines: Iterator[tuple[int, str]], command: str) -> Iterator:
    """The section's records; what the reading layer cannot read is a ParseError naming the line."""
    try:
        yield from read_records(lines, command)
    except ValueError as exc:
        raise ParseError(str(exc)) from None


def _names_the_host(section: Section, part: list[tuple[int, str]]) -> bool:
    """True for ``hostname`` (or ``uname -n``) and the one name it printed."""
    if not (command_matches(section.command, "hostname") or command_matches(section.command, "uname -n")):
        return False
    if any(word.startswith("-") and word not in ("-s", "-f", "-n") for seg in command_segments(section.command)
           for word in seg[1:]):
        return False
    output = [t.strip() for _, t in part[1:] if t.strip()]
    return len(output) == 1 and is_host_name(output[0])


def parse_artifact(artifact: Artifact, parsers: Sequence[Parser],
                   schemas: Mapping[str, FactSchema]) -> ArtifactResult:
    """Read one artifact with ``parsers``; never raises for what the artifact contains."""
    try:
        text, encoding, binary, data = textio.head_text(artifact.path)
    except OSError as exc:
        return ArtifactResult(artifact, "error", message=f"cannot read: {exc.strerror or exc}")
    if not data:
        return ArtifactResult(artifact, "skipped", message="empty", encoding=encoding)
    head = Head(name=artifact.path.name if artifact.name != "<stdin>" else "stdin", text=text,
                data=data, binary=binary)
    if binary:
        return _binary(artifact, head, [p for p in parsers if p.binary], schemas, encoding)
    return _Reader(artifact, parsers, schemas, encoding).read(head)


def _binary(artifact: Artifact, head: Head, parsers: Sequence[Parser],
            schemas: Mapping[str, FactSchema], encoding: str) -> ArtifactResult:
    parser, problems = choose_parser(head, parsers)
    if parser is None:
        message = "binary data, not text" + (f" ({'; '.join(problems)})" if problems else "")
        return ArtifactResult(artifact, "skipped", message=message, encoding=encoding)
    kept = _Facts(artifact, schemas)

    def run() -> None:
        for fact in parser.parse(textio.iter_chunks(artifact.path), artifact):
            kept.add(fact, None, parser.name)
            if kept.full:
                return

    status, message = _contained(run, kept)
    if kept.full:
        message = f"stopped after {MAX_FACTS} facts; the rest of the file was not read"
    return ArtifactResult(artifact, status, parser=parser.name, message=message,
                          facts=kept.facts if status == "parsed" else [], encoding=encoding,
                          limited=kept.full)
