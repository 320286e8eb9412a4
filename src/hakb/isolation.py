"""Running untrusted knowledge: everything a pack contributes runs here, in a worker process.

Knowledge packs are code from strangers: rules, deffunctions, defglobal initialisers, article
templates, YAML front matter. hakb's own process never reads or runs any of it; it calls
:func:`run_knowledge` (diagnose) or :func:`read_knowledge` (the ``kb`` commands), which start a
worker process (``fork`` on Linux, a few milliseconds; ``spawn`` elsewhere) that

* limits its own memory (``--rule-memory`` MiB above what it starts with; RLIMIT_AS, so on
  Linux and other systems that enforce it) and has a deadline for every step of every group of
  packs (``--rule-timeout``; entering facts gets extra time per fact);
* reads the packs (:mod:`hakb.knowledge`), loads each group's rules into an environment of its
  own (:mod:`hakb.engine`), enters the facts those rules can match, runs them, and writes the
  findings with the articles (:mod:`hakb.findings`);
* sends back plain data only: written findings, article texts, messages.

A **group** is the packs of one installed distribution (hakb's built-in packs are one group, a
third party's package another; a plugin object registered directly is a group of its own).
Packs of one group may build on each other's findings; packs of different groups share nothing,
and a group may assert findings only with ids of its own articles.

When the worker overruns a deadline or dies, the group it was working on fails and a new worker
takes the groups after it. A group that fails, or reports an error it cannot pin on one pack,
runs again pack by pack to find the culprits; the healthy packs then run together again. Each
round either succeeds or removes a pack, so the number of worker runs stays bounded (a healthy
case costs one). Built-in packs are treated exactly like third-party ones.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping, Sequence

from hakb.engine import MAX_FIRINGS, EngineError
from hakb.findings import Finding, Unverified
from hakb.knowledge import Article, KnowledgeBase
from hakb.model import Fact, FactSchema, KnowledgePack

#: Default seconds each step of a group of packs may take (``--rule-timeout``).
DEFAULT_TIMEOUT = 10.0
#: Default MiB the worker may allocate beyond what it starts with (``--rule-memory``).
DEFAULT_MEMORY_MIB = 2048
#: Facts CLIPS is assumed to enter per second at worst; sets the allowance for entering facts.
#: (It enters about 30 000 a second on a small machine.)
FACTS_PER_SECOND = 10_000
#: Seconds a worker may take to start, whatever --rule-timeout says (spawn imports hakb afresh).
STARTUP_SECONDS = 60.0
#: The distribution hakb's own packs come from; its packs keep their article ids on a clash.
CORE_GROUP = "hakb"


@dataclass
class Unit:
    """What one environment runs: packs of one group (all of them, or one alone to find a culprit)."""

    group: str
    packs: list[KnowledgePack]
    probe: int | None = None  # the failed unit whose culprit this run looks for


@dataclass
class UnitResult:
    """What the worker sends back for one unit: plain data."""

    articles: dict[str, Article] = field(default_factory=dict)  # of the packs that loaded
    loaded: list[str] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)  # pack -> why it did not load
    findings: list[Finding] = field(default_factory=list)
    unverified: list[Unverified] = field(default_factory=list)
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)
    #: the run failed: pack -> messages; "" for what no single pack can be blamed for yet
    errors: dict[str, list[str]] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (source, message), findings kept
    fired: int = 0
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (summary, body) asked for

    @property
    def clean(self) -> bool:
        return not self.errors


@dataclass
class Failure:
    """The worker overran a deadline, died or broke while on a unit."""

    message: str


@dataclass
class KnowledgeRun:
    """The outcome of :func:`run_knowledge` or :func:`read_knowledge`, as plain data."""

    findings: list[Finding] = field(default_factory=list)  # written, not yet put in stories
    unverified: list[Unverified] = field(default_factory=list)
    relations: list[tuple[str, str, str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (source, message)
    packs: list[str] = field(default_factory=list)  # packs that ran (or loaded) without failing
    failed: dict[str, str] = field(default_factory=dict)  # pack -> why it failed or was refused
    articles: dict[str, Article] = field(default_factory=dict)
    texts: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (summary, body)
    attempts: int = 0  # worker processes started

    def error(self, source: str, message: str) -> None:
        if (source, message) not in self.errors:
            self.errors.append((source, message))


# -- inside the worker -------------------------------------------------------------------------

def _start_method() -> str:
    # fork is fast and needs nothing pickled, but is only safe while the process has one thread.
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _die_with_parent(parent: int) -> None:
    """Linux: the worker is killed when hakb is (even by SIGKILL), so a looping pack cannot
    outlive it. Elsewhere the parent's deadline and cleanup are the only guard."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _limit_memory(mib: int) -> None:
    """Let the worker allocate ``mib`` MiB beyond its size now (it starts as a copy of hakb)."""
    try:
        import resource
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = size + mib * (1 << 20)
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        if soft == resource.RLIM_INFINITY or soft > wanted:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ImportError, OSError, ValueError):
        pass  # no /proc or no RLIMIT_AS: the deadline is the only limit


