"""The inference engine: hardened CLIPS environments, built from schemas, packs and facts.

This module runs only inside the knowledge worker (:mod:`hakb.isolation`); hakb's own process never
loads a pack. Safety properties it guarantees:

* **An allow-list of functions.** Every CLIPS function not in :data:`ALLOWED_FUNCTIONS` is removed
  from the environment (CLIPS ``RemoveUDF``, through ctypes: clipspy has no wrapper for it), and
  so are the constructs a diagnosis does not need (:data:`REMOVED_CONSTRUCTS`), before any pack
  loads. A function a future clipspy adds is therefore removed too; ``tests/core/test_engine.py``
  lists what is left and fails on anything not on the list. A pack that calls a removed function
  fails to load: CLIPS itself refuses it, with file and line.
* **Facts enter as data**, through clipspy's fact API (``Template.assert_fact``), never as
  formatted source, so no text from an artifact can become a construct.
* **What failed is known from the engine's state**, never from text: a load failed when CLIPS
  says so, a run failed when CLIPS halted execution or left rules unfired. Captured output only
  words the message; a pack printing something that looks like an error changes nothing.
* **Nothing defined earlier is redefined**: after each pack loads, the core templates and every
  construct an earlier pack defined must still be the same objects, or the pack is refused.

One :class:`Session` is one environment: :mod:`hakb.isolation` gives every group of packs its own,
so packs of different groups share nothing. Inputs and outputs are plain data (:class:`Inference`).
"""

from __future__ import annotations

import ctypes
import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import clips
from clips._clips import ffi, lib
from clips.values import CLIPS_VALUES

from hakb.facttypes import check_value
from hakb.model import Fact, FactSchema

#: The functions a diagnosis needs; every other function is removed before packs load.
ALLOWED_FUNCTIONS = frozenset({
    # logic and comparison (patterns, tests and rule bodies)
    "and", "or", "not", "eq", "neq", "=", "<>", "!=", ">", ">=", "<", "<=",
    # arithmetic
    "+", "-", "*", "/", "div", "mod", "abs", "min", "max", "round", "integer", "float", "**",
    "exp", "log", "log10", "sqrt", "pi",
    # type tests
    "integerp", "floatp", "numberp", "lexemep", "stringp", "symbolp", "multifieldp", "evenp",
    "oddp", "fact-addressp", "type",
    # strings and symbols
    "str-cat", "sym-cat", "str-index", "str-length", "str-byte-length", "str-compare", "sub-string",
    "upcase", "lowcase", "str-replace", "string-to-field", "gensym", "gensym*",
    # multifields
    "create$", "delete$", "delete-member$", "explode$", "first$", "implode$", "insert$",
    "length$", "member$", "nth$", "replace$", "replace-member$", "rest$", "subseq$", "subsetp",
    "union$", "intersection$", "difference$", "expand$", "sort",
    # procedural (rule bodies, deffunctions)
    "bind", "if", "while", "loop-for-count", "progn", "progn$", "foreach", "switch", "return",
    "break",
    # the pack's own facts, and reading the case's
    "assert", "retract", "modify", "duplicate", "fact-existp", "fact-index", "fact-relation",
    "fact-slot-names", "fact-slot-value", "any-factp", "find-fact", "find-all-facts",
    "do-for-fact", "do-for-all-facts", "delayed-do-for-all-facts",
    # output, which goes to hakb's capture router only (there is no way to open a file)
    "printout", "print", "println", "format",
    # CLIPS's own helpers behind the functions above (no pack can name them: they hold parentheses)
    "(get-loop-count)", "(get-progn$-index)", "(get-progn$-field)", "(expansion-call)",
    "(set-evaluation-error)", "(query-fact)", "(query-fact-slot)",
})

