"""The inference engine: one CLIPS environment per diagnosis, built from schemas, packs and facts.

Safety properties this module guarantees:

* Facts enter through clipspy's fact API (``Template.assert_fact``), never as formatted source,
  so no text from an artifact can become a construct.
* Before any pack is loaded, functions a pack must not call are removed from the environment
  (CLIPS ``RemoveUDF``, called through ctypes because clipspy has no wrapper for it); a pack that
  calls one fails to load. :mod:`hakb.knowledge` also refuses such packs before they get here.
* All CLIPS output is captured; an error printed while rules run is reported, never swallowed.

Inputs and outputs are plain data (:class:`Inference`) so a run can happen in another process:
:mod:`hakb.isolation` runs every diagnosis' rules in a worker with a deadline, so a pack that
loops or crashes CLIPS fails alone.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

import clips
from clips._clips import ffi

from hakb.model import Fact, FactSchema

#: Functions removed from every environment before packs load: they touch files, the process,
#: or let a pack build or evaluate code from strings (which could come from an artifact).
FORBIDDEN_FUNCTIONS = (
    "system", "open", "close", "remove", "rename", "chdir", "load", "load*", "batch", "batch*",
    "bload", "bsave", "save", "load-facts", "save-facts", "bload-instances", "bsave-instances",
    "load-instances", "save-instances", "restore-instances", "dribble-on", "dribble-off",
    "eval", "build", "funcall", "exit", "clear", "reset", "run", "read", "readline",
    "read-number", "get-char", "put-char", "unget-char", "flush", "rewind", "seek", "tell",
    "undefrule", "undeftemplate", "undeffacts", "undeffunction", "undefglobal", "undefgeneric",
    "undefmethod", "undefclass", "undefinstances", "undefmessage-handler",
    "set-strategy", "set-salience-evaluation", "set-dynamic-constraint-checking",
    "watch", "unwatch", "set-break", "remove-break", "apropos", "system-info",
)

#: Templates the core defines; packs assert these to report what they concluded.
CORE_CONSTRUCTS = (
    """(deftemplate hakb-finding
        "A conclusion of a rule. id names the article; key tells findings of one id apart."
        (slot id (type STRING))
        (slot key (type STRING) (default ""))
        (slot severity (type STRING) (default ""))
        (slot confidence (type FLOAT INTEGER) (default -1))
        (multislot evidence (type FACT-ADDRESS))
        (multislot vars))""",
    """(deftemplate hakb-relate
        "Two findings that tell one story, named by id and key. Relating by name, not by
         matching and re-asserting findings, keeps linking rules from triggering each other."
        (slot id (type STRING))
        (slot key (type STRING) (default ""))
        (slot other-id (type STRING))
        (slot other-key (type STRING) (default "")))""",
    """(deftemplate hakb-unverified
        "A check a rule could not decide because a fact is missing, and what to collect.
         The last slots are optional, for hakb triage: ask is a short question a person can
         answer instead of collecting (choices: the answers it accepts). The answer becomes a
         triage-answer fact with this topic or, with answer-fact and answer-slot, that slot of
         a fact of that type on host."
        (slot rule (type STRING) (default ""))
        (slot check (type STRING))
        (slot collect (type STRING) (default ""))
        (slot host (type STRING) (default ""))
        (multislot evidence (type FACT-ADDRESS))
        (slot ask (type STRING) (default ""))
        (multislot choices (type STRING))
        (slot topic (type STRING) (default ""))
        (slot answer-fact (type STRING) (default ""))
        (slot answer-slot (type STRING) (default "")))""",
    """(deftemplate hakb-case
        "The case being diagnosed. as-of is the moment time-based rules judge against (Unix time):
         --as-of when given, else the latest collection-time fact, else now."
        (slot as-of (type INTEGER))
        (slot as-of-iso (type STRING)))""",
)

#: Upper bound on rule firings in one run: a pack that keeps firing is stopped and reported.
MAX_FIRINGS = 1_000_000

_CLIPS_TYPES = {
    "str": "(type STRING) (default \"\")",
    "int": "(type INTEGER SYMBOL) (allowed-symbols nil) (default nil)",
    "float": "(type FLOAT INTEGER SYMBOL) (allowed-symbols nil) (default nil)",
    "bool": "(type SYMBOL) (allowed-symbols nil TRUE FALSE) (default nil)",
}


class EngineError(Exception):
    """The engine could not be set up (a schema or the core itself is broken)."""


@dataclass
class RawFinding:
    """A ``hakb-finding`` fact, copied out of CLIPS into plain data."""

    index: int
    id: str
    key: str
    severity: str
    confidence: float | None
    evidence: list[int]
    vars: list[tuple[str, Any]]


#: Optional slots of ``hakb-unverified`` (a question a person answers), copied into ``extra``.
UNVERIFIED_EXTRA = ("ask", "choices", "topic", "answer-fact", "answer-slot")


@dataclass
class RawUnverified:
    rule: str
    check: str
    collect: str
    host: str
    evidence: list[int]
    extra: dict[str, Any] = field(default_factory=dict)  # the UNVERIFIED_EXTRA slots that are set


@dataclass
class Inference:
    """Everything a run concluded, as plain data. ``errors`` maps pack name to its messages."""

    findings: list[RawFinding] = field(default_factory=list)
    unverified: list[RawUnverified] = field(default_factory=list)
    #: (id, key, other id, other key): findings that belong to one story
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    fired: int = 0


class _Capture(clips.Router):
    """Takes every line CLIPS prints (stdout, warnings, errors) so none reaches the terminal.

    Priority 30 sits under clipspy's own error router (40), which passes error text on to us.
    """

    OUTPUTS = ("stdout", "stderr", "stdwrn", "t")

    def __init__(self) -> None:
        super().__init__("hakb-capture", 30)
        self.errors: list[str] = []
        self.output: list[str] = []

    def query(self, name: str) -> bool:
        return name in self.OUTPUTS

    def write(self, name: str, message: str) -> None:
        (self.errors if name in ("stderr", "stdwrn") else self.output).append(message)

    def take_errors(self) -> str:
        text = "".join(self.errors).strip()
        self.errors.clear()
        return " ".join(text.split())


def _remove_forbidden(env: clips.Environment) -> None:
    library = ctypes.CDLL(clips._clips.__file__)
    remove = library.RemoveUDF
    remove.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    remove.restype = ctypes.c_bool
    pointer = int(ffi.cast("uintptr_t", env._env))
    for name in FORBIDDEN_FUNCTIONS:
        remove(pointer, name.encode())
    for name in ("system", "eval", "build", "open"):
        try:
            env.find_function(name)
        except LookupError:
            continue
        raise EngineError(f"could not remove CLIPS function {name!r}; refusing to load packs")


def template_source(schema: FactSchema) -> str:
    """The ``deftemplate`` for a schema. Names are validated identifiers, so this is safe to build."""
    slots = ["(slot fid (type INTEGER))", "(slot host (type STRING) (default \"\"))",
             "(slot artifact (type STRING) (default \"\"))", "(slot line (type INTEGER) (default 0))"]
    for name, kind in schema.slots.items():
        if kind == "list":
            slots.append(f"(multislot {name})")
        else:
            slots.append(f"(slot {name} {_CLIPS_TYPES[kind]})")
    return f"(deftemplate {schema.name} {' '.join(slots)})"


def _clean(value: Any) -> Any:
    """A Python value as CLIPS may hold it: strings without NUL, bools as symbols."""
    if isinstance(value, bool):
        return clips.Symbol("TRUE" if value else "FALSE")
    if isinstance(value, str):
        return value.replace("\x00", "")
    return value


def slot_values(schema: FactSchema, fact: Fact, fid: int) -> dict[str, Any]:
    """Checked, converted slot values for asserting ``fact``; raises ValueError on a mismatch."""
    unknown = set(fact.slots) - set(schema.slots)
    if unknown:
        raise ValueError(f"fact {fact.type!r} has slots its schema lacks: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {
        "fid": fid,
        "host": _clean(fact.host or ""),
        "artifact": _clean(fact.artifact or ""),
        "line": int(fact.line or 0),
    }
    for name, value in fact.slots.items():
        kind = schema.slots[name]
        if value is None:
            continue
        if kind == "str":
            values[name] = _clean(str(value))
        elif kind == "int":
            values[name] = int(value)
        elif kind == "float":
            values[name] = float(value)
        elif kind == "bool":
            values[name] = _clean(bool(value))
        else:
            if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
                raise ValueError(f"{fact.type}.{name} must be a list")
            values[name] = [_clean(v) if isinstance(v, (str, bool)) else v for v in value]
    return values


def _plain(value: Any) -> Any:
    """A CLIPS value as plain, picklable Python data (a fact address in vars becomes its text)."""
    if isinstance(value, (clips.Symbol, clips.InstanceName)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, float)) or value is None:
        return value
    return str(value)


class Session:
    """One diagnosis' CLIPS environment. Use :func:`infer` unless you need the steps apart."""

    def __init__(self, schemas: Mapping[str, FactSchema]) -> None:
        self.env = clips.Environment()
        self.capture = _Capture()
        self.env.add_router(self.capture)
        _remove_forbidden(self.env)
        self.schemas = dict(schemas)
        for construct in CORE_CONSTRUCTS:
            self._build(construct)
        for schema in self.schemas.values():
            self._build(template_source(schema))
        self.errors: dict[str, list[str]] = {}
        self.rule_pack: dict[str, str] = {}

    def _build(self, source: str) -> None:
        try:
            self.env.build(source)
        except clips.CLIPSError as exc:
            raise EngineError(f"CLIPS refused a core construct: {self.capture.take_errors() or exc}") from exc

    def load_rules(self, pack: str, path: Path) -> bool:
        """Load one rule file of a pack; on failure record the error under ``pack`` and return False."""
        before = {rule.name for rule in self.env.rules()}
        try:
            self.env.load(str(path))
        except clips.CLIPSError as exc:
            message = self.capture.take_errors() or str(exc) or "CLIPS could not load it"
            self.errors.setdefault(pack, []).append(f"{path.name}: {message}")
            return False
        finally:
            for rule in self.env.rules():
                if rule.name not in before:
                    self.rule_pack[rule.name] = pack
        leftover = self.capture.take_errors()
        if leftover:
            self.errors.setdefault(pack, []).append(f"{path.name}: {leftover}")
            return False
        return True

    def assert_facts(self, facts: Iterable[Fact]) -> None:
        """Assert facts; fact ``i`` of the iterable gets fid ``i``."""
        templates = {name: self.env.find_template(name) for name in self.schemas}
        for fid, fact in enumerate(facts):
            schema = self.schemas.get(fact.type)
            if schema is None:
                raise ValueError(f"fact type {fact.type!r} has no schema")
            templates[fact.type].assert_fact(**slot_values(schema, fact, fid))

    def assert_case(self, as_of: int, as_of_iso: str) -> None:
        self.env.find_template("hakb-case").assert_fact(**{"as-of": int(as_of), "as-of-iso": as_of_iso})

    def run(self, limit: int = MAX_FIRINGS) -> Inference:
        self.capture.take_errors()
        fired = self.env.run(limit)
        result = Inference(fired=fired, errors={k: list(v) for k, v in self.errors.items()})
        message = self.capture.take_errors()
        if message:
            result.errors.setdefault(self._pack_of(message), []).append(message)
        if fired >= limit:
            result.errors.setdefault("engine", []).append(
                f"rules fired {fired} times and were stopped; a rule is probably looping")
        self._collect(result)
        return result

    def _pack_of(self, message: str) -> str:
        """The pack whose rule a runtime error message names ("... defrule 'name' ...")."""
        marker = "defrule '"
        if marker in message:
            rule = message.split(marker, 1)[1].split("'", 1)[0]
            return self.rule_pack.get(rule, "engine")
        return "engine"

    def _collect(self, result: Inference) -> None:
        findings = []
        for fact in self.env.facts():
            name = fact.template.name
            if name == "hakb-finding":
                findings.append(fact)
            elif name == "hakb-relate":
                result.relations.append((_plain(fact["id"]), _plain(fact["key"]),
                                         _plain(fact["other-id"]), _plain(fact["other-key"])))
            elif name == "hakb-unverified":
                result.unverified.append(RawUnverified(
                    rule=_plain(fact["rule"]), check=_plain(fact["check"]),
                    collect=_plain(fact["collect"]), host=_plain(fact["host"]),
                    evidence=_evidence_fids(fact["evidence"]),
                    extra={name.replace("-", "_"): _plain(fact[name]) for name in UNVERIFIED_EXTRA
                           if _plain(fact[name]) not in ("", [])}))
        for position, fact in enumerate(findings):
            values = [_plain(v) for v in fact["vars"]]
            if len(values) % 2:
                result.errors.setdefault("engine", []).append(
                    f"finding {fact['id']!r}: vars must be name/value pairs, got {len(values)} items")
                values = values[:-1]
            confidence = float(fact["confidence"])
            result.findings.append(RawFinding(
                index=position, id=_plain(fact["id"]), key=_plain(fact["key"]),
                severity=_plain(fact["severity"]),
                confidence=None if confidence < 0 else confidence,
                evidence=_evidence_fids(fact["evidence"]),
                vars=[(str(values[i]), values[i + 1]) for i in range(0, len(values), 2)],
            ))


def _evidence_fids(addresses) -> list[int]:
    fids = []
    for address in addresses:
        try:
            fids.append(int(address["fid"]))
        except (KeyError, TypeError, LookupError, clips.CLIPSError):
            continue  # evidence that is not a parsed fact (a finding, a retracted fact) carries no line
    return fids


def infer(schemas: Mapping[str, FactSchema], rule_files: Iterable[tuple[str, Path]],
          facts: Iterable[Fact], as_of: datetime, limit: int = MAX_FIRINGS) -> Inference:
    """Run ``rule_files`` (pairs of pack name and .clp path, already vetted) over ``facts``."""
    session = Session(schemas)
    for pack, path in rule_files:
        session.load_rules(pack, path)
    session.assert_case(int(as_of.timestamp()), as_of.isoformat(timespec="seconds"))
    session.assert_facts(facts)
    return session.run(limit)