def _load(session_of, packs: list[KnowledgePack], kb: KnowledgeBase, refused: dict[str, list[str]]):
    """A session with every pack that loads cleanly; rebuilt without the others when one
    failed part-way (its half-loaded constructs must not stay)."""
    while True:
        session, loaded = session_of(), []
        for pack in packs:
            files = [path for name, path in kb.rule_files if name == pack.name]
            if session.load_pack(pack.name, files):
                loaded.append(pack)
            else:
                refused[pack.name] = session.errors.pop(pack.name, ["its rules did not load"])
        if not session.dirty:
            return session, loaded
        packs = loaded


def _work_on(unit: Unit, schemas: Mapping[str, FactSchema], facts: Sequence[Fact], as_of: datetime,
             limit: int, run: bool, claimed: dict[str, str], say,
             texts: Mapping[str, tuple[dict | None, str]] | None = None) -> tuple[UnitResult, object]:
    """One unit, step by step; ``say(step)`` before each, so the parent knows where it hangs.
    Returns the result and the session, which the caller drops only after sending the result
    (tearing down an environment of many facts takes a while, and the last is never torn down:
    the parent ends the worker)."""
    from hakb.engine import Session
    from hakb.findings import render_article, render_findings
    from hakb.knowledge import load_knowledge

    say("reading the pack")
    kb = load_knowledge(unit.packs)
    refused = dict(kb.errors)
    for article in kb.articles.values():
        owner = claimed.get(article.id)
        if owner and owner != article.pack:
            refused.setdefault(article.pack, []).append(
                f"{article.path.name}: article id {article.id!r} is already used by pack {owner}")
    accepted = [pack for pack in unit.packs if pack.name not in refused]
    names = frozenset().union(*(kb.mentions.get(pack.name, frozenset()) for pack in accepted))
    templates = [name for name in schemas if name in names]
    say("loading the rules")
    session, loaded = _load(lambda: Session(schemas, templates), accepted, kb, refused)
    result = UnitResult(loaded=[p.name for p in loaded], refused=refused)
    result.articles = {i: a for i, a in kb.articles.items() if a.pack in result.loaded}
    if not run:
        wanted = [i for i in texts or () if i in result.articles]
        if wanted:
            say("writing the articles")
            result.texts = {i: render_article(result.articles[i], *texts[i]) for i in wanted}
        return result, session
    session.article_packs = {i: a.pack for i, a in result.articles.items()}
    say("entering the facts")
    session.assert_case(int(as_of.timestamp()), as_of.isoformat(timespec="seconds"))
    session.assert_facts(facts)
    result.problems = [("engine", message) for message in session.rejected]
    say("running the rules")
    inference = session.run(limit)
    result.fired, result.errors = inference.fired, inference.errors
    if result.errors:
        return result, session  # a failed run's findings are left out, so they need not be written
    say("writing the findings")
    result.findings, result.unverified, problems = render_findings(inference, facts, result.articles)
    result.problems += [(f"pack {pack}" if pack else "knowledge", message) for pack, message in problems]
    result.relations = inference.relations
    return result, session


