"""``hakb batch``: many bundles, each diagnosed as its own case, on this machine or a Dask cluster.

Only click is imported here; the work (:mod:`hakb.batch`) is imported when the command runs.
"""

from __future__ import annotations

import json
import sys

import click

FAIL_LEVELS = ("critical", "error", "warning", "info", "never")


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes on this machine.  [default: the number of cores]")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where the bundles are diagnosed: worker processes here, or the workers of an "
                   "existing Dask cluster (needs --scheduler and the hakb[dask] extra).")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --executor dask: the scheduler, e.g. tcp://10.0.0.5:8786.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: a table; json: one JSON object per bundle and line, as each finishes.")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default="warning", show_default=True,
              help="Exit 1 when a bundle has a finding at or above this severity.")
@click.option("--host", metavar="NAME", help="Host for files whose path names none.")
@click.option("--rule-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              metavar="SECONDS", help="Time limit of each bundle's knowledge packs.")
@click.option("--no-save", is_flag=True, help="Do not store the cases.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar on stderr.")
@click.option("--db", metavar="PATH", envvar="HAKB_DB",
              help="Case database (default: HAKB_DB, else the user's data folder).")
def batch(paths, jobs, executor, scheduler, fmt, fail_on, host, rule_timeout, no_save, quiet, db) -> None:
    """Diagnose many bundles, each as its own case, in parallel.

    \b
    PATHS: one folder of bundles (each entry in it is a bundle), several bundles (folders,
    archives, files), or glob patterns such as 'tickets/*.tgz'.
        hakb batch incoming/                      # every bundle in incoming/
        hakb batch --jobs 4 a.tgz b.tgz c/        # three bundles, four workers
        hakb batch --format json 'cases/*.zip'    # JSON lines for scripts
        hakb batch --executor dask --scheduler tcp://sched:8786 /share/bundles/
    Each case is saved (one writer: this process) and listed by `hakb cases`.

    \b
    Exit status, over the worst bundle: 1 a finding at or above --fail-on, else 2 a bundle
    could not be diagnosed, else 3 a diagnosis is incomplete (a pack or parser failed or hit a
    limit: "no known fault" then does not mean healthy), else 0.
    """
    from hakb.batch import (BatchError, DaskExecutor, LocalExecutor, Options, batch_exit_code,
                            bundles_of, run_batch)

    try:
        bundles = bundles_of(list(paths))
        if executor == "dask":
            if not scheduler:
                raise click.UsageError("--executor dask needs --scheduler ADDRESS")
            runner = DaskExecutor(scheduler)
        else:
            if scheduler:
                raise click.UsageError("--scheduler only goes with --executor dask")
            runner = LocalExecutor(jobs)
    except BatchError as exc:
        raise click.ClickException(str(exc)) from None
    store = None
    if not no_save:
        from pathlib import Path

        from hakb.store import Store, default_path
        store = Store(Path(db) if db else default_path())
        store.check_writable()
    results = []
    progress = _progress(len(bundles)) if not quiet and sys.stderr.isatty() else None
    try:
        for result in run_batch(bundles, runner, Options(rule_timeout=rule_timeout, host=host)):
            if store is not None and result.case is not None:
                store.save(result.case)
            results.append(result)
            if fmt == "json":
                click.echo(json.dumps(result.as_dict(fail_on), ensure_ascii=False))
            if progress is not None:
                progress.advance(result.bundle)
    except BatchError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        if progress is not None:
            progress.close()
    if fmt == "text":
        _table(sorted(results, key=lambda r: bundles.index(r.bundle)), fail_on)
    sys.exit(batch_exit_code(results, fail_on))


class _progress:
    """A bar over bundles on stderr (rich), removed when the batch ends."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("bundles"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), TextColumn("{task.fields[last]}"),
                            console=Console(stderr=True), transient=True)
        self.task = self.bar.add_task("bundles", total=total, last="")
        self.bar.start()

    def advance(self, bundle: str) -> None:
        self.bar.update(self.task, advance=1, last=bundle[-40:])

    def close(self) -> None:
        self.bar.stop()


def _table(results, fail_on: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("bundle", "worst", "findings", "status", "case"):
        table.add_column(column, overflow="fold")
    for result in results:
        status = result.status(fail_on)
        if result.error:
            status += f": {result.error}"
        table.add_row(result.bundle, result.worst() or "-",
                      str(len(result.case.findings)) if result.case is not None else "-",
                      status, getattr(result.case, "case_id", None) or "-")
    console = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 200,
                      no_color=not sys.stdout.isatty())
    console.print(table, markup=False)
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status(fail_on)] = counts.get(result.status(fail_on), 0) + 1
    console.print(f"{len(results)} bundle(s): " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())),
                  markup=False)
