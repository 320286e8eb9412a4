"""The case store: one SQLite file (via sqlite-utils) holding every diagnosis and a KB search index.

Tables: ``cases`` (one row a case, with the full JSON report so ``hakb show`` prints it again),
``artifacts``, ``facts`` (slots as JSON, with artifact and line), ``findings`` (with evidence),
``unverified``, ``kb_articles`` (full-text indexed) and ``meta`` (schema version); for triage
``triage_cases`` (symptom, how many of the facts came from the bundle), ``triage_questions`` and
``triage_answers``; ``acks`` (findings acknowledged or silenced, by fault id, key and host).

Several ``hakb diagnose`` processes may write one file at once: it runs in WAL mode with a busy
timeout, and every write transaction takes the write lock up front (``BEGIN IMMEDIATE``) so
writers queue instead of failing. A case is written in one transaction: an interrupted run leaves
no half case. A database from an older hakb is migrated in place (:data:`MIGRATIONS`) and its
schema version recorded; one that is locked, read-only, corrupt or newer gives a :class:`StoreError`
saying what to do.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from datetime import datetime
from typing import TYPE_CHECKING, Iterable, Iterator
from urllib.parse import quote

import sqlite_utils

if TYPE_CHECKING:  # listing cases needs neither the engine nor the knowledge
    from hakb.diagnosis import Diagnosis
    from hakb.knowledge import Article

#: Layout of the database. 1: cases, artifacts, facts, findings, unverified, kb_articles, meta.
#: 2: cases.problems (parser, archive and pack errors of the case, for listings without the report).
#: 3: triage_cases, triage_questions, triage_answers, acks.
SCHEMA_VERSION = 3
#: Milliseconds a writer waits for another (HAKB_DB_TIMEOUT, in seconds, overrides).
BUSY_TIMEOUT_MS = 30_000
_OUR_TABLES = ("cases", "artifacts", "facts", "findings", "unverified")


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


def busy_timeout_ms() -> int:
    raw = os.environ.get("HAKB_DB_TIMEOUT")
    try:
        return max(0, int(float(raw) * 1000)) if raw else BUSY_TIMEOUT_MS
    except ValueError:
        return BUSY_TIMEOUT_MS


def _problems(report: dict) -> int:
    """Errors a case recorded: archive and parser errors of artifacts, pack and engine errors."""
    return (sum(1 for a in report.get("artifacts", []) if a.get("status") == "error")
            + len(report.get("errors", [])))


class Store:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.timeout_ms = busy_timeout_ms()
        if str(path) == ":memory:":  # a scratch index (``hakb kb search``): no file at all
            self.db = sqlite_utils.Database(memory=True)
            self._create_tables()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=self.timeout_ms / 1000)
            self.db = sqlite_utils.Database(conn)
            self.db.execute(f"PRAGMA busy_timeout = {self.timeout_ms}")
            self._prepare()
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc
        except OSError as exc:
            raise StoreError(f"cannot open case database {self.path}: {exc.strerror or exc}; "
                             "use --db to choose another file") from exc

    @classmethod
    def open_existing(cls, path: Path) -> "Store | None":
        """The database at ``path`` opened read-only, for commands that only read; None when
        there is none. Never creates a file or folder (an older schema is upgraded in place)."""
        path = Path(path)
        if not path.is_file():
            return None
        store = cls.__new__(cls)
        store.path, store.timeout_ms = path, busy_timeout_ms()
        try:
            conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True,
                                   timeout=store.timeout_ms / 1000)
            store.db = sqlite_utils.Database(conn)
            store.db.execute(f"PRAGMA busy_timeout = {store.timeout_ms}")
            version = store._version()
        except sqlite3.DatabaseError as exc:
            raise StoreError(store._explain(exc)) from exc
        if version is not None and version < SCHEMA_VERSION:
            return cls(path)  # an older hakb's database: upgrade it, as any command would
        store._check_version(version)
        if version is None:
            raise StoreError(f"{path} is not a hakb case database (no schema version); use --db")
        return store

    def _explain(self, exc: Exception) -> str:
        text = str(exc)
        if "locked" in text or "busy" in text:
            return (f"case database {self.path} is locked by another process (waited "
                    f"{self.timeout_ms / 1000:g} s); try again, or use --db")
        if "readonly" in text or "read-only" in text:
            return f"case database {self.path} is read-only; use --db to choose a writable file"
        if "not a database" in text or "malformed" in text or "file is encrypted" in text:
            return f"{self.path} is not a readable hakb case database (corrupt?); move it away or use --db"
        if "unable to open" in text:
            return (f"cannot open case database {self.path} (is its folder writable?); "
                    "use --db to choose another file")
        if "disk is full" in text or "disk I/O" in text:
            return f"cannot write case database {self.path}: {text}; free space or use --db"
        return f"case database {self.path}: {text}"

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """A write transaction that takes the write lock at once (``BEGIN IMMEDIATE``).

        A deferred transaction that reads first can fail at once with "database is locked" when
        another writer commits in between (WAL cannot upgrade its snapshot); taking the lock up
        front makes concurrent writers wait their turn for up to the busy timeout instead.
        """
        conn = self.db.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def _version(self) -> int | None:
        if not self.db["meta"].exists():
            return None
        row = next(self.db.query("select value from meta where key = 'schema_version'"), None)
        return int(row["value"]) if row else None

    def _enable_wal(self) -> None:
        """Switch to WAL, retrying while other processes hold the database: the switch needs an
        exclusive lock, and SQLite may answer BUSY at once instead of waiting for it."""
        deadline = time.monotonic() + self.timeout_ms / 1000
        while self.db.journal_mode != "wal":
            try:
                self.db.enable_wal()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    return  # a read-only medium keeps its journal mode; writes will say so
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _prepare(self) -> None:
        self._enable_wal()
        version = self._version()
        if version == SCHEMA_VERSION:
            return
        if version is not None:
            # (with no version yet, the tables are looked at inside the transaction only: another
            # process may be creating them right now, and would be taken for a foreign database)
            self._check_version(version)
        with self._transaction():  # one process creates or migrates; the others wait, then see it
            version = self._version()
            self._check_version(version)
            if version is None:
                self._create_tables()
            else:
                for step in range(version, SCHEMA_VERSION):
                    MIGRATIONS[step](self)
            self.db["meta"].upsert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key")

    def _check_version(self, version: int | None) -> None:
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(f"case database {self.path} was written by a newer hakb (schema "
                             f"{version}, this hakb knows {SCHEMA_VERSION}); upgrade hakb or use --db")
        if version is None and any(self.db[t].exists() for t in _OUR_TABLES):
            raise StoreError(f"{self.path} has tables but no hakb schema version: not a hakb case "
                             "database; move it away or use --db")
        if version is not None and version not in MIGRATIONS and version != SCHEMA_VERSION:
            raise StoreError(f"case database {self.path} has schema {version}, which this hakb "
                             "cannot upgrade; use --db")

    def check_writable(self) -> None:
        """Raise StoreError now (before a long diagnosis) if a case could not be saved."""
        for target in (self.path, self.path.parent):
            if target.exists() and not os.access(target, os.W_OK):
                raise StoreError(f"case database {self.path} is read-only; use --db to choose a "
                                 "writable file")
        try:
            with self._transaction():
                pass
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc

    def _create_tables(self) -> None:
        db = self.db
        db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
        db["cases"].create({
            "id": str, "created": str, "hakb_version": str, "inputs": str, "as_of": str,
            "worst_severity": str, "findings": int, "artifacts": int, "facts": int, "report": str,
            "problems": int,
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
        self._create_triage_and_ack_tables()

    def _create_triage_and_ack_tables(self) -> None:
        db = self.db
        db["triage_cases"].create({
            "case_id": str, "symptom": str, "bundle_facts": int, "candidates": str, "status": str,
            "updated": str}, pk="case_id", if_not_exists=True)
        db["triage_questions"].create({
            "case_id": str, "position": int, "question_id": str, "kind": str, "rule": str,
            "check_text": str, "collect": str, "host": str, "ask": str, "choices": str,
            "topic": str, "answer_fact": str, "answer_slot": str, "title": str, "status": str,
            "answer": int, "source": str}, if_not_exists=True)
        db["triage_answers"].create({
            "case_id": str, "number": int, "question_id": str, "kind": str, "text": str,
            "created": str, "via": str}, if_not_exists=True)
        for table in ("triage_questions", "triage_answers"):
            db[table].create_index(["case_id"], if_not_exists=True)
        db["acks"].create({
            "id": int, "fault": str, "key": str, "host": str, "reason": str, "by": str,
            "created": str, "until": str, "case_id": str, "title": str, "removed": str,
            "removed_by": str}, pk="id", if_not_exists=True)
        db["acks"].create_index(["fault", "key"], if_not_exists=True)

    def _migrate_1_to_2(self) -> None:
        """Schema 1 -> 2: cases gain ``problems``, filled in from each stored report."""
        self.db.execute("ALTER TABLE cases ADD COLUMN problems INTEGER")
        for row in list(self.db.query("select id, report from cases")):
            try:
                count = _problems(json.loads(row["report"] or "{}"))
            except ValueError:
                count = None
            self.db.execute("UPDATE cases SET problems = ? WHERE id = ?", [count, row["id"]])

    def _migrate_2_to_3(self) -> None:
        """Schema 2 -> 3: tables for triage questions and answers, and acknowledgements."""
        self._create_triage_and_ack_tables()

    # -- cases -------------------------------------------------------------------------------
    # -- cases -------------------------------------------------------------------------------

    def save(self, case: Diagnosis, replace: bool = False, triage: dict | None = None) -> None:
        """Write the whole case in one transaction. ``replace``: the case was diagnosed again in
        place (triage), its old rows go; ``triage``: its questions and answers (see
        :meth:`_write_triage`), written in the same transaction."""
        report = case.as_dict()
        try:
            with self._transaction():
                if replace:
                    self._delete_case(case.case_id)
                self.db["cases"].insert({
                    "id": case.case_id, "created": report["created"],
                    "hakb_version": case.hakb_version, "inputs": json.dumps(case.inputs),
                    "as_of": report["as_of"], "worst_severity": case.worst_severity(),
                    "findings": len(case.findings), "artifacts": len(case.artifacts),
                    "facts": len(case.facts), "report": json.dumps(report),
                    "problems": _problems(report)})
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
                if triage is not None:
                    self._write_triage(case.case_id, triage)
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc

    def _delete_case(self, case_id: str) -> None:
        for table in ("artifacts", "facts", "findings", "unverified"):
            self.db.execute(f"DELETE FROM {table} WHERE case_id = ?", [case_id])
        self.db.execute("DELETE FROM cases WHERE id = ?", [case_id])

    def delete_case(self, case_id: str) -> None:
        """Remove a case and its triage state (a page upload of which nothing could be read)."""
        try:
            with self._transaction():
                self._delete_case(case_id)
                for table in ("triage_cases", "triage_questions", "triage_answers"):
                    self.db.execute(f"DELETE FROM {table} WHERE case_id = ?", [case_id])
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc

    # -- triage ------------------------------------------------------------------------------

    def _write_triage(self, case_id: str, triage: dict) -> None:
        """``triage``: symptom, bundle_facts (the first facts of the case are the bundle's, the
        rest came from answers), candidates, status, questions and answers (lists of dicts
        with the column names of ``triage_questions`` and ``triage_answers``)."""
        self.db["triage_cases"].upsert({
            "case_id": case_id, "symptom": triage.get("symptom") or "",
            "bundle_facts": int(triage["bundle_facts"]),
            "candidates": json.dumps(triage.get("candidates") or []),
            "status": triage.get("status") or "open", "updated": triage.get("updated") or ""},
            pk="case_id")
        for table in ("triage_questions", "triage_answers"):
            self.db.execute(f"DELETE FROM {table} WHERE case_id = ?", [case_id])
        self.db["triage_questions"].insert_all(
            {**q, "case_id": case_id, "position": i, "choices": json.dumps(list(q.get("choices") or []))}
            for i, q in enumerate(triage.get("questions") or []))
        self.db["triage_answers"].insert_all(
            {**a, "case_id": case_id} for a in triage.get("answers") or [])

    def save_triage(self, case_id: str, triage: dict) -> None:
        """Write only a case's triage state (an answer kept before the diagnosis that uses it)."""
        try:
            with self._transaction():
                self._write_triage(case_id, triage)
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc

    def triage(self, case_ref: str) -> dict | None:
        """What :meth:`_write_triage` stored for a case, or None for a case triage never saw."""
        case_id = self.resolve(case_ref)
        row = next(self.db.query("select * from triage_cases where case_id = ?", [case_id]), None)
        if row is None:
            return None
        questions = [{**q, "choices": json.loads(q["choices"] or "[]")} for q in self.db.query(
            "select * from triage_questions where case_id = ? order by position", [case_id])]
        answers = list(self.db.query(
            "select * from triage_answers where case_id = ? order by number", [case_id]))
        return {**row, "candidates": json.loads(row["candidates"] or "[]"),
                "questions": questions, "answers": answers}

    # -- acknowledgements --------------------------------------------------------------------

    def add_ack(self, ack: dict) -> int:
        """Store an acknowledgement (fault, key, host, reason, by, created, until, case_id,
        title); returns its number."""
        try:
            with self._transaction():
                table = self.db["acks"]
                table.insert({k: ack.get(k) for k in ("fault", "key", "host", "reason", "by", "created",
                                                      "until", "case_id", "title")})
                return int(table.last_pk)
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc

    def acks(self, include_removed: bool = False) -> list[dict]:
        """Acknowledgements, oldest first; without ``include_removed`` only those not removed."""
        where = "" if include_removed else "where removed is null"
        return list(self.db.query(f"select * from acks {where} order by id"))

    def remove_ack(self, number: int, by: str, when: str) -> dict:
        """Mark acknowledgement ``number`` removed (kept for the record); returns it."""
        row = next(self.db.query("select * from acks where id = ?", [number]), None)
        if row is None or row["removed"]:
            raise StoreError(f"no acknowledgement {number} in {self.path}; `hakb acks` lists them")
        try:
            with self._transaction():
                self.db.execute("UPDATE acks SET removed = ?, removed_by = ? WHERE id = ?",
                                [when, by, number])
        except sqlite3.DatabaseError as exc:
            raise StoreError(self._explain(exc)) from exc
        return {**row, "removed": when, "removed_by": by}

    def recent(self, limit: int = 20, host: str | None = None, fault: str | None = None,
               since: datetime | None = None, until: datetime | None = None) -> list[dict]:
        """Cases newest first, each with its worst finding (id, title), hosts and inputs (lists),
        filtered by host (short name or FQDN), fault id and creation time."""
        where, params = [], []
        if host:
            where.append("exists (select 1 from artifacts a where a.case_id = c.id and "
                         "(lower(a.host) = lower(?) or lower(a.host) like lower(?) || '.%'))")
            params += [host, host]
        if fault:
            where.append("exists (select 1 from findings f where f.case_id = c.id and f.id = ?)")
            params.append(fault)
        if since:
            where.append("c.created >= ?")
            params.append(_utc(since))
        if until:
            where.append("c.created < ?")
            params.append(_utc(until))
        rows = self.db.query(
            "select c.id, c.created, c.worst_severity, c.findings, c.artifacts, c.facts, c.problems, "
            "c.inputs, (select f.id from findings f where f.case_id = c.id order by f.position "
            "limit 1) as worst_id, (select f.title from findings f where f.case_id = c.id order by "
            "f.position limit 1) as worst_title, (select group_concat(h, char(10)) from (select "
            "distinct a.host as h from artifacts a where a.case_id = c.id and a.host is not null "
            "and a.host != '' order by a.host)) as hosts from cases c"
            + (" where " + " and ".join(where) if where else "")
            + " order by c.created desc, c.id desc limit ?", [*params, limit])
        result = []
        for row in rows:
            try:
                inputs = json.loads(row["inputs"] or "[]")
            except ValueError:
                inputs = [row["inputs"]]
            result.append({**row, "inputs": inputs,
                           "hosts": row["hosts"].split("\n") if row["hosts"] else []})
        return result

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

    def export(self, case_ref: str) -> dict:
        """The stored case as one JSON-able dict: the report plus its facts (for ``hakb export``)."""
        report = self.report(case_ref)
        facts = [{k: v for k, v in row.items()} for row in self.facts(case_ref)]
        return {**report, "facts": facts}

    # -- knowledge search --------------------------------------------------------------------

    def index_articles(self, articles: Iterable[Article]) -> None:
        """Refresh the KB search index from the loaded articles."""
        rows = [{"id": a.id, "pack": a.pack, "title": a.title, "severity": a.severity,
                 "kind": a.kind, "products": ", ".join(a.products), "body": a.body,
                 "path": str(a.path)} for a in articles]
        with self._transaction():
            self.db["kb_articles"].delete_where()
            self.db["kb_articles"].insert_all(rows, pk="id", replace=True)

    def search_articles(self, query: str, limit: int = 20) -> list[dict]:
        return list(self.db["kb_articles"].search(
            query, columns=["id", "pack", "title", "severity", "kind"], limit=limit, quote=True))


def _utc(moment: datetime) -> str:
    """A moment as cases store their creation time (ISO, UTC, seconds), for comparing."""
    from datetime import timezone

    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


#: Upgrade steps: MIGRATIONS[n] turns schema n into n + 1, in place, inside one transaction.
MIGRATIONS = {1: Store._migrate_1_to_2, 2: Store._migrate_2_to_3}