def _worker(conn, units, schemas, facts, as_of, limit, run, memory, claimed, texts, parent=None) -> None:
    """Body of the worker process: each unit in turn, saying which step it is at."""
    if parent is not None:
        _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    faulthandler.disable()  # a crash is reported by the parent, not dumped on the terminal
    _limit_memory(memory)
    claimed = dict(claimed)
    conn.send(("started", None, None))
    try:
        for index, unit in enumerate(units):
            try:
                result, session = _work_on(unit, schemas, facts, as_of, limit, run, claimed,
                                           lambda step: conn.send(("step", index, step)), texts)
            except EngineError as exc:
                conn.send(("engine-error", index, str(exc)))
                return
            except MemoryError:
                conn.send(("error", index, "ran out of memory (--rule-memory)"))
                continue
            except Exception as exc:  # report, never print: the parent turns it into a message
                conn.send(("error", index, f"{type(exc).__name__}: {exc}"))
                continue
            for article in result.articles.values():
                claimed.setdefault(article.id, article.pack)
            conn.send(("done", index, result))
            del session
    finally:
        conn.close()


# -- in hakb's process ---------------------------------------------------------------------------

def _describe_exit(code: int | None, started: bool = True) -> str:
    if code is None:
        return "stopped"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"crashed ({name})"
    if code == 1 and started:  # how CLIPS ends the process when it cannot allocate memory
        return "exited with status 1 (out of memory? see --rule-memory)"
    return f"exited with status {code}"


_RULE_STEPS = ("loading the rules", "entering the facts", "running the rules")


def _one_worker(units: Sequence[Unit], schemas, facts, as_of, timeout, limit, run, memory,
                claimed, texts=None) -> list[UnitResult | Failure]:
    """Run ``units`` in one worker until it finishes them or fails on one; returns the outcomes
    of the units it got to (the last a :class:`Failure` when it failed)."""
    context = multiprocessing.get_context(_start_method())
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_worker, name="hakb-knowledge", daemon=True,
                              args=(sender, list(units), dict(schemas), facts, as_of, limit, run,
                                    memory, dict(claimed), dict(texts or {}), os.getpid()))
    process.start()
    sender.close()
    outcomes: list[UnitResult | Failure] = []
    step, allowance = "starting", STARTUP_SECONDS
    try:
        while len(outcomes) < len(units):
            deadline = time.monotonic() + allowance
            if not receiver.poll(max(deadline - time.monotonic(), 0)):
                if step == "starting":
                    raise EngineError(f"the knowledge worker did not start within {allowance:g} s")
                what = "rules did not finish" if step in _RULE_STEPS else "did not finish"
                hint = " (a rule looping?)" if step in _RULE_STEPS else ""
                outcomes.append(Failure(f"{what} within {timeout:g} s while {step}{hint}"))
                break
            try:
                kind, index, payload = receiver.recv()
            except (EOFError, OSError):
                process.join(5)
                if step == "starting":
                    raise EngineError(f"the knowledge worker {_describe_exit(process.exitcode, False)} "
                                      "before it started")
                outcomes.append(Failure(f"the rule engine {_describe_exit(process.exitcode)} while {step}"))
                break
            if kind == "step":
                step, allowance = payload, timeout
                if payload == "entering the facts":
                    allowance += len(facts) / FACTS_PER_SECOND
            elif kind == "started":
                step, allowance = "reading the pack", timeout
            elif kind == "done":
                outcomes.append(payload)
                step, allowance = "reading the pack", timeout
            elif kind == "error":
                outcomes.append(Failure(f"the rule engine failed while {step}: {payload}"))
                step, allowance = "reading the pack", timeout
            else:  # engine-error: the core itself is broken, the same for every pack
                raise EngineError(payload)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    return outcomes