#: Constructs packs may not use: classes, instances and message handlers (COOL), generic
#: functions (a defmethod could overload ``>`` for every rule in the environment), modules (focus
#: tricks stop rules early) and deffacts (hakb never resets, so they would silently do nothing).
REMOVED_CONSTRUCTS = ("defclass", "definstances", "defmessage-handler", "defgeneric", "defmethod",
                      "defmodule", "deffacts")

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
    pack: str = ""  # the pack whose article ``id`` is


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
    """Everything a run concluded, as plain data.

    ``errors`` maps a pack name to its messages; the key ``""`` holds what went wrong in the
    environment as a whole (a runtime error, a forged finding), which the caller pins on a pack
    by running the packs of the environment alone.
    """

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
        target = self.errors if name in ("stderr", "stdwrn") else self.output
        if len(target) < 10_000:  # a pack printing in a loop must not fill the worker's memory
            target.append(message)

    def take_errors(self) -> str:
        text = "".join(self.errors).strip()
        self.errors.clear()
        self.output.clear()
        return " ".join(text.split())[:2000]


# -- the C API clipspy does not wrap, through ctypes ---------------------------------------------

@lru_cache(maxsize=1)
def _c() -> ctypes.CDLL:
    library = ctypes.CDLL(clips._clips.__file__)
    for name, arguments, result in (
            ("RemoveUDF", [ctypes.c_void_p, ctypes.c_char_p], ctypes.c_bool),
            ("RemoveConstruct", [ctypes.c_void_p, ctypes.c_char_p], ctypes.c_bool),
            ("FindFunction", [ctypes.c_void_p, ctypes.c_char_p], ctypes.c_void_p),
            ("FindConstruct", [ctypes.c_void_p, ctypes.c_char_p], ctypes.c_void_p),
            ("GetHaltExecution", [ctypes.c_void_p], ctypes.c_bool),
            ("GetEvaluationError", [ctypes.c_void_p], ctypes.c_bool),
            ("GetFunctionList", [ctypes.c_void_p], ctypes.c_void_p)):
        function = getattr(library, name)
        function.argtypes, function.restype = arguments, result
    return library


def _pointer(env: clips.Environment) -> int:
    return int(ffi.cast("uintptr_t", env._env))


class _FunctionDefinition(ctypes.Structure):
    """The head of CLIPS 6.4's ``struct functionDefinition`` (extnfunc.h), up to ``next``."""


_FunctionDefinition._fields_ = [
    ("callFunctionName", ctypes.c_void_p), ("actualFunctionName", ctypes.c_char_p),
    ("unknownReturnValueType", ctypes.c_uint), ("functionPointer", ctypes.c_void_p),
    ("parser", ctypes.c_void_p), ("restrictions", ctypes.c_void_p),
    ("minArgs", ctypes.c_ushort), ("maxArgs", ctypes.c_ushort), ("overloadable", ctypes.c_bool),
    ("sequenceuseok", ctypes.c_bool), ("neededFunction", ctypes.c_bool),
    ("bsaveIndex", ctypes.c_ulong), ("next", ctypes.POINTER(_FunctionDefinition)),
]


def present_functions(env: clips.Environment) -> list[str]:
    """Every function the environment has, read from CLIPS's own function list (for audits and
    the allow-list test, which checks this walk against ``get-function-list`` first)."""
    names = []
    node = ctypes.cast(_c().GetFunctionList(_pointer(env)), ctypes.POINTER(_FunctionDefinition))
    while node:
        lexeme = ffi.cast("CLIPSLexeme *", node.contents.callFunctionName)
        names.append(ffi.string(lexeme.contents).decode())
        node = node.contents.next
    return names


@lru_cache(maxsize=1)
def builtin_functions() -> frozenset[str]:
    """The functions of a fresh CLIPS environment, as this clipspy builds it."""
    return frozenset(str(name) for name in clips.Environment().eval("(get-function-list)"))


def harden(env: clips.Environment) -> None:
    """Remove every function off the allow-list and the constructs packs may not use."""
    c, pointer = _c(), _pointer(env)
    names = [str(name) for name in env.eval("(get-function-list)")]
    for name in names:
        if name not in ALLOWED_FUNCTIONS:
            c.RemoveUDF(pointer, name.encode())
    for construct in REMOVED_CONSTRUCTS:
        c.RemoveConstruct(pointer, construct.encode())
    left = [name for name in names if name not in ALLOWED_FUNCTIONS and c.FindFunction(pointer, name.encode())]
    left += [name for name in REMOVED_CONSTRUCTS if c.FindConstruct(pointer, name.encode())]
    if left:
        raise EngineError(f"could not remove CLIPS functions {', '.join(left)}; refusing to load packs")


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


