"""Engine isolation: a pack that loops, crashes CLIPS or exits fails alone; other packs' findings stay.

Packs offered by one plugin share an environment (as packs of one distribution do), so these
tests also show how the culprit among them is found."""

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hostile_kit import (CRASHING_RULE, EXIT_RULE, FIRING_LOOP_RULE, LOOPING_RULE, SCHEMA, PackPlugin,
                         make_pack, rule_for)

from hakb import Fact, KnowledgePack
from hakb import isolation
from hakb.diagnosis import diagnose_facts
from hakb.plugin_manager import get_plugin_manager
from hakb.testing import fact, only_finding

ITEMS = [Fact("test-item", {"name": "disk1", "size": 50}, line=3, text="disk1 50", artifact="sizes.txt")]
NOW = datetime(2026, 11, 20, tzinfo=timezone.utc)


def run_with(packs, monkeypatch, timeout=1.0, facts=ITEMS):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "")  # only the test plugin
    return diagnose_facts(facts, pm=get_plugin_manager(extra=(PackPlugin(*packs),)), rule_timeout=timeout)


def errors_of(case, pack):
    return [e["message"] for e in case.errors if e["source"] == f"pack {pack}"]


def test_a_looping_pack_is_stopped_and_the_good_pack_finding_survives(tmp_path, monkeypatch):
    good = make_pack(tmp_path / "good", "good", {"test-good": rule_for("test-good")})
    loop = make_pack(tmp_path / "loop", "loop", {"test-loop": LOOPING_RULE})
    started = time.monotonic()
    case = run_with([good, loop], monkeypatch, timeout=1.0)
    elapsed = time.monotonic() - started
    finding = only_finding(case, "test-good")
    assert finding.summary == "disk1 is broken" and finding.evidence[0].line == 3
    [message] = errors_of(case, "loop")
    assert "did not finish within 1 s while running the rules" in message
    assert case.packs == ["good"]
    assert elapsed < 8  # two deadlines (together, then alone) and quick reruns, not a hang


def test_a_pack_that_crashes_clips_is_reported_and_hakb_lives_on(tmp_path, monkeypatch):
    good = make_pack(tmp_path / "good", "good", {"test-good": rule_for("test-good")})
    crash = make_pack(tmp_path / "crash", "crash", {"test-crash": CRASHING_RULE})
    case = run_with([crash, good], monkeypatch, timeout=5.0)
    assert [f.id for f in case.findings] == ["test-good"]
    [message] = errors_of(case, "crash")
    assert "crashed (SIGSEGV)" in message and "left out" in message
    assert case.packs == ["good"]


def test_an_exit_pack_is_refused_before_it_runs(tmp_path, monkeypatch):
    good = make_pack(tmp_path / "good", "good", {"test-good": rule_for("test-good")})
    leaving = make_pack(tmp_path / "exit", "exit", {"test-exit": EXIT_RULE})
    case = run_with([good, leaving], monkeypatch)
    assert [f.id for f in case.findings] == ["test-good"]
    assert any("forbidden function 'exit'" in m for m in errors_of(case, "exit"))
    assert case.packs == ["good"]


def same_source(*packs):
    """The packs as one distribution would offer them: one environment for all."""
    return [dataclasses.replace(p, source="one-distribution") for p in packs]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="patching the worker needs fork")