def _run_units(units: list[Unit], claims, **options) -> tuple[list[UnitResult | Failure], int]:
    """Outcomes of every unit, starting a new worker after each one that failed."""
    outcomes: list[UnitResult | Failure] = []
    workers = 0
    while len(outcomes) < len(units):
        rest = units[len(outcomes):]
        claimed = claims(rest[0].group)
        outcomes.extend(_one_worker(rest, claimed=claimed, **options))
        workers += 1
    return outcomes, workers


def groups_of(packs: Sequence[KnowledgePack]) -> list[Unit]:
    """One unit per group (``KnowledgePack.source``, else the pack alone); hakb's own first."""
    grouped: dict[str, list[KnowledgePack]] = {}
    for pack in packs:
        grouped.setdefault(pack.source or f"pack {pack.name}", []).append(pack)
    order = sorted(grouped, key=lambda group: (group != CORE_GROUP, group))
    return [Unit(group, grouped[group]) for group in order]


def _messages(result: UnitResult | Failure, pack: str) -> list[str]:
    if isinstance(result, Failure):
        return [f"{result.message}; the pack's findings are left out"]
    return [m for source in (pack, "") for m in result.errors.get(source, [])] or ["failed"]


def _reason(result: UnitResult | Failure) -> str:
    if isinstance(result, Failure):
        return result.message
    return "; ".join(m for messages in result.errors.values() for m in messages)


def _knowledge(packs: Sequence[KnowledgePack], schemas: Mapping[str, FactSchema], facts: Sequence[Fact],
               as_of: datetime, timeout: float, memory: int, limit: int, run: bool,
               texts: Mapping[str, tuple[dict | None, str]] | None = None) -> KnowledgeRun:
    outcome = KnowledgeRun()
    kept: list[tuple[Unit, UnitResult]] = []
    options = dict(schemas=schemas, facts=facts, as_of=as_of, timeout=timeout, limit=limit, run=run,
                   memory=memory, texts=texts)

    queue = groups_of(packs)
    rank = {unit.group: number for number, unit in enumerate(queue)}  # who keeps an article id

    def claims(group: str) -> dict[str, str]:
        """Article ids that groups before ``group`` have, from the units done so far."""
        return {i: a.pack for unit, result in kept if rank[unit.group] < rank[group]
                for i, a in result.articles.items()}

    def fail(pack: str, messages: list[str]) -> None:
        for message in messages:
            outcome.error(f"pack {pack}", message)
        outcome.failed.setdefault(pack, "; ".join(messages))

    probed: dict[int, tuple[Unit, str]] = {}
    while queue:
        results, workers = _run_units(queue, claims, **options)
        outcome.attempts += workers
        following: list[Unit] = []
        probes: dict[int, list[tuple[Unit, UnitResult | Failure]]] = {}
        for unit, result in zip(queue, results):
            if isinstance(result, UnitResult):
                for pack, reasons in result.refused.items():
                    fail(pack, [f"refused: {reason}" for reason in reasons])
            if unit.probe is not None:
                probes.setdefault(unit.probe, []).append((unit, result))
                continue
            if isinstance(result, UnitResult) and result.clean:
                kept.append((unit, result))
                continue
            suspects = unit.packs if isinstance(result, Failure) else \
                [p for p in unit.packs if p.name in result.loaded]
            if len(suspects) == 1:
                fail(suspects[0].name, _messages(result, suspects[0].name))
                continue
            number = len(probed)
            probed[number] = (unit, _reason(result))
            following.extend(Unit(unit.group, [pack], probe=number) for pack in suspects)
        for number, runs in probes.items():
            unit, why = probed[number]
            healthy = [(u, r) for u, r in runs if isinstance(r, UnitResult) and r.clean and r.loaded]
            culprits = [(u, r) for u, r in runs if not (isinstance(r, UnitResult) and r.clean)]
            for culprit, result in culprits:
                fail(culprit.packs[0].name, _messages(result, culprit.packs[0].name))
            if not culprits:
                # The packs fail only together: keep what each found alone, and say so.
                kept.extend(healthy)
                outcome.error("engine", f"packs {', '.join(p.name for p in unit.packs)} together: {why}; "
                                        "each ran alone, so findings that need several packs are missing")
            elif len(healthy) > 1:
                following.append(Unit(unit.group, [u.packs[0] for u, _ in healthy]))
            else:
                kept.extend(healthy)
        queue = following
    kept.sort(key=lambda item: rank[item[0].group])
    owners: dict[str, str] = {}
    for unit, result in kept:
        # An id a group before this one has (which failed, so the worker could not know it
        # when this group ran) refuses the pack that claims it here.
        clashes = {a.pack: a for i, a in result.articles.items() if owners.get(i, a.pack) != a.pack}
        for pack, article in clashes.items():
            fail(pack, [f"refused: {article.path.name}: article id {article.id!r} is already used "
                        f"by pack {owners[article.id]}"])
            result.loaded.remove(pack)
        result.findings = [f for f in result.findings if f.pack not in clashes]
        result.articles = {i: a for i, a in result.articles.items() if a.pack not in clashes}
        result.relations = [r for r in result.relations if r[0] in result.articles and r[2] in result.articles]
        owners.update((i, a.pack) for i, a in result.articles.items())
        outcome.articles.update(result.articles)
        outcome.texts.update((i, text) for i, text in result.texts.items() if i in result.articles)
        outcome.findings.extend(result.findings)
        outcome.unverified.extend(result.unverified)
        outcome.relations.extend(r for r in result.relations if r not in outcome.relations)
        outcome.packs.extend(p for p in result.loaded if p not in outcome.packs and p not in outcome.failed)
        for source, message in result.problems:
            outcome.error(source, message)
    outcome.packs.sort()
    return outcome


