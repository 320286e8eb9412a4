"""Running the rules where they can be stopped: a worker process with a time limit.

Knowledge packs are code, and third-party packs are code from strangers. A rule that loops, a
deffunction that recurses until CLIPS overflows the C stack, or anything that makes the engine
exit would end hakb itself if the rules ran in hakb's process. So :func:`run_packs` runs the
inference in a worker process (``fork`` on Linux, which costs a few milliseconds; ``spawn``
elsewhere) and waits for it with a deadline:

* loading the rules and entering the facts may take ``timeout`` seconds plus an allowance that
  grows with the number of facts (a pack whose patterns join badly can hang here, too);
* running the rules may take ``timeout`` seconds.

When the worker overruns, dies, or reports an error it cannot pin on one pack, every pack runs
alone to find the culprits; the healthy packs then run together again, so their findings (and
the relations between them) survive. Built-in packs are treated exactly like third-party ones.
Only plain data crosses the process boundary: facts in, :class:`hakb.engine.Inference` out.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Mapping, Sequence

from hakb.engine import MAX_FIRINGS, EngineError, Inference, RawFinding, RawUnverified, Session
from hakb.model import Fact, FactSchema

#: Default seconds the rules of one run may take (``--rule-timeout``).
DEFAULT_TIMEOUT = 10.0
#: Facts CLIPS is assumed to enter per second at worst; sets the allowance for entering facts.
#: (It enters about 70 000 a second on a small machine.)
FACTS_PER_SECOND = 10_000


@dataclass
class Attempt:
    """What one worker run produced: an inference, or why there is none."""

    inference: Inference | None = None
    failure: str | None = None  # "timed out while ...", "crashed (SIGSEGV)", ...

    @property
    def clean(self) -> bool:
        return self.inference is not None and not self.inference.errors


@dataclass
class RunReport:
    """The merged outcome of :func:`run_packs`: the inference and the packs that failed."""

    inference: Inference
    failed: dict[str, str] = field(default_factory=dict)  # pack -> why
    attempts: int = 0


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


def _worker(conn, schemas, rule_files, facts, as_of, limit, parent=None) -> None:
    """Body of the worker process: load, enter facts, say 'ready', run, send the inference."""
    if parent is not None:
        _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    faulthandler.disable()  # a crash is reported by the parent, not dumped on the terminal
    try:
        session = Session(schemas)
        for pack, path in rule_files:
            session.load_rules(pack, Path(path))
        session.assert_case(int(as_of.timestamp()), as_of.isoformat(timespec="seconds"))
        session.assert_facts(facts)
        conn.send(("ready", None))
        conn.send(("done", session.run(limit)))
    except EngineError as exc:
        conn.send(("engine-error", str(exc)))
    except BaseException as exc:  # report, never print: the parent turns it into a message
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"))
    finally:
        conn.close()


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "stopped"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"crashed ({name})"
    return f"exited with status {code}"


def attempt(schemas: Mapping[str, FactSchema], rule_files: Sequence[tuple[str, Path]],
            facts: Sequence[Fact], as_of: datetime, timeout: float,
            limit: int = MAX_FIRINGS) -> Attempt:
    """One inference in a worker process, stopped after its deadlines. Raises EngineError when
    the core itself is broken (the same for every pack, so no pack is to blame)."""
    context = multiprocessing.get_context(_start_method())
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_worker, name="hakb-rules", daemon=True,
                              args=(sender, dict(schemas), list(rule_files), facts, as_of, limit,
                                    os.getpid()))
    process.start()
    sender.close()
    phase = "loading the rules and entering the facts"
    deadline = timeout + len(facts) / FACTS_PER_SECOND
    try:
        while True:
            if not receiver.poll(deadline):
                return Attempt(failure=f"rules did not finish within {timeout:g} s while {phase} "
                                       "(a rule looping?)")
            try:
                kind, payload = receiver.recv()
            except (EOFError, OSError):
                process.join(5)
                return Attempt(failure=f"the rule engine {_describe_exit(process.exitcode)} while {phase}")
            if kind == "ready":
                phase, deadline = "running the rules", timeout
                continue
            if kind == "done":
                return Attempt(inference=payload)
            if kind == "engine-error":
                raise EngineError(payload)
            return Attempt(failure=f"the rule engine failed while {phase}: {payload.splitlines()[0]}")
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)


def _packs_in(rule_files: Sequence[tuple[str, Path]]) -> list[str]:
    return list(dict.fromkeys(pack for pack, _ in rule_files))


def _only(rule_files, packs) -> list[tuple[str, Path]]:
    return [(pack, path) for pack, path in rule_files if pack in packs]


def merge(inferences: Sequence[Inference]) -> Inference:
    """Inferences of separate runs over the same facts as one (finding indexes renumbered)."""
    merged = Inference()
    for inference in inferences:
        offset = len(merged.findings)
        for raw in inference.findings:
            merged.findings.append(RawFinding(
                index=raw.index + offset, id=raw.id, key=raw.key, severity=raw.severity,
                confidence=raw.confidence, evidence=list(raw.evidence), vars=list(raw.vars)))
        merged.unverified.extend(RawUnverified(**vars(u)) for u in inference.unverified)
        merged.relations.extend(r for r in inference.relations if r not in merged.relations)
        for source, messages in inference.errors.items():
            merged.errors.setdefault(source, []).extend(m for m in messages
                                                         if m not in merged.errors.get(source, []))
        merged.fired += inference.fired
    return merged


def _add_errors(target: dict[str, list[str]], source: str, messages) -> None:
    bucket = target.setdefault(source, [])
    bucket.extend(m for m in messages if m not in bucket)


def run_packs(schemas: Mapping[str, FactSchema], rule_files: Sequence[tuple[str, Path]],
              facts: Sequence[Fact], as_of: datetime, timeout: float = DEFAULT_TIMEOUT,
              limit: int = MAX_FIRINGS) -> RunReport:
    """Run the packs' rules over ``facts`` in a worker; a pack that hangs, crashes the engine or
    fails with an error is reported failed (its messages in ``errors`` under its name) and the
    other packs run again together, so their findings are kept.

    Each round either succeeds or removes at least one pack, so the number of worker runs is
    bounded by about twice the number of packs; a healthy case costs one.
    """
    facts = list(facts)
    remaining = _packs_in(rule_files)
    failed: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    attempts = 0
    while True:
        if not remaining:
            result = Inference()
            break
        run = attempt(schemas, _only(rule_files, set(remaining)), facts, as_of, timeout, limit)
        attempts += 1
        if run.clean:
            result = run.inference or Inference()
            break
        blamed = set()
        if run.inference is not None and "engine" not in run.inference.errors:
            for source, messages in run.inference.errors.items():
                _add_errors(errors, source, messages)
                blamed.add(source)
        else:
            # Nobody to blame by name: every pack runs alone, in its own worker.
            alone_runs = {}
            for pack in remaining:
                alone = alone_runs[pack] = attempt(schemas, _only(rule_files, {pack}), facts, as_of,
                                                   timeout, limit)
                attempts += 1
                if alone.inference is None:
                    _add_errors(errors, pack, [f"{alone.failure}; the pack's findings are left out"])
                    blamed.add(pack)
                elif alone.inference.errors:
                    for source, messages in alone.inference.errors.items():
                        _add_errors(errors, pack if source == "engine" else source, messages)
                    blamed.add(pack)
            if not blamed:
                # The packs fail only together: keep what each found alone, and say so.
                result = merge([alone_runs[p].inference for p in remaining])
                why = (run.failure if run.inference is None
                       else "; ".join(run.inference.errors.get("engine", [])))
                _add_errors(result.errors, "engine", [
                    f"packs {', '.join(remaining)} together: {why}; each ran alone, so findings "
                    "that need several packs are missing"])
                break
        for pack in blamed:
            failed.setdefault(pack, "; ".join(errors.get(pack, [])) or "failed")
        remaining = [p for p in remaining if p not in blamed]
        if not blamed.intersection(_packs_in(rule_files)):
            # Errors under names that are no pack (cannot happen with Session): stop here.
            result = run.inference or Inference()
            break
    for source, messages in errors.items():
        _add_errors(result.errors, source, messages)
    return RunReport(result, failed, attempts)


def overhead_probe() -> float:
    """Seconds one empty worker run costs (for benchmarks)."""
    import time
    from datetime import timezone
    start = time.perf_counter()
    attempt({}, [], [], datetime.now(timezone.utc), DEFAULT_TIMEOUT)
    return time.perf_counter() - start


if __name__ == "__main__":  # pragma: no cover - manual measurement
    print(f"worker round trip: {overhead_probe() * 1000:.1f} ms ({_start_method()}, pid {os.getpid()})")
