"""The ``hakb`` command line: small commands over the diagnosis pipe, the case store and the KB.

Exit codes: 0 nothing at or above --fail-on; 1 a finding is; 2 usage or input error (one line on
stderr, no traceback unless --debug).
"""

from __future__ import annotations

import json
import signal
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

import click

from hakb import __version__
from hakb.acks import annotate_from, open_existing
from hakb.bundle import InputError, Limits
from hakb.engine import EngineError
from hakb.isolation import DEFAULT_TIMEOUT as DEFAULT_RULE_TIMEOUT
from hakb.knowledge import SEVERITIES, KnowledgeError, load_knowledge
from hakb.plugin_manager import PluginError, describe, fact_schemas, get_plugin_manager, knowledge_packs
from hakb.report import FORMATS, as_text
from hakb.store import Store, StoreError, default_path

USER_ERRORS = (InputError, PluginError, StoreError, EngineError, KnowledgeError)
FAIL_LEVELS = ("critical", "error", "warning", "info", "never")


class HakbGroup(click.Group):
    """Turns every failure into one line and exit code 2; --debug shows the traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            saved = (ctx.obj or {}).get("saved")
            click.echo(f"hakb: interrupted; case {saved} was saved before" if saved
                       else "hakb: interrupted; nothing was saved", err=True)
            sys.exit(130)
        except USER_ERRORS as exc:
            self._fail(ctx, f"hakb: error: {exc}")
        except Exception as exc:  # anything else is a bug: say so in one line
            self._fail(ctx, f"hakb: internal error: {type(exc).__name__}: {exc} "
                            "(run again with --debug for the traceback)")

    @staticmethod
    def _fail(ctx: click.Context, message: str) -> None:
        if ctx.obj and ctx.obj.get("debug"):
            traceback.print_exc()
        click.echo(message, err=True)
        sys.exit(2)


def _store(db: str | None) -> Store:
    return Store(Path(db) if db else default_path())


def _parse_as_of(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter("use ISO form, e.g. 2026-11-20 or 2026-11-20T09:15:00Z",
                                 param_hint="--as-of")
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _emit(text: str, output: str | None) -> None:
    if output:
        target = Path(output)
        temporary = target.with_name(target.name + ".partial")
        try:
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(target)  # never leave a half-written report behind
        except OSError as exc:
            raise InputError(f"cannot write {output}: {exc.strerror or exc}") from exc
        finally:
            temporary.unlink(missing_ok=True)  # interrupted or failed: no .partial left over
    else:
        click.echo(text)


db_option = click.option("--db", metavar="PATH", envvar="HAKB_DB",
                         help="Case database (default: HAKB_DB, else the user's data folder).")


@click.group(cls=HakbGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hakb")
@click.option("--debug", is_flag=True, help="Show tracebacks of failures.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """hakb: which known fault is it, the evidence, and the fix.

    \b
    Point it at what you collected (folders, vm-support .tgz, .zip, single files, - for stdin):
        hakb diagnose esx-support.tgz esx03/ vmkfstools.txt
        hakb diagnose --format json bundle/ > case.json
        pbpaste | hakb diagnose --host esx01 -
    Every diagnosis is saved as a case: `hakb cases`, `hakb show latest`.
    """
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--host", metavar="NAME", help="Host for files whose path names none (loose files, stdin).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text",
              show_default=True, help="Report format; json prints exactly one JSON object.")
@click.option("-o", "--output", metavar="FILE", help="Write the report to FILE instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default="warning", show_default=True,
              help="Exit 1 when a finding is at or above this severity ('never': always 0).")
@click.option("--as-of", metavar="WHEN", help="Judge time-based checks (certificate expiry) at this "
              "ISO time instead of the bundle's collection time.")
@click.option("--no-save", is_flag=True, help="Do not store the case.")
@click.option("--show-skipped", is_flag=True, help="List artifacts no parser recognised.")
@click.option("--max-unpacked", type=int, default=Limits.max_total_bytes, show_default=True,
              metavar="BYTES", help="Refuse archives that unpack to more than this.")
@click.option("--max-files", type=int, default=Limits.max_files, show_default=True,
              help="Refuse archives with more members than this.")
@click.option("--max-ratio", type=float, default=Limits.max_ratio, show_default=True,
              help="Refuse archives that unpack to more than this many times their size (bombs).")
@click.option("--rule-timeout", type=click.FloatRange(min=0.1), default=DEFAULT_RULE_TIMEOUT,
              show_default=True, metavar="SECONDS",
              help="Stop a knowledge pack whose rules run longer than this (they run in a worker "
                   "process); it is reported failed and the other packs' findings are kept.")
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@db_option
def diagnose(paths, host, fmt, output, fail_on, as_of, no_save, show_skipped, max_unpacked,
             max_files, max_ratio, rule_timeout, quiet, db) -> None:
    """Diagnose collected artifacts and print the findings.

    \b
    PATHS are folders (searched recursively), files, .tgz/.tar.gz/.zip archives, or - for stdin.
    Files are recognised by content, whatever their name; files no parser knows are skipped.
    The host of a file comes from a vm-support folder (esx-<host>-<date>--<time>-<pid>/), a
    per-host subfolder (esx03/...), or --host.

    \b
    Exit status: 0 no finding at or above --fail-on, 1 at least one (acknowledged
    findings, `hakb ack`, do not count), 2 bad input or nothing
    could be diagnosed.
    """
    from hakb.diagnosis import diagnose as run

    limits = Limits(max_total_bytes=max_unpacked, max_files=max_files, max_ratio=max_ratio)
    store = None if no_save else _store(db)  # open first: a broken database fails before the work
    if store is not None:
        store.check_writable()
    progress = None
    if not quiet and sys.stderr.isatty():
        def progress(message: str) -> None:
            click.echo(f"\r\033[K{message[:120]}", err=True, nl=False)
    case = run(list(paths), host=host, limits=limits, progress=progress, as_of=_parse_as_of(as_of),
               rule_timeout=rule_timeout)
    if progress:
        click.echo("\r\033[K", err=True, nl=False)
    if store is not None:
        store.save(case)
        click.get_current_context().obj["saved"] = case.case_id
    report = annotate_from(store or open_existing(Path(db) if db else default_path()), case.as_dict())
    if fmt == "text":
        colour = output is None and sys.stdout.isatty()
        _emit(as_text(report, colour=colour, show_skipped=show_skipped), output)
    else:
        _emit(FORMATS[fmt](report), output)
    if not case.diagnosable:
        reason = ("no artifact was recognised" if not any(a.status == "parsed" for a in case.artifacts)
                  else "no knowledge pack could run")
        click.echo(f"hakb: nothing could be diagnosed: {reason} (the report lists what was skipped and why)", err=True)
        sys.exit(2)
    sys.exit(exit_code(report, fail_on))


def exit_code(report: dict, fail_on: str) -> int:
    if fail_on == "never":
        return 0
    threshold = SEVERITIES.index(fail_on)
    return 1 if any(SEVERITIES.index(f["severity"]) <= threshold for f in report["findings"]
                    if not f.get("silenced")) else 0  # acknowledged findings do not count


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plugins(as_json: bool) -> None:
    """List loaded plugins, their versions and the hooks each implements.

    HAKB_LOAD_PLUGINS=name,name limits which plugins load (empty: none).
    """
    pm = get_plugin_manager()
    infos = describe(pm)
    if as_json:
        rows = [{"name": i.name, "version": i.version, "hooks": list(i.hooks)} for i in infos]
        rows += [{"name": name, "version": pm.versions.get(name), "hooks": [], "error": message}
                 for name, message in sorted(pm.load_errors.items())]
        click.echo(json.dumps(rows, indent=2))
        return
    if not infos and not pm.load_errors:
        click.echo("No plugins loaded.")
    for info in infos:
        click.echo(f"{info.name} {info.version or ''}".rstrip())
        click.echo(f"  hooks: {', '.join(info.hooks) or '(none)'}")
    for name, message in sorted(pm.load_errors.items()):
        click.echo(f"{name}: NOT LOADED: {message}")


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def schemas(names, as_json: bool) -> None:
    """List fact types and their slots (what rules can match), e.g. `hakb schemas host-nic`."""
    found = fact_schemas(get_plugin_manager())
    chosen = [found[n] for n in sorted(found) if not names or n in names]
    unknown = sorted(set(names) - set(found))
    if unknown:
        raise click.BadParameter(f"no fact type {', '.join(unknown)}; `hakb schemas` lists them",
                                 param_hint="NAMES")
    if as_json:
        click.echo(json.dumps([{"name": s.name, "slots": dict(s.slots), "doc": s.doc} for s in chosen],
                              indent=2))
        return
    for schema in chosen:
        click.echo(f"{schema.name}: {schema.doc}".rstrip(": "))
        for slot, kind in schema.slots.items():
            click.echo(f"  {slot:24} {kind}")


@cli.command()
@click.option("-n", "--limit", default=20, show_default=True, help="How many cases.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def cases(limit: int, as_json: bool, db: str | None) -> None:
    """List recent cases, newest first."""
    rows = _store(db).recent(limit)
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo("No cases yet. Run `hakb diagnose PATH` first.")
    for row in rows:
        inputs = ", ".join(json.loads(row["inputs"] or "[]"))
        click.echo(f"{row['id']}  {row['created']}  {row['findings']} finding(s)"
                   f"  worst: {row['worst_severity'] or '-'}  {inputs}")


@cli.command()
@click.argument("case")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text",
              show_default=True)
@click.option("--facts", is_flag=True, help="Print the case's facts (JSON lines) instead of the report.")
@db_option
def show(case: str, fmt: str, facts: bool, db: str | None) -> None:
    """Print a stored case again. CASE is an id, a unique prefix of one, or 'latest'."""
    store = _store(db)
    if facts:
        for row in store.facts(case):
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    report = annotate_from(store, store.report(case))
    click.echo(as_text(report, colour=sys.stdout.isatty()) if fmt == "text" else FORMATS[fmt](report))


@cli.command()
@click.argument("case")
@click.option("--anonymize", is_flag=True,
              help="Replace host names, domains, IPs, MACs and user names with consistent pseudonyms.")
@click.option("-o", "--output", metavar="FILE", help="Write the export to FILE instead of stdout.")
@click.option("--map", "map_file", metavar="FILE",
              help="With --anonymize: write which pseudonym stands for what to FILE (keep it in-house).")
@db_option
def export(case: str, anonymize: bool, output: str | None, map_file: str | None, db: str | None) -> None:
    """Print a stored case as one JSON object (report and facts), e.g. to send to a vendor.

    \b
    Secrets were already redacted when the case was made. With --anonymize the same value
    always gets the same pseudonym (esx01 -> host-1 everywhere), so the diagnosis still reads;
    the replacement is heuristic: read the export before it leaves the company.
    """
    from hakb.anonymize import anonymize as make_anonymous

    if map_file and not anonymize:
        raise click.UsageError("--map only makes sense with --anonymize")
    data = _store(db).export(case)
    if anonymize:
        data, anonymizer = make_anonymous(data)
        if map_file:
            _emit(json.dumps(anonymizer.mapping(), indent=2, ensure_ascii=False), map_file)
    _emit(json.dumps(data, indent=2, ensure_ascii=False), output)


@cli.group()
def kb() -> None:
    """Browse and search the knowledge: articles of every loaded pack."""


def _knowledge():
    pm = get_plugin_manager()
    return load_knowledge(knowledge_packs(pm), fact_schemas(pm))


@kb.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def kb_list(as_json: bool) -> None:
    """List every article: id, severity, kind, title."""
    knowledge = _knowledge()
    articles = sorted(knowledge.articles.values(), key=lambda a: a.id)
    if as_json:
        click.echo(json.dumps([{"id": a.id, "pack": a.pack, "title": a.title, "severity": a.severity,
                                "kind": a.kind} for a in articles], indent=2))
        return
    for a in articles:
        click.echo(f"{a.id:40} {a.severity:8} {a.kind:18} {a.title}")
    for pack, problems in knowledge.errors.items():
        for problem in problems:
            click.echo(f"pack {pack} refused: {problem}", err=True)


@kb.command("show")
@click.argument("article_id")
def kb_show(article_id: str) -> None:
    """Print one article."""
    knowledge = _knowledge()
    article = knowledge.articles.get(article_id)
    if article is None:
        raise click.BadParameter(f"no article {article_id!r}; `hakb kb list` shows them",
                                 param_hint="ARTICLE_ID")
    click.echo(f"{article.title}  [{article.id}, {article.severity}, {article.kind}]")
    click.echo(article.body.strip())


@kb.command("search")
@click.argument("words", nargs=-1, required=True)
@db_option
def kb_search(words, db: str | None) -> None:
    """Full-text search over the articles, e.g. `hakb kb search file share witness`."""
    store = _store(db)
    store.index_articles(_knowledge().articles.values())
    rows = store.search_articles(" ".join(words))
    if not rows:
        click.echo("No article matches.")
    for row in rows:
        click.echo(f"{row['id']:40} {row['severity']:8} {row['title']}")


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--host", metavar="NAME", help="Host for files whose path names none.")
def parse(paths, host) -> None:
    """Print the facts parsers make of PATHS (JSON lines); for plugin authors."""
    import tempfile

    from hakb.bundle import collect
    from hakb.parsing import parse_artifact
    from hakb.plugin_manager import parsers

    pm = get_plugin_manager()
    schemas = fact_schemas(pm)
    available = parsers(pm, schemas)
    from hakb.hosts import assign_hosts

    with tempfile.TemporaryDirectory(prefix="hakb-") as workdir:
        inventory = collect(list(paths), Path(workdir))
        results = [parse_artifact(artifact, available, schemas) for artifact in inventory.artifacts]
        assign_hosts(results, default=host)
        for result in results:
            artifact = result.artifact
            click.echo(f"# {artifact.name}: {result.status} {result.parser or ''} {result.message or ''}",
                       err=True)
            for fact in result.facts:
                click.echo(json.dumps({"type": fact.type, "host": fact.host, "artifact": fact.artifact,
                                       "line": fact.line, "slots": dict(fact.slots), "text": fact.text},
                                      ensure_ascii=False, default=str))


# Commands in modules of their own (triage, acknowledgements, the triage page).
from hakb.ack_cli import ack, acks, unack  # noqa: E402
from hakb.serve_cli import serve  # noqa: E402
from hakb.triage_cli import triage  # noqa: E402

for _command in (triage, ack, acks, unack, serve):
    cli.add_command(_command)


def _terminated(signum, frame) -> None:
    raise KeyboardInterrupt  # a terminated run cleans up (temporary files, open case) like Ctrl-C


def main() -> None:
    signal.signal(signal.SIGTERM, _terminated)
    cli(prog_name="hakb")
