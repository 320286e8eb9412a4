"""Progress of a diagnosis on stderr: a bar on a terminal (rich), one line per stage for logs.

:func:`hakb.diagnosis.diagnose` calls ``progress(message, stage=..., done=..., total=...,
size=..., path=...)`` when it starts unpacking (``collect``), before each artifact (``read``:
``done`` artifacts of ``total`` finished, this one ``size`` bytes at ``path``) and before the
rules (``rules``). The bar also shows how far into the current file the parser has read: a
watcher thread reads the file's offset from ``/proc/self/fdinfo`` (Linux; elsewhere the bar
moves file by file).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

STAGES = {"collect": "unpacking and listing inputs", "read": "reading artifacts",
          "rules": "running the knowledge packs"}


def make_progress(mode: str):
    """A progress display for ``mode`` (auto, bar, plain, none), or None for none.
    ``auto`` is a bar when stderr is a terminal that can redraw, else nothing."""
    if mode == "auto":
        if not sys.stderr.isatty():
            return None
        mode = "plain" if os.environ.get("TERM") == "dumb" else "bar"
    if mode == "plain":
        return PlainProgress(sys.stderr)
    if mode == "bar":
        return BarProgress()
    return None


class PlainProgress:
    """One line per stage, with the time the previous one took: for logs and dumb terminals."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.stage: str | None = None
        self.started = self.stage_started = time.monotonic()

    def _line(self, text: str) -> None:
        try:
            self.stream.write(f"hakb: {text}\n")
            self.stream.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass  # progress is never worth failing a diagnosis for

    def update(self, message: str, stage: str = "read", total: int | None = None, **detail) -> None:
        if stage == self.stage:
            return
        now = time.monotonic()
        took = f" (previous stage {now - self.stage_started:.1f} s)" if self.stage else ""
        count = f": {total} artifact(s)" if stage == "read" and total is not None else ""
        self._line(f"{STAGES.get(stage, stage)}{count}{took}")
        self.stage, self.stage_started = stage, now

    def close(self) -> None:
        if self.stage:
            self._line(f"done in {time.monotonic() - self.started:.1f} s")


def read_position(path: Path | str) -> int | None:
    """How far this process has read into ``path`` (the offset of a descriptor open on it), or
    None when that cannot be seen (not Linux, not open)."""
    try:
        target = os.path.realpath(path)
        descriptors = os.listdir("/proc/self/fd")
    except OSError:
        return None
    for fd in descriptors:
        try:
            if os.readlink(f"/proc/self/fd/{fd}") != target:
                continue
            with open(f"/proc/self/fdinfo/{fd}", encoding="ascii") as info:
                for line in info:
                    if line.startswith("pos:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            continue
    return None


class BarProgress:
    """Two bars (artifacts done, bytes of the current one) and then a spinner for the rules."""

    def __init__(self, console=None, poll: float = 0.2) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = console or Console(stderr=True)
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.fields[detail]}"), TimeElapsedColumn(),
                            console=self.console, transient=True,
                            redirect_stdout=False, redirect_stderr=False)
        self.files = self.current = self.rules = None
        self.path: str | None = None
        self.size = 0
        self._stop = threading.Event()
        self._poll = poll
        self._watcher = threading.Thread(target=self._watch, name="hakb-progress", daemon=True)
        self.bar.start()
        self._watcher.start()

    @staticmethod
    def _bytes(done: int, size: int) -> str:
        def human(n: float) -> str:
            for unit in ("B", "KB", "MB", "GB"):
                if n < 1024 or unit == "GB":
                    return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
                n /= 1024
            return f"{n:.1f} GB"
        return f"{human(done)} / {human(size)}"

    def update(self, message: str, stage: str = "read", done: int | None = None,
               total: int | None = None, size: int | None = None, path=None, **detail) -> None:
        if stage == "collect":
            self.files = self.files or self.bar.add_task("unpacking inputs", total=None, detail="")
            return
        if stage == "read":
            if self.files is None:
                self.files = self.bar.add_task("artifacts", total=total, detail="")
            self.bar.update(self.files, description="artifacts", total=total, completed=done or 0,
                            detail=f"{done or 0}/{total}" if total is not None else "")
            name = message.split("] ", 1)[-1]
            self.size, self.path = int(size or 0), (str(path) if path else None)
            label = name if len(name) <= 40 else "…" + name[-39:]
            if self.current is None:
                self.current = self.bar.add_task(label, total=self.size or None, detail="")
            self.bar.update(self.current, description=label, total=self.size or None, completed=0,
                            detail=self._bytes(0, self.size) if self.size else "")
            return
        if stage == "rules":
            self.path = None
            if self.files is not None:
                self.bar.update(self.files, completed=total or done or 0,
                                detail=f"{total}/{total}" if total is not None else "")
            if self.current is not None:
                self.bar.remove_task(self.current)
                self.current = None
            self.rules = self.bar.add_task("knowledge packs", total=None, detail="running rules")

    def _watch(self) -> None:
        while not self._stop.wait(self._poll):
            path, task, size = self.path, self.current, self.size
            if not path or task is None or not size:
                continue
            position = read_position(path)
            if position is not None and self.path == path:
                self.bar.update(task, completed=min(position, size), detail=self._bytes(min(position, size), size))

    def close(self) -> None:
        self._stop.set()
        self._watcher.join(timeout=1)
        self.bar.stop()
