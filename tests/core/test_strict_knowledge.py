"""Strict knowledge: what a pack gets wrong refuses it when it loads, with file and line, and
`hakb kb check` lists every problem at once."""

import json
import textwrap

import pytest
from click.testing import CliRunner

from hakb.cli import cli
from hakb.plugin_manager import PackFolder
from hakb.testing import fact, run_facts
from packkit import PackPlugin

RULE = """
(defrule {id}-rule
  ?i <- (test-item (name ?n) (size ?s))
  =>
  (assert (hakb-finding (id "{id}") (key ?n) (evidence ?i) {extra}(vars name ?n size ?s))))
"""

ARTICLE = """---
id: {id}
title: Test fault {id}
severity: warning
summary: "{summary}"
{front}---
# Test fault
## Fix
1. Repair {{{{ name }}}}.
2. {step}
"""


def write(folder, fault="t-fault", *, summary="{{ name }} is broken", step="Check {{ size }}.", extra="",
          rule=None, front=""):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{fault}.clp").write_text(rule or RULE.format(id=fault, extra=extra))
    (folder / f"{fault}.md").write_text(ARTICLE.format(id=fault, summary=summary, step=step, front=front))
    return folder


def problems(folder):
    """What `hakb kb check --json` says about the pack in ``folder`` (the test-item schema is
    offered by no installed plugin, so the check runs in-process with the packkit plugin)."""
    from hakb.isolation import read_knowledge
    from hakb.plugin_manager import fact_schemas, get_plugin_manager

    pack = PackFolder(folder).hakb_knowledge_packs()[0]
    pm = get_plugin_manager(extra=(PackPlugin(),))
    return read_knowledge([pack], fact_schemas(pm)).errors.get(pack.name, [])


def test_a_clean_pack_has_no_problem(tmp_path):
    assert problems(write(tmp_path / "p")) == []


def test_a_misspelled_variable_in_a_fix_step_is_refused_with_file_line_and_a_suggestion(tmp_path):
    found = problems(write(tmp_path / "p", step="Check {{ sise }}."))
    assert found == ["t-fault.md:10: fix step 2 uses 'sise', which no rule of the pack gives (did you "
                     "mean size?); fix the name, or declare it under vars: in the front matter"]


def test_a_variable_declared_in_the_front_matter_is_allowed(tmp_path):
    assert problems(write(tmp_path / "p", step="Check {{ owner }}.", front="vars: [owner]\n")) == []


def test_names_set_in_the_template_and_hakb_s_own_are_allowed(tmp_path):
    step = "{% set n = each.name | length %}{{ n }} on {{ key }}, {{ evidence | length }} lines"
    assert problems(write(tmp_path / "p", step=step)) == []


def test_a_template_that_does_not_compile_is_refused_at_load(tmp_path):
    found = problems(write(tmp_path / "p", summary="{% if name %}broken"))
    assert len(found) == 1 and found[0].startswith("t-fault.md:5: summary is not a valid template")


@pytest.mark.parametrize("extra, message", [
    ('(severity "huge") ', 't-fault.clp:5: severity "huge" is not one of critical, error, warning, info'),
    ("(confidence 7) ", "t-fault.clp:5: confidence 7 is not a number from 0 to 1"),
])
def test_an_invalid_literal_severity_or_confidence_is_refused(tmp_path, extra, message):
    assert problems(write(tmp_path / "p", extra=extra)) == [message]


def test_a_severity_computed_at_run_time_that_is_invalid_is_an_error_in_the_case(tmp_path):
    pack = PackFolder(write(tmp_path / "p", extra='(severity (str-cat "hu" "ge")) ')).hakb_knowledge_packs()[0]
    case = run_facts([fact("test-item", name="a", size=1)], plugins=[PackPlugin(pack)], only=True)
    assert [f.severity for f in case.findings] == ["warning"]  # the article's
    assert any("severity 'huge' is not one of" in e["message"] for e in case.errors)


def test_an_unknown_fact_type_or_slot_is_named_with_file_and_line(tmp_path):
    rule = textwrap.dedent("""\
        (defrule t-fault-rule
          ?i <- (test-itme (name ?n))
          =>
          (assert (hakb-finding (id "t-fault") (key ?n) (vars name ?n size 1))))
        """)
    assert problems(write(tmp_path / "a", rule=rule)) == [
        "t-fault.clp:2: fact type 'test-itme' is declared by no plugin in play (`hakb schemas` lists "
        "them; is its plugin installed?)"]
    rule = rule.replace("test-itme (name ?n)", "test-item (nmae ?n)")
    assert problems(write(tmp_path / "b", rule=rule)) == [
        "t-fault.clp:2: fact type 'test-item' has no slot 'nmae' (its slots: artifact, fid, host, line, name, size)"]


