"""Case history: find stored cases by host, fault id or text, and compare two cases.

Reads the case store's tables (cases, artifacts, findings) with plain SQL; writes nothing.
Comparing tells, by fault id and key, which findings are new in the later case, which are gone
and which are unchanged, which is what a helpdesk asks after a fix: "is it still there?".
"""

from __future__ import annotations

import json


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_cases(store, text: str = "", host: str = "", fault: str = "", limit: int = 50) -> list[dict]:
    """Cases, newest first, whose artifacts name ``host``, whose findings include ``fault`` and
    whose id, inputs, findings (title, summary, key, evidence) or hosts contain ``text``
    (each case-insensitive and optional)."""
    where, args = [], []
    if host.strip():
        where.append("exists (select 1 from artifacts a where a.case_id = c.id and "
                     "lower(a.host) like lower(?) escape '\\')")
        args.append(_like(host.strip()))
    if fault.strip():
        where.append("exists (select 1 from findings f where f.case_id = c.id and "
                     "lower(f.id) like lower(?) escape '\\')")
        args.append(_like(fault.strip()))
    if text.strip():
        where.append("(lower(c.id) like lower(?) escape '\\' or lower(c.inputs) like lower(?) escape '\\' "
                     "or exists (select 1 from findings f where f.case_id = c.id and ("
                     "lower(f.title) like lower(?) escape '\\' or lower(f.summary) like lower(?) escape '\\' "
                     "or lower(f.key) like lower(?) escape '\\' or lower(f.evidence) like lower(?) escape '\\')) "
                     "or exists (select 1 from artifacts a where a.case_id = c.id and "
                     "lower(a.host) like lower(?) escape '\\'))")
        args += [_like(text.strip())] * 7
    clause = f"where {' and '.join(where)}" if where else ""
    rows = list(store.db.query(
        f"select c.id, c.created, c.worst_severity, c.findings, c.inputs from cases c {clause} "
        "order by c.created desc, c.id desc limit ?", [*args, limit]))
    for row in rows:
        row["inputs"] = json.loads(row["inputs"] or "[]")
        row["hosts"] = case_hosts(store, row["id"])
        row["titles"] = [r["title"] for r in store.db.query(
            "select title from findings where case_id = ? order by position", [row["id"]])]
    return rows


def case_hosts(store, case_id: str) -> list[str]:
    return [r["host"] for r in store.db.query(
        "select distinct host from artifacts where case_id = ? and host is not null and host != '' "
        "order by host", [case_id])]


def same_host_cases(store, case_id: str, limit: int = 20) -> list[dict]:
    """Other cases that share a host with ``case_id``, newest first."""
    hosts = case_hosts(store, case_id)
    if not hosts:
        return []
    marks = ", ".join("?" for _ in hosts)
    return list(store.db.query(
        f"select distinct c.id, c.created, c.worst_severity, c.findings from cases c join artifacts a "
        f"on a.case_id = c.id where a.host in ({marks}) and c.id != ? "
        "order by c.created desc, c.id desc limit ?", [*hosts, case_id, limit]))


def compare(older: dict, newer: dict) -> dict[str, list[dict]]:
    """Findings of ``newer`` that ``older`` lacks (new), the reverse (gone), and both (unchanged),
    matched by fault id and key."""
    def keyed(report):
        return {(f["id"], f.get("key", "")): f for f in report.get("findings", [])}

    before, after = keyed(older), keyed(newer)
    return {"new": [after[k] for k in after if k not in before],
            "gone": [before[k] for k in before if k not in after],
            "unchanged": [after[k] for k in after if k in before]}