def test_exit_at_run_time_ends_only_the_worker(tmp_path):
    """Defence in depth: even if exit slipped past the allow-list, only the worker process ends.
    (In a fresh interpreter: the patch reaches the worker by fork, which needs one thread.)"""
    good = make_pack(tmp_path / "good", "good", {"test-good": rule_for("test-good")})
    leaving = make_pack(tmp_path / "exit", "exit", {"test-exit": EXIT_RULE})
    script = textwrap.dedent(f"""
        import dataclasses, json, sys
        sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parent.parent)!r}]
        from datetime import datetime, timezone
        from pathlib import Path
        from hostile_kit import SCHEMA
        from hakb import Fact, KnowledgePack, engine, isolation
        assert isolation._start_method() == "fork"
        engine.ALLOWED_FUNCTIONS = engine.ALLOWED_FUNCTIONS | {{"exit"}}
        packs = [KnowledgePack(name, Path(path), source="one-distribution")
                 for name, path in (("exit", {str(leaving.path)!r}), ("good", {str(good.path)!r}))]
        outcome = isolation.run_knowledge(packs, {{"test-item": SCHEMA}},
                                          [Fact("test-item", {{"name": "disk1", "size": 50}})],
                                          datetime.now(timezone.utc), timeout=5)
        print(json.dumps({{"findings": [f.id for f in outcome.findings], "failed": outcome.failed}}))
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HAKB_CACHE": str(tmp_path / "cache")})
    result = json.loads(done.stdout)
    assert result["findings"] == ["test-good"]
    assert list(result["failed"]) == ["exit"] and "exited with status 3" in result["failed"]["exit"]


def test_a_pack_that_keeps_firing_is_attributed_to_that_pack(tmp_path):
    good = make_pack(tmp_path / "good", "good", {"test-good": rule_for("test-good")})
    churn = make_pack(tmp_path / "churn", "churn", {"test-churn": FIRING_LOOP_RULE})
    outcome = isolation.run_knowledge(same_source(churn, good), {"test-item": SCHEMA}, ITEMS, NOW,
                                      timeout=5, limit=2000)
    assert list(outcome.failed) == ["churn"]
    assert "fired 2000 times" in outcome.failed["churn"]
    assert {(f.id, f.key) for f in outcome.findings} == {("test-good", "disk1")}


def test_a_runtime_error_does_not_cost_other_packs_their_findings(tmp_path, monkeypatch):
    """CLIPS halts the whole run on an error; the healthy packs run again without the culprit."""
    broken = make_pack(tmp_path / "broken", "broken", {"test-broken": """
        (defrule test-broken-divide
          (declare (salience 100))
          (test-item (size ?s&:(integerp ?s)))
          =>
          (bind ?zero 0)
          (bind ?x (div ?s ?zero)))
        """})
    good = make_pack(tmp_path / "good", "good", {"test-good": rule_for("test-good")})
    case = run_with([broken, good], monkeypatch, timeout=5)
    assert [f.id for f in case.findings] == ["test-good"]
    assert "divide by zero" in errors_of(case, "broken")[0].lower()
    assert case.packs == ["good"]


def test_builtin_packs_get_no_exemption(tmp_path, monkeypatch):
    """The shipped vmware pack, given a looping rule, fails like any pack; a third-party pack
    beside it keeps its finding."""
    import hakb.plugins.vmware as vmware_plugin

    copy = tmp_path / "vmware"
    shutil.copytree(vmware_plugin.plugin.hakb_knowledge_packs()[0].path, copy)
    (copy / "vmware-test-loop.clp").write_text(LOOPING_RULE.replace("test-item (name ?n)", "host-nic"))
    (copy / "vmware-test-loop.md").write_text("---\nid: vmware-test-loop\ntitle: t\nseverity: info\n---\n")

    patched = dataclasses.replace(vmware_plugin.plugin, packs=[KnowledgePack("vmware", copy)])
    monkeypatch.setattr(vmware_plugin, "plugin", patched)
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "vmware")
    good = make_pack(tmp_path / "good", "good", {"test-good": rule_for("test-good")})
    facts = ITEMS + [fact("host-nic", mac="00:50:56:0a:02:01", name="vmnic0", host="esx02.lab.example")]
    case = diagnose_facts(facts, pm=get_plugin_manager(extra=(PackPlugin(good),)), rule_timeout=1.0)
    assert [f.id for f in case.findings] == ["test-good"]
    assert any("did not finish" in m for m in errors_of(case, "vmware"))
    assert case.packs == ["good"]


def test_healthy_case_costs_one_worker_run(tmp_path):
    """Several groups, one environment each, all in one worker process."""
    good = make_pack(tmp_path / "good", "good", {"test-good": rule_for("test-good")})
    other = make_pack(tmp_path / "other", "other", {"test-other": rule_for("test-other", "(< ?s 100)")})
    third = make_pack(tmp_path / "third", "third", {"test-third": rule_for("test-third", "(< ?s 99)")})
    outcome = isolation.run_knowledge([good, *same_source(other, third)], {"test-item": SCHEMA}, ITEMS,
                                      NOW, timeout=5)
    assert outcome.attempts == 1 and outcome.failed == {} and outcome.errors == []
    assert sorted(f.id for f in outcome.findings) == ["test-good", "test-other", "test-third"]
    assert outcome.packs == ["good", "other", "third"]


def test_findings_cross_the_process_boundary_as_plain_data(tmp_path):
    import pickle
    pack = make_pack(tmp_path / "p", "p", {"test-good": """
        (defrule test-good-odd-values
          ?i <- (test-item (name ?n))
          =>
          (assert (hakb-finding (id "test-good") (key ?n) (evidence ?i)
                                (vars name ?n symbol abc address ?i number 1.5))))
        """})
    outcome = isolation.run_knowledge([pack], {"test-item": SCHEMA}, ITEMS, NOW)
    [finding] = outcome.findings
    values = finding.values
    assert values["name"] == ["disk1"] and values["symbol"] == ["abc"] and values["number"] == [1.5]
    assert isinstance(values["address"][0], str)  # a fact address arrives as its text
    assert finding.summary == "disk1 is broken" and finding.pack == "p"
    assert pickle.loads(pickle.dumps(outcome)) == outcome


def test_rule_timeout_option_reports_the_failed_pack_in_json_and_text(tmp_path, monkeypatch):
    import json

    from click.testing import CliRunner
    from hostile_kit import line_plugin_manager

    import hakb.diagnosis
    from hakb.cli import cli

    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "")
    loop = make_pack(tmp_path / "loop", "loop", {"test-loop": LOOPING_RULE.replace("test-item", "test-line")})
    pm = line_plugin_manager(tmp_path / "pack", loop)
    monkeypatch.setattr(hakb.diagnosis, "get_plugin_manager", lambda: pm)
    (tmp_path / "in.txt").write_text("HAKB-TEST\nstatus = degraded\n")
    runner = CliRunner()
    as_json = runner.invoke(cli, ["diagnose", "--no-save", "--rule-timeout", "1", "--format", "json",
                                  str(tmp_path / "in.txt")])
    assert as_json.exit_code == 1  # the good pack's warning finding decides the exit code
    report = json.loads(as_json.stdout)
    assert [f["summary"] for f in report["findings"]] == ["status is degraded"]
    [error] = report["errors"]
    assert error["source"] == "pack loop" and "did not finish within 1 s" in error["message"]
    assert report["packs"] == ["test-lines"]
    as_text = runner.invoke(cli, ["diagnose", "--no-save", "--rule-timeout", "1", str(tmp_path / "in.txt")])
    assert "Problems:" in as_text.stdout and "- pack loop: rules did not finish within 1 s" in as_text.stdout
    refused = runner.invoke(cli, ["diagnose", "--rule-timeout", "0", str(tmp_path / "in.txt")])
    assert refused.exit_code == 2 and "--rule-timeout" in refused.stderr


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_the_worker_dies_with_hakb_even_on_sigkill(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    pack = make_pack(tmp_path / "loop", "loop", {"test-loop": LOOPING_RULE})
    script = textwrap.dedent(f"""
        import sys
        sys.path[:0] = [{str(Path(__file__).parent)!r}, {str(Path(__file__).parent.parent)!r}]
        from datetime import datetime, timezone
        from pathlib import Path
        from hostile_kit import SCHEMA
        from hakb import Fact, KnowledgePack, isolation
        print("start", flush=True)
        isolation.run_knowledge([KnowledgePack("loop", Path({str(pack.path)!r}))], {{"test-item": SCHEMA}},
                                [Fact("test-item", {{"name": "a"}})], datetime.now(timezone.utc), timeout=60)
        """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    assert parent.stdout.readline().strip() == b"start"
    children = Path(f"/proc/{parent.pid}/task/{parent.pid}/children")
    deadline = time.monotonic() + 20
    while not children.read_text().split() and time.monotonic() < deadline:
        time.sleep(0.05)
    [worker] = [int(pid) for pid in children.read_text().split()]
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 5
    while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
        try:
            os.waitpid(worker, os.WNOHANG)  # not our child; only reap if it became one
        except ChildProcessError:
            pass
        state = Path(f"/proc/{worker}/stat")
        if state.exists() and state.read_text().split(") ", 1)[-1].startswith("Z"):
            break  # a zombie: dead, waiting for init to reap it
        time.sleep(0.05)
    stat = Path(f"/proc/{worker}/stat")
    assert not stat.exists() or stat.read_text().split(") ", 1)[-1].startswith("Z")


def test_packs_that_only_fail_together_keep_what_each_finds_alone(tmp_path, monkeypatch):
    finder = make_pack(tmp_path / "finder", "finder", {"test-good": rule_for("test-good")})
    reactor = make_pack(tmp_path / "reactor", "reactor", {"test-react": """
        (defrule test-react-loop
          (hakb-finding (id "test-good"))
          =>
          (while TRUE do (bind ?i 1)))
        """})
    case = run_with([finder, reactor], monkeypatch, timeout=1.0)
    assert [f.id for f in case.findings] == ["test-good"]
    [message] = [e["message"] for e in case.errors if e["source"] == "engine"]
    assert message.startswith("packs finder, reactor together: rules did not finish within 1 s")
    assert "each ran alone" in message


def test_an_article_id_stays_with_hakbs_own_pack_even_when_its_group_failed_first(tmp_path):
    """hakb's packs run first and keep their ids; when their environment fails and reruns later,
    a third-party pack that claimed one of their ids meanwhile is refused all the same."""
    victim = make_pack(tmp_path / "victim", "victim", {"test-good": rule_for("test-good")})
    crash = make_pack(tmp_path / "crash", "crash", {"test-crash": CRASHING_RULE})
    thief = make_pack(tmp_path / "thief", "thief", {"test-good": rule_for("test-good", "(> ?s 1)")})
    core = [dataclasses.replace(p, source=isolation.CORE_GROUP) for p in (victim, crash)]
    other = dataclasses.replace(thief, source="other-distribution")
    outcome = isolation.run_knowledge([other, *core], {"test-item": SCHEMA}, ITEMS, NOW, timeout=5)
    assert [(f.id, f.pack) for f in outcome.findings] == [("test-good", "victim")]
    assert outcome.failed["thief"] == ("refused: test-good.md: article id 'test-good' is already used "
                                       "by pack victim")
    assert "crashed" in outcome.failed["crash"] and outcome.packs == ["victim"]
