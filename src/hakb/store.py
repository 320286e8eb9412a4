"""The case store: one SQLite file (via sqlite-utils) holding every diagnosis and a KB search index.

Tables: ``cases`` (one row a case, with the full JSON report so ``hakb show`` prints it again),
``artifacts``, ``facts`` (slots as JSON, with artifact and line), ``findings`` (with evidence),
``unverified``, ``kb_articles`` (full-text indexed) and ``meta`` (schema version).
A case is written in one transaction: an interrupted run leaves no half case.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Iterable

import sqlite_utils

from hakb.diagnosis import Diagnosis
from hakb.knowledge import Article

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 30_000


class StoreError(Exception):
    """The case database cannot be used; the message says why and what to do."""


def default_path() -> Path:
    """HAKB_DB, else the user's data directory (XDG_DATA_HOME, %LOCALAPPDATA%, ~/Library)."""
    if os.environ.get("HAKB_DB"):
        return Path(os.environ["HAKB_DB"])
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "hakb" / "cases.db"


class Store:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
            self.db = sqlite_utils.Database(conn)
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._prepare()
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc
        except OSError as exc:
            raise StoreError(f"cannot open case database {self.path}: {exc.strerror or exc}") from exc

    def _explain(self, exc: Exception) -> str:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return f"case database {self.path} is locked by another process; try again, or use --db"
        if "readonly" in text or "read-only" in text:
            return f"case database {self.path} is read-only; use --db to choose a writable file"
        if "not a database" in text or "malformed" in text:
            return f"{self.path} is not a readable hakb case database (corrupt?); move it away or use --db"
        return f"case database {self.path}: {text}"

    def _prepare(self) -> None:
        if self.db.journal_mode != "wal":
            try:
                self.db.enable_wal()
            except sqlite3.OperationalError:
                pass  # a read-only medium keeps its journal mode; writes will say so
        meta = self.db["meta"]
        version = None
        if meta.exists():
            row = next(self.db.query("select value from meta where key = 'schema_version'"), None)
            version = int(row["value"]) if row else None
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(f"case database {self.path} was written by a newer hakb (schema "
                             f"{version}, this hakb knows {SCHEMA_VERSION}); upgrade hakb or use --db")
        if version == SCHEMA_VERSION:
            return
        with self.db.atomic():
            self._create_tables()
            self.db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")

    def _create_tables(self) -> None:
        db = self.db
        db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
        db["cases"].create({
            "id": str, "created": str, "hakb_version": str, "inputs": str, "as_of": str,
            "worst_severity": str, "findings": int, "artifacts": int, "facts": int, "report": str,
        }, pk="id", if_not_exists=True)
        db["artifacts"].create({
            "case_id": str, "path": str, "host": str, "parser": str, "status": str, "message": str,
            "facts": int}, foreign_keys=[("case_id", "cases", "id")], if_not_exists=True)
        db["facts"].create({
            "case_id": str, "fid": int, "type": str, "host": str, "artifact": str, "line": int,
            "text": str, "slots": str}, foreign_keys=[("case_id", "cases", "id")], if_not_exists=True)
        db["findings"].create({
            "case_id": str, "position": int, "id": str, "key": str, "title": str, "severity": str,
            "kind": str, "confidence": float, "summary": str, "evidence": str, "remediation": str,
            "refs": str, "story": int, "related": str},
            foreign_keys=[("case_id", "cases", "id")], if_not_exists=True)
        db["unverified"].create({
            "case_id": str, "rule": str, "check_text": str, "collect": str, "host": str},
            foreign_keys=[("case_id", "cases", "id")], if_not_exists=True)
        for table in ("artifacts", "facts", "findings", "unverified"):
            db[table].create_index(["case_id"], if_not_exists=True)
        db["cases"].create_index(["created"], if_not_exists=True)
        db["kb_articles"].create({
            "id": str, "pack": str, "title": str, "severity": str, "kind": str, "products": str,
            "body": str, "path": str}, pk="id", if_not_exists=True)
        if not db["kb_articles"].detect_fts():
            db["kb_articles"].enable_fts(["id", "title", "products", "body"], create_triggers=True)

    # -- cases -------------------------------------------------------------------------------

    def save(self, case: Diagnosis) -> None:
        """Write the whole case in one transaction."""
        report = case.as_dict()
        try:
            with self.db.atomic():
                self.db["cases"].insert({
                    "id": case.case_id, "created": report["created"],
                    "hakb_version": case.hakb_version, "inputs": json.dumps(case.inputs),
                    "as_of": report["as_of"], "worst_severity": case.worst_severity(),
                    "findings": len(case.findings), "artifacts": len(case.artifacts),
                    "facts": len(case.facts), "report": json.dumps(report)})
                self.db["artifacts"].insert_all(
                    {"case_id": case.case_id, **{k: a.as_dict()[k] for k in
                     ("path", "host", "parser", "status", "message", "facts")}} for a in case.artifacts)
                self.db["facts"].insert_all(({
                    "case_id": case.case_id, "fid": fid, "type": f.type, "host": f.host,
                    "artifact": f.artifact, "line": f.line, "text": f.text,
                    "slots": json.dumps(dict(f.slots), default=str)} for fid, f in enumerate(case.facts)),
                    batch_size=500)
                self.db["findings"].insert_all({
                    "case_id": case.case_id, "position": i, "id": f.id, "key": f.key,
                    "title": f.title, "severity": f.severity, "kind": f.kind,
                    "confidence": f.confidence, "summary": f.summary,
                    "evidence": json.dumps([e.as_dict() for e in f.evidence]),
                    "remediation": json.dumps(f.remediation), "refs": json.dumps(f.references),
                    "story": f.story, "related": json.dumps(f.related)} for i, f in enumerate(case.findings))
                self.db["unverified"].insert_all({
                    "case_id": case.case_id, "rule": u.rule, "check_text": u.check,
                    "collect": u.collect, "host": u.host} for u in case.unverified)
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc

    def recent(self, limit: int = 20) -> list[dict]:
        return list(self.db.query(
            "select id, created, worst_severity, findings, artifacts, facts, inputs from cases "
            "order by created desc, id desc limit ?", [limit]))

    def resolve(self, case_ref: str) -> str:
        """A case id from an id, a unique prefix of one, or 'latest'."""
        if case_ref == "latest":
            row = next(self.db.query("select id from cases order by created desc, id desc limit 1"), None)
            if row is None:
                raise StoreError(f"no cases in {self.path} yet; run `hakb diagnose` first")
            return row["id"]
        rows = list(self.db.query("select id from cases where id like ? escape '\\' limit 3",
                                  [case_ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"]))
        if not rows:
            raise StoreError(f"no case {case_ref!r} in {self.path}; `hakb cases` lists them")
        if len(rows) > 1:
            raise StoreError(f"{case_ref!r} matches several cases; give more of the id")
        return rows[0]["id"]

    def report(self, case_ref: str) -> dict:
        case_id = self.resolve(case_ref)
        row = self.db["cases"].get(case_id)
        return json.loads(row["report"])

    def facts(self, case_ref: str) -> list[dict]:
        case_id = self.resolve(case_ref)
        return [{**row, "slots": json.loads(row["slots"])} for row in self.db.query(
            "select fid, type, host, artifact, line, text, slots from facts where case_id = ? "
            "order by fid", [case_id])]

    # -- knowledge search --------------------------------------------------------------------

    def index_articles(self, articles: Iterable[Article]) -> None:
        """Refresh the KB search index from the loaded articles."""
        rows = [{"id": a.id, "pack": a.pack, "title": a.title, "severity": a.severity,
                 "kind": a.kind, "products": ", ".join(a.products), "body": a.body,
                 "path": str(a.path)} for a in articles]
        with self.db.atomic():
            self.db["kb_articles"].delete_where()
            self.db["kb_articles"].insert_all(rows, pk="id", replace=True)

    def search_articles(self, query: str, limit: int = 20) -> list[dict]:
        return list(self.db["kb_articles"].search(
            query, columns=["id", "pack", "title", "severity", "kind"], limit=limit, quote=True))
