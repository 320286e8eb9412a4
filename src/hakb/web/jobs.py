"""The work behind the page's forms that diagnoses: run in a worker process of its own.

The page's server runs threads, and a process with threads must start the rules' worker
(:mod:`hakb.isolation`) the slow way (``spawn``: a fresh interpreter each run). So uploads and
answers are diagnosed in a process made by a ``forkserver``, which starts clean and
single-threaded; there the rules' worker is forked in milliseconds. Where forkserver does not
exist (Windows) the work runs in a thread instead. Everything crossing over is plain data.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool

from hakb.answers import AnswerError
from hakb.bundle import InputError
from hakb.store import Store

if TYPE_CHECKING:
    from hakb.web.app import Config

#: Diagnoses that may run at once.
WORKERS = 2


class Workers:
    """A lazily started pool of diagnosis processes."""

    def __init__(self) -> None:
        self.pool: ProcessPoolExecutor | None = None

    async def run(self, function, *args):
        if "forkserver" not in multiprocessing.get_all_start_methods():
            return await run_in_threadpool(function, *args)
        if self.pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["hakb.web.jobs", "hakb.triage"])
            self.pool = ProcessPoolExecutor(max_workers=WORKERS, mp_context=context)
        return await asyncio.get_running_loop().run_in_executor(self.pool, function, *args)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


def start(config: Config, folder: Path, names: list[str], symptom: str,
           host: str | None) -> tuple[str, str]:
    """Diagnose an upload as a new triage case: (case id, why it was refused or "")."""
    from hakb.triage import Triage

    db = Store(config.db)
    paths = [str(folder)] if any(folder.iterdir()) else []
    try:
        triage = Triage.start(db, paths, symptom=symptom, host=host, limits=config.limits,
                              rename=(f"{folder}/", ""), inputs=names, via="web",
                              rule_timeout=config.rule_timeout)
    except InputError as exc:
        return "", str(exc)
    report = triage.report()
    errors = [f"{a['path']}: {a['message']}" for a in report["artifacts"] if a["status"] == "error"]
    if paths and errors and not any(a["status"] == "parsed" for a in report["artifacts"]):
        db.delete_case(triage.case_id)  # nothing was read: no case, only the reason
        return "", "; ".join(errors)
    return triage.case_id, ""


def answer(config: Config, case_id: str, question_id: str, text: str) -> str:
    from hakb.triage import Triage

    triage = Triage.resume(Store(config.db), case_id, fresh=False, rule_timeout=config.rule_timeout)
    chosen = next((q for q in triage.questions(include_answered=True, include_skipped=True)
                   if q.id == question_id), None)
    if chosen is None:
        return f"question {question_id} is no longer open; nothing changed"
    try:
        given = triage.answer(chosen, text, via="web")
    except AnswerError as exc:
        return f"not taken: {exc}"
    result = triage.result_of(given)
    if result is not None and result.status != "parsed":
        return f"{given.artifact}: nothing was read ({result.message or result.status})"
    if result is not None and not result.facts:
        return f"{given.artifact}: read by {result.parser}, but nothing in it was usable"
    count = len(result.facts) if result else 0
    return f"{given.artifact} taken ({count} fact(s)); the case was diagnosed again"
