"""Many bundles, each its own case: worker processes (or a Dask cluster) diagnose, one writer saves.

:func:`bundles_of` turns the command line into bundles; :func:`run_batch` diagnoses them with an
executor (:class:`LocalExecutor`: a process pool of ``jobs`` workers; :class:`DaskExecutor`: the
workers of an existing ``dask.distributed`` cluster) and yields one :class:`BundleResult` per
bundle as they finish. Each worker builds one plugin manager and keeps it for all its bundles.
Cases come back as plain data and are saved by the caller, in its own process: the case store
has exactly one writer whatever the number of workers.

Exit status follows ``hakb diagnose`` over the worst bundle: 1 if any bundle has a finding at or
above ``fail_on``; else 2 if a bundle could not be diagnosed at all; else 3 if a diagnosis is
incomplete (a pack or parser failed or hit a limit); else 0.
"""

from __future__ import annotations

import glob
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

SEVERITIES = ("critical", "error", "warning", "info")  # worst first
#: Exit status per bundle outcome, and which outcome wins when bundles differ (first wins).
EXIT_ORDER = (1, 2, 3, 0)


class BatchError(Exception):
    """The command line names no bundle, or a path that does not exist."""


@dataclass
class Options:
    """What every bundle is diagnosed with (plain data: it travels to the workers)."""

    rule_timeout: float = 10.0
    host: str | None = None
    extra: dict = field(default_factory=dict)  # further keyword arguments of diagnose()


@dataclass
class BundleResult:
    """One bundle's outcome: its case (None when it could not be read) or the reason."""

    bundle: str
    case: object | None = None      # hakb.diagnosis.Diagnosis
    error: str | None = None

    @property
    def report(self) -> dict | None:
        return self.case.as_dict() if self.case is not None else None

    def worst(self) -> str | None:
        return self.case.worst_severity() if self.case is not None else None

    def complete(self) -> bool:
        """Every pack and parser ran to the end (the report's ``complete`` when it has one)."""
        if self.case is None:
            return False
        report = self.report
        if "complete" in report:
            return bool(report["complete"])
        return not report["errors"] and not any(a["status"] == "error" for a in report["artifacts"])

    def status(self, fail_on: str = "warning") -> str:
        if self.case is None:
            return "error"
        if not self.case.diagnosable:
            return "not diagnosable"
        if self.exit_code(fail_on) == 1:
            return "findings"
        if not self.complete():
            return "incomplete"
        return "findings" if self.case.findings else "no known fault"

    def exit_code(self, fail_on: str = "warning") -> int:
        if self.case is None or not self.case.diagnosable:
            return 2
        if fail_on != "never":
            limit = SEVERITIES.index(fail_on)
            if any(SEVERITIES.index(f.severity) <= limit for f in self.case.findings):
                return 1
        return 0 if self.complete() else 3

    def as_dict(self, fail_on: str = "warning") -> dict:
        """One JSON line of ``hakb batch --format json``."""
        case = self.case
        return {"bundle": self.bundle, "status": self.status(fail_on), "exit": self.exit_code(fail_on),
                "case_id": getattr(case, "case_id", None), "worst_severity": self.worst(),
                "findings": [{"id": f.id, "key": f.key, "severity": f.severity, "title": f.title}
                             for f in (case.findings if case is not None else [])],
                "message": self.error or (None if case is None or self.complete()
                                          else "; ".join(case.as_dict().get("incomplete_reasons")
                                                         or [e["message"] for e in case.errors])[:500])}


def batch_exit_code(results: Iterable[BundleResult], fail_on: str = "warning") -> int:
    codes = {r.exit_code(fail_on) for r in results}
    return next((code for code in EXIT_ORDER if code in codes), 0)


# -- which bundles ---------------------------------------------------------------------------------