def run_knowledge(packs: Sequence[KnowledgePack], schemas: Mapping[str, FactSchema], facts: Sequence[Fact],
                  as_of: datetime, timeout: float = DEFAULT_TIMEOUT, memory: int = DEFAULT_MEMORY_MIB,
                  limit: int | None = None) -> KnowledgeRun:
    """Run every pack over ``facts`` in the worker; written findings come back.

    A pack that is refused, hangs, crashes the engine or fails with an error is reported (its
    messages in ``errors`` under ``pack NAME``, the reason in ``failed``) and left out; the
    other packs' findings are kept.
    """
    return _knowledge(packs, schemas, list(facts), as_of, timeout, memory,
                      MAX_FIRINGS if limit is None else limit, run=True)


def read_knowledge(packs: Sequence[KnowledgePack], schemas: Mapping[str, FactSchema],
                   timeout: float | None = None, memory: int = DEFAULT_MEMORY_MIB,
                   texts: Mapping[str, tuple[dict | None, str]] | None = None) -> KnowledgeBase:
    """The packs' articles and refusals, checked in the worker as diagnose checks them (rules
    loaded, none run); for ``hakb kb``. ``texts`` asks for articles written out
    (:func:`hakb.findings.render_article`: id -> (a case's values or None, key)); they come
    back in ``KnowledgeBase.texts`` as (summary, Markdown body)."""
    from datetime import timezone

    run = _knowledge(packs, schemas, [], datetime.now(timezone.utc),
                     DEFAULT_TIMEOUT if timeout is None else timeout, memory, MAX_FIRINGS, run=False,
                     texts=texts)
    errors: dict[str, list[str]] = {}
    for source, message in run.errors:
        message = message.removeprefix("refused: ").removesuffix("; the pack's findings are left out")
        errors.setdefault(source.removeprefix("pack "), []).append(message)
    return KnowledgeBase(articles=run.articles, errors=errors, packs=list(packs), texts=run.texts)


def overhead_probe() -> float:
    """Seconds one worker run over no packs and no facts costs (for benchmarks)."""
    from datetime import timezone
    start = time.perf_counter()
    _one_worker([Unit("probe", [])], schemas={}, facts=[], as_of=datetime.now(timezone.utc),
                timeout=DEFAULT_TIMEOUT, limit=MAX_FIRINGS, run=True, memory=DEFAULT_MEMORY_MIB, claimed={})
    return time.perf_counter() - start
