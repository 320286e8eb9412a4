"""The case store under contention and damage, and the command line's failures: one line, exit 2,
traceback only with --debug; Ctrl-C leaves no half case and no temporary files."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from hakb.cli import cli
from hakb.store import SCHEMA_VERSION, Store
from hakb.testing import run_facts

ROOT = Path(__file__).resolve().parents[2]
LOCKED = ROOT / "facts" / "vmware" / "examples" / "locked-vmdk"
HAKB = [str(Path(sys.executable).parent / "hakb")]

needs_example = pytest.mark.skipif(not LOCKED.is_dir(), reason="facts/vmware/examples/locked-vmdk missing")


def env(tmp_path, **extra):
    values = {**os.environ, "HAKB_LOAD_PLUGINS": "vmware", "PYTHONDONTWRITEBYTECODE": "1"}
    values.pop("HAKB_DB", None)
    values.update({k: str(v) for k, v in extra.items()})
    return values


def cli_run(*args, **kwargs):
    return CliRunner().invoke(cli, list(args), **kwargs)


# -- store --------------------------------------------------------------------------------------


@needs_example
def test_eight_concurrent_diagnoses_write_one_fresh_database(tmp_path):
    db = tmp_path / "shared.db"
    processes = [subprocess.Popen(HAKB + ["diagnose", "-q", "--db", str(db), "--format", "json", str(LOCKED)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env(tmp_path))
                 for _ in range(8)]
    outputs = [p.communicate(timeout=120) for p in processes]
    case_ids = []
    for process, (out, err) in zip(processes, outputs):
        assert process.returncode == 1, err.decode()  # 1: a finding at warning or above
        assert err.decode().strip() == ""
        case_ids.append(json.loads(out)["case_id"])
    conn = sqlite3.connect(db)
    stored = [row[0] for row in conn.execute("select id from cases")]
    assert sorted(stored) == sorted(case_ids) and len(set(case_ids)) == 8
    for case_id in case_ids:  # every case complete: its facts and findings are there too
        facts, findings = conn.execute(
            "select (select count(*) from facts where case_id = ?), "
            "(select count(*) from findings where case_id = ?)", [case_id, case_id]).fetchone()
        assert facts > 0 and findings > 0
    assert conn.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


V1_LAYOUT = """
create table meta (key text primary key, value text);
create table cases (id text primary key, created text, hakb_version text, inputs text, as_of text,
                    worst_severity text, findings integer, artifacts integer, facts integer, report text);
create table artifacts (case_id text references cases(id), path text, host text, parser text,
                        status text, message text, facts integer);
create table facts (case_id text references cases(id), fid integer, type text, host text,
                    artifact text, line integer, text text, slots text);
create table findings (case_id text references cases(id), position integer, id text, key text,
                       title text, severity text, kind text, confidence float, summary text,
                       evidence text, remediation text, refs text, story integer, related text);
create table unverified (case_id text references cases(id), rule text, check_text text,
                         collect text, host text);
create table kb_articles (id text primary key, pack text, title text, severity text, kind text,
                          products text, body text, path text);