def bundles_of(paths: Sequence[str]) -> list[str]:
    """The bundles named on the command line, in order, each once.

    A glob pattern (``cases/*.tgz``) stands for what it matches; one folder given alone is a
    folder of bundles (each entry in it, hidden ones aside, is a bundle); otherwise each path is
    one bundle (a folder, an archive or a file)."""
    found: list[str] = []
    for path in paths:
        if not os.path.exists(path) and glob.has_magic(path):
            matches = sorted(glob.glob(path))
            if not matches:
                raise BatchError(f"{path}: matches nothing")
            found.extend(matches)
        elif not os.path.exists(path):
            raise BatchError(f"{path}: no such file or folder")
        else:
            found.append(path)
    if len(paths) == 1 and len(found) == 1 and os.path.isdir(found[0]):
        folder = found[0]
        found = [os.path.join(folder, name) for name in sorted(os.listdir(folder))
                 if not name.startswith(".")]
        if not found:
            raise BatchError(f"{folder}: an empty folder holds no bundle")
    return list(dict.fromkeys(found))


# -- one bundle, in a worker -----------------------------------------------------------------------

_WORKER: dict = {}  # this process's plugin manager, built once for all its bundles
_WORKER_LOCK = threading.Lock()


def _plugin_manager():
    with _WORKER_LOCK:
        if "pm" not in _WORKER:
            from hakb.plugin_manager import get_plugin_manager
            _WORKER["pm"] = get_plugin_manager()
        return _WORKER["pm"]


def diagnose_bundle(bundle: str, options: Options) -> BundleResult:
    """Diagnose one bundle as one case; never raises for what the bundle holds."""
    from hakb.bundle import InputError
    from hakb.diagnosis import diagnose

    try:
        case = diagnose([bundle], pm=_plugin_manager(), host=options.host,
                        rule_timeout=options.rule_timeout, **options.extra)
    except InputError as exc:
        return BundleResult(bundle, error=str(exc))
    except Exception as exc:  # a bug must cost one bundle, not the batch
        return BundleResult(bundle, error=f"internal error: {type(exc).__name__}: {exc}")
    return BundleResult(bundle, case=case)


def _warm() -> None:
    """Worker start-up: load the plugins before the first bundle arrives."""
    _plugin_manager()


# -- executors -------------------------------------------------------------------------------------

class LocalExecutor:
    """``jobs`` worker processes on this machine (forked on Linux: they start with hakb loaded)."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or os.cpu_count() or 1)

    def run(self, bundles: Sequence[str], options: Options) -> Iterator[BundleResult]:
        if self.jobs == 1:
            for bundle in bundles:
                yield diagnose_bundle(bundle, options)
            return
        method = "fork" if sys.platform.startswith("linux") and threading.active_count() == 1 else "spawn"
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(max_workers=min(self.jobs, len(bundles)) or 1, mp_context=context,
                                 initializer=_warm) as pool:
            futures = {pool.submit(diagnose_bundle, bundle, options): bundle for bundle in bundles}
            try:
                for future in as_completed(futures):
                    try:
                        yield future.result()
                    except Exception as exc:  # the worker died (killed, out of memory)
                        yield BundleResult(futures[future], error=f"worker failed: {type(exc).__name__}: {exc}")
            except BaseException:
                for future in futures:
                    future.cancel()
                raise


class DaskExecutor:
    """The workers of an existing ``dask.distributed`` cluster; each task is one bundle path,
    so the bundles must be readable at that path on the workers (shared storage)."""

    def __init__(self, scheduler: str | object) -> None:
        try:
            from dask.distributed import Client
        except ImportError as exc:
            raise BatchError("--executor dask needs the dask extra: pip install 'hakb[dask]'") from exc
        self._client_type = Client
        self.scheduler = scheduler

    def run(self, bundles: Sequence[str], options: Options) -> Iterator[BundleResult]:
        from dask.distributed import as_completed as completed

        try:
            client = self._client_type(self.scheduler)
        except Exception as exc:  # no scheduler there, a timeout, a refused connection
            raise BatchError(f"cannot reach the Dask scheduler {self.scheduler}: {exc}") from exc
        try:
            futures = client.map(diagnose_bundle, list(bundles), options=options, pure=False)
            names = {future.key: bundle for future, bundle in zip(futures, bundles)}
            for future in completed(futures):
                try:
                    yield future.result()
                except Exception as exc:  # the task failed on the worker (lost worker, pickling)
                    yield BundleResult(names[future.key], error=f"task failed: {type(exc).__name__}: {exc}")
        finally:
            client.close()


def run_batch(bundles: Sequence[str], executor, options: Options | None = None) -> Iterator[BundleResult]:
    """One result per bundle, in the order they finish."""
    yield from executor.run(list(bundles), options or Options())

