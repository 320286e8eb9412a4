"""``hakb diagnose``: inputs in, report out, the case saved."""

from __future__ import annotations

import sys

import click

from hakb.cli.common import (archive_limit_options, archive_limits, check_writable, colour_for,
                             db_option, echo, emit, open_store, parse_moment, root_obj, setting)
from hakb.config import FAIL_LEVELS
from hakb.report import FORMAT_NAMES
from hakb.safetext import one_line

SEVERITY_ORDER = ("critical", "error", "warning", "info")


def exit_code(report: dict, fail_on: str) -> int:
    """1 a finding at or above ``fail_on`` (acknowledged ones, hakb ack, do not count); else 3
    when the diagnosis is incomplete; else 0."""
    if fail_on != "never":
        threshold = SEVERITY_ORDER.index(fail_on)
        if any(SEVERITY_ORDER.index(f["severity"]) <= threshold for f in report["findings"]
               if not f.get("silenced")):
            return 1
    return 0 if report.get("complete", True) else 3


def plugins_with(pack_dirs):
    """The installed plugins, plus the pack folders given with --pack (None: just the
    installed ones, as diagnose loads them itself)."""
    if not pack_dirs:
        return None
    from pathlib import Path

    from hakb.plugin_manager import add_pack_folders, get_plugin_manager

    pm = get_plugin_manager()
    add_pack_folders(pm, [Path(d) for d in pack_dirs])
    return pm


def article_help(report: dict) -> dict[str, dict]:
    """For SARIF rules: each fault's article, written with placeholders (no case values) in the
    knowledge worker."""
    from hakb.cli.kb import load_knowledge

    wanted = {f["id"] for f in report["findings"]}
    try:
        knowledge = load_knowledge(texts={fault: (None, "") for fault in wanted})
    except Exception:  # no knowledge, no help text: the rules still carry title and summary
        return {}
    result = {}
    for fault in wanted & set(knowledge.texts):
        summary, body = knowledge.texts[fault]
        result[fault] = {"title": knowledge.articles[fault].title, "markdown": f"{summary}\n\n{body.strip()}"}
    return result


def print_report(report: dict, fmt: str, output: str | None, show_skipped: bool = False) -> None:
    """``report`` in ``fmt`` to stdout or ``output`` (shared by diagnose and show)."""
    from hakb.report import render

    if fmt == "text":
        text = render("text", report, colour=output is None and colour_for(), show_skipped=show_skipped)
        emit(text, output, raw=True)
        return
    articles = article_help(report) if fmt == "sarif" else None
    text = render(fmt, report, articles=articles)
    emit(text, output, raw=True)  # JSON, SARIF, Markdown and HTML escape for their own medium


format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMAT_NAMES), default="text", show_default=True,
    help="Report format: json prints exactly one JSON object (schema: hakb/schemas/"
         "report.schema.json), sarif a SARIF 2.1.0 log, html one self-contained page.")
show_skipped_option = click.option("--show-skipped", is_flag=True,
                                   help="List artifacts no parser recognised.")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--host", metavar="NAME", help="Host for files whose path names none (loose files, stdin).")
@format_option
@click.option("-o", "--output", metavar="FILE", help="Write the report to FILE instead of stdout "
              "(checked before the work starts).")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default=lambda: setting("fail_on"),
              help="Exit 1 when a finding is at or above this severity ('never': findings never do).  "
                   "[default: warning, or fail_on in the config file]")
@click.option("--as-of", metavar="WHEN", help="Judge time-based checks (certificate expiry) at this "
              "ISO time instead of the bundle's collection time.")
@click.option("--pack", "pack_dirs", multiple=True, metavar="DIR",
              type=click.Path(exists=True, file_okay=False),
              help="Also load the knowledge pack in folder DIR, not installed (repeatable): it is "
                   "vetted and run in the worker like any pack, and replaces an installed pack of "
                   "the same name. For trying rules before a release.")
@click.option("--no-save", is_flag=True, help="Do not store the case (the report then has no case id).")
@show_skipped_option
@archive_limit_options
# The default is stated in the help; a test keeps it equal to hakb.isolation.DEFAULT_TIMEOUT.
@click.option("--rule-timeout", type=click.FloatRange(min=0.1), default=lambda: setting("rule_timeout"),
              metavar="SECONDS",
              help="Stop a knowledge pack whose rules run longer than this (they run in a worker "
                   "process); it is reported failed and the other packs' findings are kept.  "
                   "[default: 10, or rule_timeout in the config file]")