insert into meta values ('schema_version', '1');
"""


def test_an_older_schema_is_migrated_in_place(tmp_path):
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.executescript(V1_LAYOUT)
    old_report = {"case_id": "20250101-000000-aaaaaa", "artifacts": [
        {"path": "a.txt", "status": "error", "message": "corrupt"}, {"path": "b.txt", "status": "parsed"}],
        "errors": [{"source": "pack x", "message": "m"}, {"source": "engine", "message": "n"}],
        "findings": []}
    conn.execute("insert into cases (id, created, inputs, findings, artifacts, facts, report) "
                 "values (?, ?, ?, 0, 2, 0, ?)",
                 ["20250101-000000-aaaaaa", "2025-01-01T00:00:00+00:00", "[]", json.dumps(old_report)])
    conn.commit()
    conn.close()

    store = Store(db)
    assert store.db.execute("select value from meta where key = 'schema_version'").fetchone()[0] == \
        str(SCHEMA_VERSION) == "3"
    assert {"acks", "triage_cases", "triage_questions", "triage_answers"} <= set(store.db.table_names())
    assert store.report("20250101") == old_report  # the old case reads as before
    store.save(run_facts([]))
    rows = {r["id"]: r["problems"] for r in store.recent()}
    assert rows["20250101-000000-aaaaaa"] == 3 and len(rows) == 2
    Store(db)  # opening again is a no-op


def test_locked_database_gives_one_clear_line(tmp_path, monkeypatch):
    db = tmp_path / "busy.db"
    Store(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("begin immediate")  # another writer holds the lock
    try:
        monkeypatch.setenv("HAKB_DB_TIMEOUT", "0.3")
        (tmp_path / "in.txt").write_text("x\n")
        result = cli_run("diagnose", "--db", str(db), str(tmp_path / "in.txt"))
        assert result.exit_code == 2
        assert result.stderr.strip() == (f"hakb: error: case database {db} is locked by another "
                                         "process (waited 0.3 s); try again, or use --db")
    finally:
        holder.execute("rollback")


def test_corrupt_newer_and_foreign_databases_give_one_clear_line(tmp_path):
    (tmp_path / "in.txt").write_text("x\n")
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    newer = tmp_path / "newer.db"
    Store(newer).db.execute("update meta set value = '99' where key = 'schema_version'")
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("create table cases (x)")
    expected = {corrupt: "is not a readable hakb case database (corrupt?)",
                newer: f"was written by a newer hakb (schema 99, this hakb knows {SCHEMA_VERSION})",
                foreign: "has tables but no hakb schema version"}
    for db, words in expected.items():
        for args in (["diagnose", "--db", str(db), str(tmp_path / "in.txt")], ["cases", "--db", str(db)]):
            result = cli_run(*args)
            assert result.exit_code == 2, result.output
            [line] = result.stderr.strip().splitlines()
            assert line.startswith("hakb: error: ") and words in line and "--db" in line


def test_read_only_database_is_refused_before_the_work(tmp_path):
    db = tmp_path / "ro.db"
    Store(db).db.conn.close()
    (tmp_path / "in.txt").write_text("x\n")
    if os.geteuid() == 0:  # root ignores permissions; an immutable file stops even root
        if subprocess.run(["chattr", "+i", str(db)], capture_output=True).returncode != 0:
            pytest.skip("cannot make a file read-only for root here")
        undo = ["chattr", "-i", str(db)]
    else:
        db.chmod(0o444)
        undo = ["true"]
    try:
        result = cli_run("diagnose", "--db", str(db), str(tmp_path / "in.txt"))
        assert result.exit_code == 2
        assert result.stderr.strip() == (f"hakb: error: case database {db} is read-only; "
                                         "use --db to choose a writable file")
    finally:
        subprocess.run(undo)


# -- errors ---------------------------------------------------------------------------------------


def test_user_errors_are_one_line_and_debug_shows_the_traceback(tmp_path):
    missing = cli_run("diagnose", "--no-save", str(tmp_path / "nope"))
    assert missing.exit_code == 2
    assert missing.stderr.strip() == f"hakb: error: {tmp_path / 'nope'}: no such file or folder"
    (tmp_path / "in.txt").write_text("x\n")
    unwritable = cli_run("diagnose", "--no-save", "-o", str(tmp_path / "no-dir" / "r.json"),
                         str(tmp_path / "in.txt"))
    assert unwritable.exit_code == 2
    assert unwritable.stderr.strip().startswith(f"hakb: error: cannot write {tmp_path / 'no-dir' / 'r.json'}:")
    assert not list(tmp_path.glob("**/*.partial"))
    debug = cli_run("--debug", "diagnose", "--no-save", str(tmp_path / "nope"))
    assert debug.exit_code == 2 and "Traceback (most recent call last)" in debug.stderr
    assert debug.stderr.strip().splitlines()[-1] == f"hakb: error: {tmp_path / 'nope'}: no such file or folder"
    unknown = cli_run("show", str("no-such-case"), "--db", str(tmp_path / "c.db"))
    assert unknown.exit_code == 2 and len(unknown.stderr.strip().splitlines()) == 1


def test_file_names_that_are_not_utf8_are_shown_and_stored(tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    name = os.fsdecode(b"log-\xff\xfe.txt")
    (folder / name).write_text("plain text no parser knows\n")
    (folder / "esc\x1b[2J.txt").write_text("x\n")
    db = tmp_path / "c.db"
    result = subprocess.run(HAKB + ["diagnose", "--db", str(db), "--format", "json", "--show-skipped",
                                    str(folder)], capture_output=True, env=env(tmp_path))
    assert result.returncode == 2  # nothing recognised, but no crash
    report = json.loads(result.stdout)
    paths = sorted(a["path"] for a in report["artifacts"])
    assert paths == [f"{folder}/esc?[2J.txt", f"{folder}/log-\ufffd\ufffd.txt"]
    assert result.stderr.decode().strip() == ("hakb: nothing could be diagnosed: no artifact was "
                                              "recognised (the report lists what was skipped and why)")
    assert sqlite3.connect(db).execute("select count(*) from cases").fetchone()[0] == 1


HOSTD_LINE = ("2026-11-20T09:14:57.103Z info hostd[2099962] [Originator@6876 sub=Vimsvc.TaskManager "
              "opID=5f3a9c1e-6a2b-01-7a11 user=vpxuser] Task Completed : haTask-ha-host-vim.SearchIndex-1\n")


@pytest.mark.parametrize("when", ["unpacking", "parsing"])
def test_ctrl_c_leaves_no_half_case_and_no_temporary_files(tmp_path, when):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    db = tmp_path / "c.db"
    Store(db)
    log = tmp_path / "hostd.log"
    with open(log, "wb") as out:
        block = HOSTD_LINE.encode() * 10_000
        for _ in range(120):  # about 210 MB
            out.write(block)
    target = log
    if when == "unpacking":
        target = tmp_path / "bundle.tgz"
        with tarfile.open(target, "w:gz", compresslevel=1) as tar:
            tar.add(log, arcname="esx01/var/run/log/hostd.log")
        log.unlink()
    process = subprocess.Popen(HAKB + ["diagnose", "-q", "--db", str(db), "--max-ratio", "100000", str(target)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=env(tmp_path, TMPDIR=scratch))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until it is busy in its temporary folder
        work = list(scratch.glob("hakb-*"))
        if work and (when == "parsing" or any(p.is_file() for p in work[0].rglob("*"))):
            break
        time.sleep(0.05)
    time.sleep(0.3)
    assert process.poll() is None, "finished before it could be interrupted"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.decode().strip() == "hakb: interrupted; nothing was saved"
    assert list(scratch.iterdir()) == []
    conn = sqlite3.connect(db)
    assert [conn.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("cases", "artifacts", "facts", "findings")] == [0, 0, 0, 0]
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_sigterm_cleans_up_like_ctrl_c(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    log = tmp_path / "hostd.log"
    log.write_bytes(HOSTD_LINE.encode() * 1_500_000)
    process = subprocess.Popen(HAKB + ["diagnose", "-q", "--no-save", str(log)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env(tmp_path, TMPDIR=scratch))
    deadline = time.monotonic() + 30
    while not list(scratch.glob("hakb-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    process.terminate()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and err.decode().strip() == "hakb: interrupted; nothing was saved"
    assert list(scratch.iterdir()) == []


def test_ctrl_c_while_rules_run_stops_the_worker(tmp_path):
    """The worker process never outlives an interrupted diagnosis."""
    import multiprocessing
    from datetime import datetime, timezone

    from hostile_kit import LOOPING_RULE, SCHEMA, make_pack

    from hakb import Fact, KnowledgePack, isolation

    pack = make_pack(tmp_path / "loop", "loop", {"test-loop": LOOPING_RULE})
    previous = signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    signal.setitimer(signal.ITIMER_REAL, 0.5)
    try:
        with pytest.raises(KeyboardInterrupt):
            isolation.run_knowledge([KnowledgePack("loop", pack.path)], {"test-item": SCHEMA},
                                    [Fact("test-item", {"name": "a"})], datetime.now(timezone.utc), timeout=30)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert multiprocessing.active_children() == []


@needs_example
def test_no_save_with_an_unreadable_database_still_reports(tmp_path):
    """--no-save reads acknowledgements from the database if it can; a corrupt one silences
    nothing and the report comes all the same (it once ended in an internal error)."""
    db = tmp_path / "corrupt.db"
    db.write_bytes(b"this is not an SQLite database " * 64)
    result = cli_run("diagnose", "--no-save", "--db", str(db), "--format", "json", str(LOCKED))
    assert "internal error" not in result.output
    assert result.exit_code == 1
    assert "vmware-locked-vmdk" in {f["id"] for f in json.loads(result.stdout)["findings"]}
