"""The case store: what a diagnosis leaves in SQLite, and that a failed save leaves nothing."""

import json
import sqlite3

import pytest

from hakb.store import Store, StoreError
from hakb.testing import fact, run_facts

LOCK_FACTS = [
    fact("vm-log-event", kind="lock-failed", disk="vm1", file="/vmfs/volumes/ds/vm1/vm1.vmdk",
         vm="vm1", host="esx01", artifact="esx01/hostd.log", line=12, text="Failed to lock the file"),
    fact("vmfs-lock", disk="vm1", file="/vmfs/volumes/ds/vm1/vm1-flat.vmdk", mode=1,
         artifact="vmkfstools.txt", line=3, text="gen 3, mode 1, owner ..."),
    fact("vmfs-lock-holder", disk="vm1", mac="00:50:56:0a:02:01", role="owner",
         artifact="vmkfstools.txt", line=3),
    fact("host-nic", mac="00:50:56:0a:02:01", name="vmnic0", host="esx02", artifact="esx02/nics.txt", line=3),
]


def test_case_facts_and_findings_are_stored(tmp_path):
    case = run_facts(LOCK_FACTS)
    store = Store(tmp_path / "c.db")
    store.save(case)
    db = sqlite3.connect(tmp_path / "c.db")
    facts = db.execute("select type, artifact, line, slots from facts where case_id = ?", [case.case_id]).fetchall()
    assert ("vm-log-event", "esx01/hostd.log", 12) in [(t, a, l) for t, a, l, _ in facts]
    assert json.loads([s for t, *_, s in facts if t == "vmfs-lock"][0])["mode"] == 1
    [(rule, evidence)] = db.execute("select id, evidence from findings where case_id = ?", [case.case_id])
    assert rule == "vmware-locked-vmdk"
    assert {"artifact": "esx01/hostd.log", "line": 12, "text": "Failed to lock the file"} in json.loads(evidence)
    assert store.report(case.case_id[:12]) == case.as_dict()
    assert store.resolve("latest") == case.case_id


def test_a_failed_save_leaves_no_half_case(tmp_path, monkeypatch):
    case = run_facts(LOCK_FACTS)
    store = Store(tmp_path / "c.db")
    original = store.db["findings"].insert_all

    def explode(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    monkeypatch.setattr(store.db["findings"].__class__, "insert_all",
                        lambda self, *a, **k: explode() if self.name == "findings" else original.__func__(self, *a, **k))
    with pytest.raises(StoreError):
        store.save(case)
    db = sqlite3.connect(tmp_path / "c.db")
    for table in ("cases", "artifacts", "facts", "findings"):
        assert db.execute(f"select count(*) from {table}").fetchone()[0] == 0


def test_corrupt_and_newer_databases_give_clear_errors(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not a readable hakb case database"):
        Store(bad)
    newer = tmp_path / "newer.db"
    Store(newer)
    db = sqlite3.connect(newer)
    db.execute("update meta set value = '99' where key = 'schema_version'")
    db.commit()
    with pytest.raises(StoreError, match="newer hakb"):
        Store(newer)


def test_kb_search_finds_articles(tmp_path):
    from hakb.knowledge import load_knowledge
    from hakb.plugin_manager import get_plugin_manager, knowledge_packs
    store = Store(tmp_path / "c.db")
    store.index_articles(load_knowledge(knowledge_packs(get_plugin_manager())).articles.values())
    assert "vmware-locked-vmdk" in [r["id"] for r in store.search_articles("hostd restart")]
