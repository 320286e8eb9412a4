"""``hakb triage``: a guided session that asks for exactly what the knowledge could not decide."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from hakb.bundle import Limits
from hakb.isolation import DEFAULT_TIMEOUT
from hakb.knowledge import SEVERITIES

FAIL_LEVELS = ("critical", "error", "warning", "info", "never")


def _colour() -> bool:
    """Colour on a terminal, unless NO_COLOR is set or TERM is dumb."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _exit_status(report: dict, fail_on: str) -> int:
    if fail_on == "never":
        return 0
    threshold = SEVERITIES.index(fail_on)
    return 1 if any(SEVERITIES.index(f["severity"]) <= threshold for f in report["findings"]
                    if not f.get("silenced")) else 0


def read_answers(path: Path) -> dict[str, str | None]:
    """An answers file: YAML or JSON, question id -> answer text, or a path (relative to the
    file's folder) whose content is the pasted output, or ``skip``/null."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise click.BadParameter(f"cannot read {path}: {exc}", param_hint="--answers")
    except yaml.YAMLError as exc:
        raise click.BadParameter(f"{path} is neither YAML nor JSON: {exc}".splitlines()[0],
                                 param_hint="--answers")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise click.BadParameter(f"{path} must map question ids to answers", param_hint="--answers")
    answers: dict[str, str | None] = {}
    for key, value in data.items():
        if value is not None and not isinstance(value, (str, int, float, bool)):
            raise click.BadParameter(f"{path}: the answer to {key!r} must be text or a file path",
                                     param_hint="--answers")
        text = None if value is None else str(value)
        if text and "\n" not in text and len(text) < 4096:
            candidate = (path.parent / text).expanduser()
            try:
                if candidate.is_file():
                    text = candidate.read_text(encoding="utf-8", errors="replace")
            except OSError:
                pass
        answers[str(key)] = text
    return answers


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--symptom", metavar="TEXT", help="The ticket's words: candidate faults come from them.")
@click.option("--resume", metavar="CASE", help="Continue a saved case (an id, a prefix, or 'latest').")
@click.option("--answers", "answers_file", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML or JSON: question id -> answer, or a file holding the pasted output.")
@click.option("--host", metavar="NAME", help="Host for files whose path names none.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: never asks; prints one object (the report and its open questions).")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default="warning", show_default=True,
              help="Exit 1 when a finding (not silenced) is at or above this severity at the end.")
@click.option("--max-unpacked", type=int, default=Limits.max_total_bytes, show_default=True,
              metavar="BYTES", help="Refuse archives that unpack to more than this.")
@click.option("--rule-timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True, metavar="SECONDS", help="Time limit of each run of the rules.")
@click.option("--db", metavar="PATH", envvar="HAKB_DB",
              help="Case database (default: HAKB_DB, else the user's data folder).")
def triage(paths, symptom, resume, answers_file, host, fmt, fail_on, max_unpacked, rule_timeout, db) -> None:
    """Find the fault with questions: what was collected, or nothing, or the ticket's words.

    \b
    hakb shows the findings so far and, for every check its rules could not decide, asks for
    exactly what is missing: a command to run on a host and its pasted output (read like any
    collected file), or a short answer. It reasons again after each answer, until every check
    is decided or you stop. At a question: ? why it is asked, skip, back, stop; a paste ends
    with a line holding only "." (or Ctrl-D); @FILE pastes a file. Ctrl-C keeps every answer.

    \b
        hakb triage esx01-vm-support.tgz
        hakb triage --symptom "Transporter FETCH parse error"
        hakb triage --resume latest
        hakb triage bundle/ --answers answers.yaml     # question id -> text or file
        hakb triage bundle/ --format json              # the open questions and their ids

    \b
    The case is saved after every answer (questions, answers, findings): `hakb show CASE`.
    Without a terminal (a pipe), answers are read one line at a time; end of input stops.
    Exit status as `hakb diagnose`: 0, 1 (a finding at or above --fail-on), 2 bad input.
    """
    from hakb.store import Store, default_path
    from hakb.triage import Triage
    from hakb.triage_terminal import Dialogue

    if resume and (paths or symptom):
        raise click.UsageError("--resume continues a saved case; give PATHS or --symptom only "
                               "when starting one")
    answers = read_answers(answers_file) if answers_file else {}
    store = Store(Path(db) if db else default_path())
    store.check_writable()
    if resume:
        session = Triage.resume(store, resume, rule_timeout=rule_timeout)
    else:
        session = Triage.start(store, list(paths), symptom=symptom or "", host=host,
                               limits=Limits(max_total_bytes=max_unpacked), rule_timeout=rule_timeout)
    click.get_current_context().obj["saved"] = session.case_id
    interactive = fmt == "text" and (sys.stdin.isatty() or not answers_file)
    to_stderr = fmt == "json"
    dialogue = Dialogue(session, interactive=interactive,
                        colour=not to_stderr and _colour(),
                        say=(lambda text: click.echo(text, err=True)) if to_stderr else None)
    try:
        outcome = dialogue.run(answers)
    except KeyboardInterrupt:
        session.save("stopped")
        click.echo(f"\nhakb: interrupted; {len(session.answers)} answer(s) kept in case "
                   f"{session.case_id}; `hakb triage --resume {session.case_id}` continues", err=True)
        sys.exit(130)
    session.save("done" if outcome == "done" else "stopped")
    _finish(session, store, fmt, answers)
    sys.exit(_exit_status(_report(session, store), fail_on))


def _report(session, store) -> dict:
    from hakb.acks import annotate_from

    return annotate_from(store, session.report())


def _finish(session, store, fmt: str, answers: dict) -> None:
    from hakb.report import as_text

    report = _report(session, store)
    unused = sorted(set(answers) - {a.question for a in session.answers}
                    - {qid for qid, e in session.asked.items() if e["status"] == "skipped"})
    if fmt == "json":
        click.echo(json.dumps({**report, "triage": session.summary()}, indent=2, ensure_ascii=False))
    else:
        click.echo("")
        click.echo(as_text(report, colour=_colour()))
        still = session.questions(include_answered=True, include_skipped=True)
        if still:
            click.echo("")
            click.echo("Open questions (answer them with --resume, or in an answers file by id):")
            for question in still:
                click.echo(f"  {question.id}  {question.prompt()}")
        click.echo("")
        click.echo(f"Case {session.case_id} saved with {len(session.answers)} answer(s). "
                   f"`hakb triage --resume {session.case_id}` continues; `hakb show {session.case_id}` "
                   "prints it.")
    if unused:
        click.echo(f"hakb: the answers file answers no open question for: {', '.join(unused)}", err=True)
