"""The plain data that flows through a diagnosis: artifacts, facts, and what plugins declare.

Everything here is a frozen dataclass with no behaviour beyond validation, so parsers stay pure
functions (lines in, facts out) and results can cross a process boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

#: Names usable as CLIPS template and slot names: letters, digits, '-' and '_', starting with a letter.
IDENTIFIER = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")

#: Slots every fact template carries, filled by the core, never by a parser.
PROVENANCE_SLOTS = ("fid", "host", "artifact", "line")

#: Slot types a schema may use, and the Python values they accept.
SLOT_TYPES = ("str", "int", "float", "bool", "list")


class ParseError(Exception):
    """Raised by a parser for input it recognised but cannot make sense of.

    The artifact is then reported with status "error" and this message; other artifacts go on.
    """


@dataclass(frozen=True)
class Artifact:
    """One collected file as the core sees it.

    ``name`` is what the user reads in evidence (a path relative to what they passed, or
    ``bundle.tgz:member``); ``path`` is where the bytes are on disk now (maybe a temp folder).
    """

    name: str
    path: Path
    host: str | None = None
    size: int = 0
    #: The :class:`hakb.sections.Section` a parser is reading (its command, the prompt's host),
    #: or None when the artifact is read whole.
    section: Any = None


@dataclass(frozen=True)
class Head:
    """The beginning of an artifact, for parsers to recognise it by content.

    ``text`` is the decoded first part of the file or section (64 KiB at most), ``name`` the file's
    base name, ``data`` the same first part as raw bytes (for binary formats such as DER
    certificates), ``binary`` whether the core judged the artifact binary, and ``command`` the
    command line of the section when it came after a shell prompt ("" otherwise).
    """

    name: str
    text: str
    data: bytes = b""
    binary: bool = False
    command: str = ""

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


@dataclass(frozen=True)
class Fact:
    """A typed observation with provenance: which artifact, which line, the line's text.

    Parsers fill ``type``, ``slots``, ``line`` and ``text``; the core fills ``artifact`` and,
    unless the parser knows better, ``host``.
    """

    type: str
    slots: Mapping[str, Any] = field(default_factory=dict)
    line: int = 0
    text: str = ""
    host: str | None = None
    artifact: str | None = None


@dataclass(frozen=True)
class FactSchema:
    """The shape of one fact type; the engine builds a CLIPS template from it.

    ``slots`` maps slot name to one of ``str``, ``int``, ``float``, ``bool`` or ``list``
    (a multislot of strings and numbers). A missing ``str`` is "", a missing number or bool
    is the symbol ``nil`` so rules can tell "unknown" from zero.
    """

    name: str
    slots: Mapping[str, str]
    doc: str = ""

    def __post_init__(self) -> None:
        if not IDENTIFIER.match(self.name) or self.name.startswith("hakb-"):
            raise ValueError(f"fact schema name {self.name!r} is not a valid identifier")
        for slot, kind in self.slots.items():
            if not IDENTIFIER.match(slot):
                raise ValueError(f"{self.name}: slot name {slot!r} is not a valid identifier")
            if slot in PROVENANCE_SLOTS:
                raise ValueError(f"{self.name}: slot {slot!r} is reserved for provenance")
            if kind not in SLOT_TYPES:
                raise ValueError(f"{self.name}.{slot}: type {kind!r} is not one of {SLOT_TYPES}")


#: Fact types the core itself declares; any parser may produce them.
CORE_SCHEMAS = {
    "collection-time": FactSchema("collection-time", {"epoch": "int", "source": "str"},
                                  "When an artifact was collected (Unix time); the latest one is "
                                  "the case's as-of time unless --as-of is given."),
    "triage-answer": FactSchema("triage-answer", {"question": "str", "topic": "str", "answer": "str",
                                                  "items": "list"},
                                "What a person answered in hakb triage: question is the question's "
                                "id, topic what the asking rule named (the hakb-unverified topic; "
                                "'symptom' for the ticket's words), answer the text as given, items "
                                "its words split at commas, semicolons and spaces."),
    "host-name": FactSchema("host-name", {"name": "str", "source": "str"},
                            "The machine an artifact was collected on, as the artifact itself says "
                            "(hostname, systeminfo's Host Name, a transcript's Machine line); "
                            "the artifact's other facts are about that host."),
}


Recogniser = Callable[[Head], int]
ParseFunction = Callable[[Iterable[Any], Artifact], Iterator[Fact]]


@dataclass(frozen=True)
class Parser:
    """Turns one kind of artifact into facts.

    ``recognise(head)`` returns 0 when the artifact is not this parser's, otherwise a score
    (10: the file name fits; 50: the content has the format's signature; 100: unmistakable).
    The highest score wins. ``parse(lines, artifact)`` receives ``(line_number, text)`` pairs,
    streamed and decoded, and yields facts. It reads nothing else and keeps no state between calls.

    A parser with ``binary=True`` is also offered artifacts that are not text, and its ``parse``
    receives the artifact's bytes as a stream of chunks instead of lines; its facts use line 0.

    A parser built from object ``shapes`` (:func:`hakb.shapes.object_parser`) maps records, not
    lines: the core reads a section's objects once (:mod:`hakb.reading`) and hands each record to
    every such parser whose shapes it fits, so one transcript feeds several plugins.

    A parser that declares ``signatures`` (literal text, ASCII letters in any case) says which
    lines it can make facts of: when it reads a log, the core gives it only the lines holding
    one, with ``context_before`` lines before and ``context`` lines after each; with
    ``continuation`` (a regular expression matching a line that continues the one before, like
    hostd's ``-->``) each such line comes with its whole record instead, ``context_before``
    bounding how far back the record's first line may be (see :class:`hakb.textio.Selection`).
    A big log is then read at close to the speed of the disk. Its ``parse`` must accept gaps in
    the line numbers, and the signatures must cover every line whose absence could change a fact.

    A parser with ``embedded=True`` also reads sections other parsers took, where its
    signatures occur (a lock dump inside vmkernel.log), in the same way.
    """

    name: str
    recognise: Recogniser
    parse: ParseFunction
    description: str = ""
    binary: bool = False
    shapes: tuple = ()
    signatures: tuple[str, ...] = ()
    context: int = 0
    embedded: bool = False
    context_before: int = 0
    continuation: str = ""


@dataclass(frozen=True)
class KnowledgePack:
    """A folder of faults: for each, ``<fault>.clp`` (rules) beside ``<fault>.md`` (the article)."""

    name: str
    path: Path
    description: str = ""
    #: Filled by the core, never by a plugin: the distribution that offered the pack (or the
    #: plugin, when it was registered directly). Packs of one source share a rule environment.
    source: str = ""