#: CLIPS integers are C ``long long``; clipspy raises OverflowError for anything larger.
CLIPS_INT_RANGE = (-(2**63), 2**63 - 1)


def _clean(value: Any) -> Any:
    """A Python value as CLIPS may hold it: strings without NUL, bools as symbols.

    Raises ValueError for what CLIPS cannot hold, so a bundle's bad value fails its own artifact
    when parsing checks it, never the engine: an integer outside 64 bits, text that is not valid
    Unicode (a lone surrogate cannot be encoded), or something that is not a plain value.
    """
    if isinstance(value, bool):
        return clips.Symbol("TRUE" if value else "FALSE")
    if isinstance(value, int):
        low, high = CLIPS_INT_RANGE
        if not low <= value <= high:
            shown = str(value) if abs(value) < 10**40 else f"of {value.bit_length()} bits"
            raise ValueError(f"integer {shown} does not fit the engine's 64-bit integers")
        return value
    if isinstance(value, float) or value is None:
        return value
    if isinstance(value, str):
        value = value.replace("\x00", "")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError(f"text is not valid Unicode (a lone surrogate at character {exc.start + 1})") from None
        return value
    raise ValueError(f"a {type(value).__name__} is not a value the engine can hold")


_CONVERT = {"str": str, "int": int, "float": float, "bool": bool, "list": list}


def _checked(fact_type: str, name: str, kind: str, value: Any) -> Any:
    """``value`` converted to the slot's kind and cleaned; ValueError names the slot."""
    try:
        converted = _CONVERT[kind](value)
    except (ValueError, TypeError, OverflowError):
        try:
            shown = repr(value)
        except ValueError:  # an integer too long to print
            shown = f"a {type(value).__name__}"
        shown = shown if len(shown) <= 60 else shown[:57] + "..."
        article = "an" if kind == "int" else "a"
        raise ValueError(f"{fact_type}.{name}: {shown} is not {article} {kind} value") from None
    try:
        return [_clean(v) for v in converted] if kind == "list" else _clean(converted)
    except ValueError as exc:
        raise ValueError(f"{fact_type}.{name}: {exc}") from None


def slot_values(schema: FactSchema, fact: Fact, fid: int) -> dict[str, Any]:
    """Checked, converted slot values for asserting ``fact``; raises ValueError on a mismatch,
    naming the slot (and never echoing text that cannot be printed)."""
    unknown = set(fact.slots) - set(schema.slots)
    if unknown:
        raise ValueError(f"fact {fact.type!r} has slots its schema lacks: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for name, value, kind in (("fid", fid, "int"), ("host", fact.host or "", "str"),
                              ("artifact", fact.artifact or "", "str"), ("line", fact.line or 0, "int")):
        values[name] = _checked(fact.type, name, kind, value)
    for name, value in fact.slots.items():
        kind = schema.slots[name]
        value = check_value(kind, value, f"{fact.type}.{name}")  # typed facts: hakb.facttypes
        if value is None:
            continue
        if kind == "list" and (isinstance(value, (str, bytes)) or not isinstance(value, Iterable)):
            raise ValueError(f"{fact.type}.{name} must be a list")
        values[name] = _checked(fact.type, name, kind, value)
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


_SYMBOL_VALUES = {"TRUE": True, "FALSE": False, "nil": None}


def _template_value(value: Any) -> Any:
    """A ``vars`` value as templates get it: the symbols TRUE, FALSE and nil as True, False and
    None (``{% if up %}`` is then false for FALSE), numbers as numbers, the rest as text."""
    if isinstance(value, clips.Symbol) and str(value) in _SYMBOL_VALUES:
        return _SYMBOL_VALUES[str(value)]
    return _plain(value)


_CONSTRUCT_KINDS = (("rule", lib.GetNextDefrule, lib.DefruleName, lib.DefrulePPForm),
                    ("template", lib.GetNextDeftemplate, lib.DeftemplateName, lib.DeftemplatePPForm),
                    ("function", lib.GetNextDeffunction, lib.DeffunctionName, lib.DeffunctionPPForm),
                    ("global", lib.GetNextDefglobal, lib.DefglobalName, lib.DefglobalPPForm))