@click.option("--rule-memory", type=click.IntRange(min=64), default=None, metavar="MIB",
              help="Memory the knowledge worker may use beyond what it starts with; a pack that "
                   "needs more is reported failed (where the system enforces RLIMIT_AS, as Linux "
                   "does).  [default: 2048]")
@click.option("--progress", "progress_mode", type=click.Choice(["auto", "bar", "plain", "none"]),
              default="auto", show_default=True,
              help="Progress on stderr: a bar on a terminal (auto), one line per stage (plain, "
                   "for logs), or none.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr (same as --progress none).")
@db_option
def diagnose(paths, host, fmt, output, fail_on, as_of, pack_dirs, no_save, show_skipped, max_unpacked,
             max_files, max_ratio, rule_timeout, rule_memory, progress_mode, quiet, db) -> None:
    """Diagnose collected artifacts and print the findings.

    \b
    PATHS are folders (searched recursively), files, .tgz/.tar.gz/.zip archives, or - for stdin.
    Files are recognised by content, whatever their name; files no parser knows are skipped.
    The host of a file comes from a vm-support folder (esx-<host>-<date>--<time>-<pid>/), a
    per-host subfolder (esx03/...), or --host.

    \b
    Exit status:
      0  every pack ran and no finding is at or above --fail-on
      1  a finding is at or above --fail-on (acknowledged findings, `hakb ack`, do not count)
      2  bad input, or nothing could be diagnosed (or the case could not be saved: the
         report is still printed)
      3  the diagnosis is incomplete (a pack or parser failed or hit a limit) and no finding
         is at or above --fail-on: "No known fault found" then does not mean healthy
    """
    from hakb.cli.progress import make_progress
    from hakb.diagnosis import diagnose as run

    check_writable(output)  # before the work: an unwritable -o must not cost a diagnosis
    when = parse_moment(as_of, "--as-of")
    limits = archive_limits(max_unpacked, max_files, max_ratio)
    store = None if no_save else open_store(db)  # open first: a broken database fails before the work
    if store is not None:
        store.check_writable()
    display = make_progress("none" if quiet else progress_mode)
    try:
        memory = {} if rule_memory is None else {"rule_memory": rule_memory}
        case = run(list(paths), host=host, limits=limits, progress=display.update if display else None,
                   as_of=when, rule_timeout=rule_timeout, pm=plugins_with(pack_dirs), **memory)
    finally:
        if display:
            display.close()
    from hakb.acks import annotate_from

    # Acknowledged findings (hakb ack) show as silenced; with --no-save the acknowledgements of
    # an existing database still apply (read-only: nothing is created; with no finding there is
    # nothing to silence, and the store is not even imported).
    acks_store = store
    if acks_store is None and case.findings:
        from hakb.store import StoreError

        try:
            acks_store = open_store(db, write=False)
        except StoreError:  # an unreadable database silences nothing; the report still comes
            acks_store = None
    report = annotate_from(acks_store, case.as_dict())
    save_error = None
    if store is not None:
        from hakb.store import StoreError  # only when saving: --no-save does without sqlite-utils

        try:
            store.save(case)
            root_obj()["saved"] = case.case_id
        except StoreError as exc:  # the work is not lost: the report is printed all the same
            save_error = exc
    if store is None or save_error:
        report = {**report, "case_id": None, "saved": False}
    print_report(report, fmt, output, show_skipped)
    if save_error:
        echo(f"hakb: error: the case was not saved: {one_line(str(save_error))} (the report "
             f"{'was written to ' + output if output else 'above'} is complete)", err=True)
        sys.exit(2)
    if not case.diagnosable:
        reason = ("no artifact was recognised" if not any(a.status == "parsed" for a in case.artifacts)
                  else "no knowledge pack could run")
        echo(f"hakb: nothing could be diagnosed: {reason} (the report lists what was skipped "
             "and why)", err=True)
        sys.exit(2)
    sys.exit(exit_code(report, fail_on))
