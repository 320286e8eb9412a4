"""``hakb triage``: a guided session that asks for exactly what the knowledge could not decide."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from hakb.cli.common import Size, colour_for, db_option, dumps, echo, open_store, root_obj, setting
from hakb.config import FAIL_LEVELS


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
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option("--symptom", metavar="TEXT", help="The ticket's words: candidate faults come from them.")
@click.option("--resume", metavar="CASE", help="Continue a saved case (an id, a prefix, or 'latest').")
@click.option("--answers", "answers_file", metavar="FILE",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML or JSON: question id -> answer, or a file holding the pasted output.")
@click.option("--host", metavar="NAME", help="Host for files whose path names none.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: never asks; prints one object (the report and its open questions).")
@click.option("--fail-on", type=click.Choice(FAIL_LEVELS), default=lambda: setting("fail_on"),
              help="Exit 1 when a finding (not silenced) is at or above this severity at the end.  "
                   "[default: warning, or fail_on in the config file]")
@click.option("--max-unpacked", type=Size(), default=None, metavar="SIZE",
              help="Refuse archives that unpack to more than this (500M, 20G).  [default: 20G]")
@click.option("--rule-timeout", type=click.FloatRange(min=0.1), default=lambda: setting("rule_timeout"),
              metavar="SECONDS", help="Time limit of each run of the rules.  [default: 10, or "
                                      "rule_timeout in the config file]")
@db_option
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
    from hakb.bundle import Limits
    from hakb.cli.diagnose import exit_code
    from hakb.triage import Triage
    from hakb.triage_terminal import Dialogue

    if resume and (paths or symptom):
        raise click.UsageError("--resume continues a saved case; give PATHS or --symptom only "
                               "when starting one")
    answers = read_answers(answers_file) if answers_file else {}
    store = open_store(db)
    store.check_writable()
    if resume:
        session = Triage.resume(store, resume, rule_timeout=rule_timeout)
    else:
        limits = Limits(max_total_bytes=max_unpacked) if max_unpacked else Limits()
        session = Triage.start(store, list(paths), symptom=symptom or "", host=host, limits=limits,
                               rule_timeout=rule_timeout)
    root_obj()["saved"] = session.case_id
    interactive = fmt == "text" and (sys.stdin.isatty() or not answers_file)
    to_stderr = fmt == "json"  # the dialogue's lines; stdout carries the one JSON object
    dialogue = Dialogue(session, interactive=interactive, colour=colour_for(err=to_stderr),
                        say=lambda text: echo(text, err=to_stderr, raw=True))
    try:
        outcome = dialogue.run(answers)
    except KeyboardInterrupt:
        session.save("stopped")
        echo(f"\nhakb: interrupted; {len(session.answers)} answer(s) kept in case "
             f"{session.case_id}; `hakb triage --resume {session.case_id}` continues", err=True)
        sys.exit(130)
    session.save("done" if outcome == "done" else "stopped")
    report = _report(session, store)
    _finish(session, report, fmt, answers)
    sys.exit(exit_code(report, fail_on))


def _report(session, store) -> dict:
    from hakb.acks import annotate_from

    return annotate_from(store, session.report())


def _finish(session, report: dict, fmt: str, answers: dict) -> None:
    from hakb.report import render
    from hakb.safetext import terminal

    unused = sorted(set(answers) - {a.question for a in session.answers}
                    - {qid for qid, e in session.asked.items() if e["status"] == "skipped"})
    if fmt == "json":
        echo(dumps({**report, "triage": session.summary()}), raw=True)
    else:
        echo("")
        echo(render("text", report, colour=colour_for()), raw=True)
        still = session.questions(include_answered=True, include_skipped=True)
        if still:
            echo("")
            echo("Open questions (answer them with --resume, or in an answers file by id):")
            for question in still:
                echo(f"  {question.id}  {terminal(question.prompt())}", raw=True)
        echo("")
        echo(f"Case {session.case_id} saved with {len(session.answers)} answer(s). "
             f"`hakb triage --resume {session.case_id}` continues; `hakb show {session.case_id}` "
             "prints it.")
    if unused:
        echo(f"hakb: the answers file answers no open question for: {', '.join(unused)}", err=True)