_LINE = re.compile(r"\[[A-Z]+\d+\] (?P<file>.+?), Line (?P<line>\d+): (?P<text>[^\[]*)")
_MISSING = re.compile(r"Missing function declaration for '?(?P<name>[^'\s.]+)'?")
_CONSTRUCT_AT = re.compile(r"\(\s*([A-Za-z][\w-]*)")


def _constructs(env: clips.Environment) -> dict[tuple[str, str], tuple[int, bytes]]:
    """Every rule, template, deffunction and defglobal by (kind, name), with what tells a
    redefinition: its address and its source (a new one may reuse the old one's memory)."""
    found = {}
    for kind, following, name_of, source_of in _CONSTRUCT_KINDS:
        item = following(env._env, ffi.NULL)
        while item != ffi.NULL:
            source = source_of(item)
            found[(kind, ffi.string(name_of(item)).decode())] = (
                int(ffi.cast("uintptr_t", item)), ffi.string(source) if source != ffi.NULL else b"")
            item = following(env._env, item)
    return found


def explain_load_error(message: str, path: Path) -> str:
    """A CLIPS load error in the words of a pack author: ``file:line: what``, naming a function
    or construct packs may not use as such."""
    reasons = []
    for match in _LINE.finditer(message):
        where = f"{Path(match['file']).name}:{match['line']}"
        text = " ".join(match["text"].split()).rstrip(".")
        missing = _MISSING.search(text)
        if missing and missing["name"] in builtin_functions():
            reasons.append(f"{where}: calls forbidden function '{missing['name']}'")
            continue
        if "beginning of a construct" in text:
            construct = _construct_on(path, int(match["line"]))
            if construct in REMOVED_CONSTRUCTS:
                reasons.append(f"{where}: uses '{construct}', which packs may not use")
                continue
        reasons.append(f"{where}: {text}")
    return "; ".join(dict.fromkeys(reasons)) or f"{path.name}: {message or 'CLIPS could not load it'}"


def _construct_on(path: Path, line: int) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as source:
            for number, text in enumerate(source, start=1):
                if number == line:
                    match = _CONSTRUCT_AT.search(text)
                    return match.group(1).lower() if match else ""
    except OSError:
        pass
    return ""


