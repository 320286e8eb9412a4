"""Shell completion of case ids, fault ids, article ids and hosts (click's shell_complete).

Completion runs on every Tab, so each callback reads as little as it can and never fails:
anything that goes wrong completes nothing.
"""

from __future__ import annotations

from click.shell_completion import CompletionItem


def _store(ctx):
    from hakb.cli.common import store_path
    from hakb.store import Store

    return Store.open_existing(store_path(ctx.params.get("db")))


def complete_case(ctx, param, incomplete: str) -> list[CompletionItem]:
    try:
        store = _store(ctx)
        rows = store.recent(200) if store else []
    except Exception:
        return []
    items = [CompletionItem(r["id"], help=r["worst_title"] or "no finding") for r in rows
             if r["id"].startswith(incomplete)]
    if "latest".startswith(incomplete):
        items.insert(0, CompletionItem("latest", help="the newest case"))
    return items


def complete_article(ctx, param, incomplete: str) -> list[CompletionItem]:
    try:
        from hakb.cli.kb import load_articles

        articles = load_articles()
    except Exception:
        return []
    return [CompletionItem(a.id, help=a.title) for a in sorted(articles.values(), key=lambda a: a.id)
            if a.id.startswith(incomplete)]


#: Fault ids are article ids (a finding's id names its article).
complete_fault = complete_article


def complete_host(ctx, param, incomplete: str) -> list[CompletionItem]:
    try:
        store = _store(ctx)
        if store is None:
            return []
        rows = store.db.query("select distinct host from artifacts where host like ? escape '\\' "
                              "order by host limit 200",
                              [incomplete.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"])
        return [CompletionItem(r["host"]) for r in rows if r["host"]]
    except Exception:
        return []
