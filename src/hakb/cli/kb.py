"""``hakb kb``: list, read and search the articles of every loaded pack."""

from __future__ import annotations

import click

from hakb.cli.commands import KB_COMMANDS
from hakb.cli.common import colour_for, dumps, echo
from hakb.cli.completion import complete_article, complete_case
from hakb.cli.lazy import LazyGroup


def load_knowledge(texts: dict | None = None):
    """The checked knowledge of every loaded plugin (the one place commands load it from), read
    in the knowledge worker: no pack's front matter or template runs in this process. ``texts``
    asks for articles written out there ({id: (a case's values or None, key)})."""
    from hakb.isolation import read_knowledge
    from hakb.plugin_manager import fact_schemas, get_plugin_manager, knowledge_packs

    pm = get_plugin_manager()
    return read_knowledge(knowledge_packs(pm), fact_schemas(pm), texts=texts)


def load_articles() -> dict:
    return load_knowledge().articles


@click.group(cls=LazyGroup, lazy_subcommands=KB_COMMANDS)
def kb() -> None:
    """Browse and search the knowledge: articles of every loaded pack."""


@click.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def kb_list(as_json: bool) -> None:
    """List every article: id, severity, kind, title."""
    knowledge = load_knowledge()
    articles = sorted(knowledge.articles.values(), key=lambda a: a.id)
    if as_json:
        echo(dumps([{"id": a.id, "pack": a.pack, "title": a.title, "severity": a.severity,
                     "kind": a.kind} for a in articles]), raw=True)
        return
    for a in articles:
        echo(f"{a.id:40} {a.severity:8} {a.kind:18} {a.title}")
    for pack, problems in knowledge.errors.items():
        for problem in problems:
            echo(f"pack {pack} refused: {problem}", err=True)


def _case_values(case: str, article_id: str, db: str | None) -> tuple[dict, str, str]:
    """(values, key, case id) of the case's finding of ``article_id``."""
    from hakb.cli.cases import _existing_store

    store = _existing_store(db)
    report = store.report(case)
    found = [f for f in report["findings"] if f["id"] == article_id]
    if not found:
        raise click.BadParameter(f"case {report['case_id']} has no finding {article_id}",
                                 param_hint="--case")
    return found[0].get("values") or {}, found[0].get("key", ""), report["case_id"]


@click.command("show")
@click.argument("article_id", shell_complete=complete_article)
@click.option("--case", metavar="CASE", shell_complete=complete_case,
              help="Fill in the values of this case's finding (an id, a prefix, or 'latest').")
@click.option("--raw", is_flag=True, help="Print the article's Markdown (rendered templates) "
              "instead of formatting it for the terminal.")
@click.option("--db", metavar="PATH", envvar="HAKB_DB", help="Case database for --case.")
def kb_show(article_id: str, case: str | None, raw: bool, db: str | None) -> None:
    """Read one article, formatted for the terminal.

    Without --case, the places a case's values go are shown as placeholders (‹holder›).
    """
    values, key, case_id = _case_values(case, article_id, db) if case else (None, "", None)
    knowledge = load_knowledge(texts={article_id: (values, key)})
    article = knowledge.articles.get(article_id)
    if article is None:
        raise click.BadParameter(f"no article {article_id!r}; `hakb kb list` shows them",
                                 param_hint="ARTICLE_ID")
    summary, body = knowledge.texts.get(article_id, (article.title, ""))
    head = (f"{article.title}  [{article.id}, {article.severity}, {article.kind}"
            + (f", values of case {case_id}" if case_id else "") + "]")
    text = f"{summary}\n\n{body.strip()}\n"
    if raw:
        echo(f"{head}\n\n{text}")
        return
    echo(head + "\n" + render_terminal_markdown(text, colour_for()), raw=True)


def render_terminal_markdown(text: str, colour: bool) -> str:
    """Markdown laid out for a terminal by rich (plain text when not colouring)."""
    import io
    import shutil

    from rich.console import Console
    from rich.markdown import Markdown

    from hakb.safetext import terminal

    buffer = io.StringIO()
    width = min(shutil.get_terminal_size((100, 24)).columns, 100)
    console = Console(file=buffer, width=width, force_terminal=colour, no_color=not colour,
                      color_system="standard" if colour else None, highlight=False,
                      emoji=False, markup=False)
    console.print(Markdown(terminal(text), hyperlinks=False))
    return "\n".join(line.rstrip() for line in buffer.getvalue().rstrip("\n").splitlines())


@click.command("search")
@click.argument("words", nargs=-1, required=True)
@click.option("--db", hidden=True, help="Accepted for older scripts; searching uses no database.")
def kb_search(words, db) -> None:
    """Full-text search over the articles, e.g. `hakb kb search file share witness`."""
    from hakb.store import Store

    store = Store(":memory:")  # a scratch index: searching writes no file
    store.index_articles(load_articles().values())
    rows = store.search_articles(" ".join(words))
    if not rows:
        echo("No article matches.")
    for row in rows:
        echo(f"{row['id']:40} {row['severity']:8} {row['title']}")


@click.command("check")
@click.argument("folders", nargs=-1, type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON: {pack: [problem, ...]}.")
def kb_check(folders, as_json: bool) -> None:
    """Vet and compile knowledge packs and list every problem found; exit 1 if there is one.

    \b
    FOLDERS are pack folders (not installed: as `hakb diagnose --pack`); without them, every
    installed pack is checked. The check is the one diagnose makes, in the same worker: the
    rules load into CLIPS (functions outside the allow-list refuse the pack), every article's
    front matter is read, every template compiles and uses only names the pack's rules give
    (or its front matter declares under vars:), literal severities and confidences are valid,
    and a folder with no rules or articles is reported.
    """
    from pathlib import Path

    from hakb.isolation import read_knowledge
    from hakb.plugin_manager import PackFolder, fact_schemas, get_plugin_manager, knowledge_packs

    pm = get_plugin_manager()
    if folders:
        packs = [pack for folder in folders for pack in PackFolder(Path(folder)).hakb_knowledge_packs()]
    else:
        packs = knowledge_packs(pm)
    knowledge = read_knowledge(packs, fact_schemas(pm))
    problems = {pack.name: knowledge.errors.get(pack.name, []) for pack in packs}
    for source, messages in knowledge.errors.items():  # the engine's, if any
        problems.setdefault(source, messages)
    if as_json:
        echo(dumps(problems), raw=True)
    else:
        for pack in packs:
            count = sum(1 for a in knowledge.articles.values() if a.pack == pack.name)
            messages = problems[pack.name]
            echo(f"{pack.name}: {'REFUSED, ' + str(len(messages)) + ' problem(s)' if messages else f'ok, {count} article(s)'}")
            for message in messages:
                echo(f"  {message}")
        for source in set(problems) - {p.name for p in packs}:
            for message in problems[source]:
                echo(f"{source}: {message}")
    if any(problems.values()):
        raise SystemExit(1)