def test_ordered_facts_a_pack_asserts_for_itself_are_no_unknown_type(tmp_path):
    rule = textwrap.dedent("""\
        (defrule t-fault-alias
          (test-item (name ?n))
          =>
          (assert (t-fault-seen (sym-cat ?n) 1)))
        (defrule t-fault-rule
          ?i <- (test-item (name ?n) (size ?s))
          (t-fault-seen ?m ?)
          =>
          (assert (hakb-finding (id "t-fault") (key ?n) (evidence ?i) (vars name ?n size ?s))))
        """)
    assert problems(write(tmp_path / "p", rule=rule)) == []


def test_an_empty_pack_folder_is_reported(tmp_path):
    (tmp_path / "kb").mkdir()
    result = CliRunner().invoke(cli, ["kb", "check", str(tmp_path / "kb")])
    assert result.exit_code == 1
    assert "holds no rules (.clp) or articles (.md): were they left out of the package data?" in result.output


def test_kb_check_lists_every_problem_at_once(tmp_path):
    folder = write(tmp_path / "p", step="Check {{ sise }}.", summary="{{ nmae }} is broken",
                   extra="(confidence 7) ")
    result = CliRunner().invoke(cli, ["kb", "check", "--json", str(folder)])
    assert result.exit_code == 1
    found = json.loads(result.output)["p"]
    assert len(found) == 3, found
    assert CliRunner().invoke(cli, ["kb", "check"]).exit_code == 0  # the installed packs are clean


def test_diagnose_with_a_pack_folder_not_installed(tmp_path):
    folder = tmp_path / "vmware"  # vmware/kb is pack "vmware": it replaces the installed one
    import shutil

    from hakb.plugin_manager import get_plugin_manager, knowledge_packs

    installed = {p.name: p for p in knowledge_packs(get_plugin_manager())}
    shutil.copytree(installed["vmware"].path, folder / "kb")
    article = folder / "kb" / "locked-vmdk.md"
    article.write_text(article.read_text().replace("title: ", "title: TRIED ", 1))
    from bundles import example

    result = CliRunner().invoke(cli, ["diagnose", "--no-save", "-q", "--format", "json",
                                      "--pack", str(folder / "kb"), str(example("locked-vmdk"))])
    report = json.loads(result.output)
    assert [f["title"].startswith("TRIED ") for f in report["findings"] if f["id"] == "vmware-locked-vmdk"] == [True]
    assert not report["errors"], report["errors"]  # no clash of article ids: it was replaced
    missing = CliRunner().invoke(cli, ["diagnose", "--no-save", "--pack", str(tmp_path / "nope"), "x"])
    assert missing.exit_code == 2 and "does not exist" in missing.output


def test_values_reach_templates_with_their_types(tmp_path):
    """FALSE and nil from a rule are false in {% if %} (they were the truthy texts "FALSE" and
    "nil"); numbers compare as numbers."""
    rule = textwrap.dedent("""\
        (defrule t-fault-rule
          ?i <- (test-item (name ?n) (size ?s))
          =>
          (assert (hakb-finding (id "t-fault") (key ?n) (evidence ?i)
                                (vars name ?n size ?s up FALSE owner nil))))
        """)
    folder = write(tmp_path / "p", rule=rule,
                   step="{% if up %}UP{% endif %}{% if owner %}OWNED{% endif %}{% if size > 5 %}BIG{% endif %}.")
    pack = PackFolder(folder).hakb_knowledge_packs()[0]
    case = run_facts([fact("test-item", name="a", size=7)], plugins=[PackPlugin(pack)], only=True)
    finding = case.findings[0]
    assert finding.remediation == ["Repair a.", "BIG."]
    assert finding.values["up"] == [False] and finding.values["owner"] == [None]


def test_what_templates_use_is_kept_between_runs_and_a_damaged_cache_costs_only_time(tmp_path, monkeypatch):
    """Parsing every template was most of a tiny case's knowledge loading: the names each one
    uses are kept in the cache folder, keyed by the template's text."""
    monkeypatch.setenv("HAKB_CACHE", str(tmp_path / "cache"))
    folder = write(tmp_path / "p", summary="{% if name %}broken", step="Check {{ sise }}.")
    first = problems(folder)
    assert len(first) == 2
    [kept] = (tmp_path / "cache").glob("templates-*.json")
    entries = json.loads(kept.read_text())
    assert [None, ["sise"]] in entries.values() and any(error for error, _ in entries.values())
    # the next run reads the kept names: a changed entry changes what is found
    kept.write_text(json.dumps({k: ([None, []] if v == [None, ["sise"]] else v) for k, v in entries.items()}))
    assert len(problems(folder)) == 1
    for damaged in ("not json", json.dumps({"x": [1, 2, 3]}), json.dumps([1])):
        kept.write_text(damaged)
        assert problems(folder) == first