class Session:
    """One CLIPS environment: hardened, with the core templates and the fact templates given.

    ``templates`` names the fact types to define (default: every schema); facts of other types
    are not entered, which is how a group of packs sees only the facts its rules can match.
    """

    def __init__(self, schemas: Mapping[str, FactSchema], templates: Iterable[str] | None = None) -> None:
        self.env = clips.Environment()
        self.capture = _Capture()
        self.env.add_router(self.capture)
        harden(self.env)
        names = list(schemas) if templates is None else [n for n in templates if n in schemas]
        self.schemas = {name: schemas[name] for name in names}
        self._load_source("\n".join([*CORE_CONSTRUCTS, *(template_source(s) for s in self.schemas.values())]))
        self.errors: dict[str, list[str]] = {}
        self.rejected: list[str] = []  # facts that could not be entered (bad data, not a pack's fault)
        self.dirty = False  # a load failed part-way: the environment holds half a pack
        self._seen = _constructs(self.env)
        self._owners = {key: "" for key in self._seen}  # "" is hakb's core
        #: article id -> pack; when set, findings and relations must name these ids only
        self.article_packs: dict[str, str] | None = None

    def _load_source(self, source: str) -> None:
        """Load constructs hakb wrote. A file, because CLIPS reads files many times faster than
        strings given to ``build`` (which ask every Python router about every character)."""
        handle, name = tempfile.mkstemp(prefix="hakb-core-", suffix=".clp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(source)
            self.env.load(name)
        except clips.CLIPSError as exc:
            raise EngineError(f"CLIPS refused a core construct: {self.capture.take_errors() or exc}") from exc
        finally:
            os.unlink(name)

    def load_rules(self, pack: str, path: Path) -> bool:
        """Load one rule file of a pack (see :meth:`load_pack`)."""
        return self.load_pack(pack, [path])

    def _pattern_problems(self, path: Path, paths: Sequence[Path]) -> list[str]:
        """Unknown fact types and slots in a file CLIPS refused (:func:`hakb.strictkb.pattern_problems`)."""
        from hakb.strictkb import defined_templates, pattern_problems

        try:
            sources = {Path(p): Path(p).read_text(encoding="utf-8") for p in paths}
        except (OSError, UnicodeDecodeError):
            return []
        own = set().union(*map(defined_templates, sources.values()))
        templates = {name: frozenset(schema.slots) | {"fid", "host", "artifact", "line"}
                     for name, schema in self.schemas.items()}
        for template in self.env.templates():
            if not template.implied:  # CLIPS makes implied ones of unknown pattern names
                templates.setdefault(template.name, frozenset(slot.name for slot in template.slots))
        functions = set(builtin_functions()) | {f.name for f in self.env.functions()}
        return pattern_problems(sources[Path(path)], Path(path).name, templates, functions, own)

    def load_pack(self, pack: str, paths: Sequence[Path]) -> bool:
        """Load a pack's rule files; on failure record why under ``pack`` and return False.

        It fails when CLIPS cannot load a file, or when the pack redefines something defined
        before it (a core template, or a rule, template, deffunction or defglobal of another
        pack). Either way :attr:`dirty` is set: the environment may hold part of the pack.
        """
        loaded = True
        for path in map(Path, paths):
            self.capture.take_errors()
            try:
                self.env.load(str(path))
            except clips.CLIPSError as exc:
                message = self.capture.take_errors() or str(exc)
                named = self._pattern_problems(path, paths)  # CLIPS says only "Check appropriate syntax"
                self.errors.setdefault(pack, []).extend(named or [explain_load_error(message, path)])
                loaded = False
        self.capture.take_errors()
        now = _constructs(self.env)
        redefined = [key for key, address in self._seen.items() if now.get(key) != address]
        for key in now.keys() - self._seen.keys():
            self._owners[key] = pack
        self._seen = now
        if redefined:
            loaded = False
            self.errors.setdefault(pack, []).extend(
                f"{kind} '{name}' is already defined by "
                f"{'pack ' + self._owners[(kind, name)] if self._owners[(kind, name)] else 'hakb'}"
                for kind, name in redefined)
        self.dirty = self.dirty or not loaded
        return loaded

    def assert_facts(self, facts: Sequence[Fact]) -> int:
        """Enter the facts whose type this environment has; fact ``i`` of ``facts`` gets fid ``i``.
        Returns how many were entered.

        Facts go through CLIPS's fact builder, the API ``Template.assert_fact`` wraps, with
        clipspy's own conversion of each value; one builder per type and one value holder
        make it about twice as fast as calling ``assert_fact`` per fact. No fact is ever text.
        A fact whose value CLIPS cannot hold is left out and listed in :attr:`rejected`.
        """
        env = self.env._env
        builders: dict[str, Any] = {}
        holder = ffi.new("CLIPSValue *")
        keys: dict[str, bytes] = {}
        convert = CLIPS_VALUES.get
        entered = 0
        try:
            for fid, fact in enumerate(facts):
                schema = self.schemas.get(fact.type)
                if schema is None:
                    continue
                builder = builders.get(fact.type)
                if builder is None:
                    builder = builders[fact.type] = lib.CreateFactBuilder(env, fact.type.encode())
                try:
                    for slot, value in slot_values(schema, fact, fid).items():
                        key = keys.get(slot) or keys.setdefault(slot, slot.encode())
                        constructor = convert(type(value))
                        if constructor is None:
                            raise ValueError(f"a {type(value).__name__} cannot be a CLIPS value")
                        holder.value = constructor(env, value)
                        if lib.FBPutSlot(builder, key, holder) != lib.PSE_NO_ERROR:
                            raise ValueError(f"slot {slot} does not take {str(value)[:80]!r}")
                except (ValueError, TypeError, OverflowError, UnicodeError) as exc:
                    lib.FBAbort(builder)
                    if len(self.rejected) < 100:
                        self.rejected.append(f"{fact.artifact or fact.type}:{fact.line}: the {fact.type} fact "
                                             f"could not be entered: {exc}")
                    continue
                if lib.FBAssert(builder) == ffi.NULL:
                    self.errors.setdefault("", []).append(
                        self.capture.take_errors() or "a rule's pattern failed while a fact was entered")
                    continue
                entered += 1
        finally:
            for builder in builders.values():
                lib.FBDispose(builder)
        return entered

    def assert_case(self, as_of: int, as_of_iso: str) -> None:
        self.env.find_template("hakb-case").assert_fact(**{"as-of": int(as_of), "as-of-iso": as_of_iso})

    def run(self, limit: int = MAX_FIRINGS) -> Inference:
        """Run the rules. Whether they failed is read from the engine (halted execution, rules
        left on the agenda), never from what they printed."""
        self.capture.take_errors()
        fired = self.env.run(limit)
        result = Inference(fired=fired, errors={k: list(v) for k, v in self.errors.items()})
        c, pointer = _c(), _pointer(self.env)
        if c.GetHaltExecution(pointer) or c.GetEvaluationError(pointer):
            result.errors.setdefault("", []).append(
                self.capture.take_errors() or "a rule failed and CLIPS stopped the run")
        elif fired >= limit:
            result.errors.setdefault("", []).append(
                f"rules fired {fired} times and were stopped; a rule is probably looping")
        elif lib.GetNextActivation(self.env._env, ffi.NULL) != ffi.NULL:
            result.errors.setdefault("", []).append(
                "the rules stopped before every rule had fired (a 'return' in a rule?)")
        self.capture.take_errors()
        self._collect(result)
        return result

    def _refuse(self, result: Inference, message: str) -> None:
        bucket = result.errors.setdefault("", [])
        if message not in bucket and len(bucket) < 20:
            bucket.append(message)

    def _collect(self, result: Inference) -> None:
        """Copy the conclusions out. With :attr:`article_packs` set, a finding or relation naming
        an id that is no article of these packs is refused (a pack cannot speak for another)."""
        own = self.article_packs
        checked = own is not None
        own = own or {}
        findings = []
        for fact in self.env.find_template("hakb-finding").facts():
            if checked and _plain(fact["id"]) not in own:
                self._refuse(result, f"asserted a finding with id {_plain(fact['id'])!r}, which is "
                                     "not an article of this pack; refused")
                continue
            findings.append(fact)
        for fact in self.env.find_template("hakb-relate").facts():
            ids = (_plain(fact["id"]), _plain(fact["other-id"]))
            if checked and not all(i in own for i in ids):
                self._refuse(result, f"related findings {ids[0]!r} and {ids[1]!r}, not both articles "
                                     "of this pack; refused")
                continue
            result.relations.append((ids[0], _plain(fact["key"]), ids[1], _plain(fact["other-key"])))
        for fact in self.env.find_template("hakb-unverified").facts():
            result.unverified.append(RawUnverified(
                rule=_plain(fact["rule"]), check=_plain(fact["check"]),
                collect=_plain(fact["collect"]), host=_plain(fact["host"]),
                evidence=_evidence_fids(fact["evidence"]),
                extra={name.replace("-", "_"): _plain(fact[name]) for name in UNVERIFIED_EXTRA
                       if _plain(fact[name]) not in ("", [])}))
        for position, fact in enumerate(findings):
            identifier = _plain(fact["id"])
            values = [_template_value(v) for v in fact["vars"]]
            if len(values) % 2:
                result.errors.setdefault(own.get(identifier, ""), []).append(
                    f"finding {identifier!r}: vars must be name/value pairs, got {len(values)} items")
                values = values[:-1]
            confidence = float(fact["confidence"])
            result.findings.append(RawFinding(
                index=position, id=identifier, key=_plain(fact["key"]),
                severity=_plain(fact["severity"]),
                confidence=None if confidence < 0 else confidence,
                evidence=_evidence_fids(fact["evidence"]),
                vars=[(str(values[i]), values[i + 1]) for i in range(0, len(values), 2)],
                pack=own.get(identifier, ""),
            ))


def _evidence_fids(addresses) -> list[int]:
    fids = []
    for address in addresses:
        try:
            fids.append(int(address["fid"]))
        except (KeyError, TypeError, LookupError, clips.CLIPSError):
            continue  # evidence that is not a parsed fact (a finding, a retracted fact) carries no line
    return fids
