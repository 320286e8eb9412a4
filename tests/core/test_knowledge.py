"""Articles: front matter, fix steps, and the checks that refuse malformed packs."""

from pathlib import Path

import pytest

from hakb.knowledge import KnowledgeError, fix_steps, load_knowledge, parse_article, vet_rules
from hakb.model import KnowledgePack


def test_fix_steps_are_the_numbered_items_of_the_fix_section():
    body = "## Cause\n1. not a step\n## Fix\n1. First\n   continued\n2. Second\n## References\n1. no\n"
    assert fix_steps(body) == ["First continued", "Second"]


def test_article_front_matter_is_validated():
    good = "---\nid: a\ntitle: T\nseverity: error\nkind: design\n---\n## Fix\n1. x\n"
    article = parse_article(good, "p", Path("a.md"))
    assert (article.id, article.severity, article.kind, article.fix) == ("a", "error", "design", ("x",))
    with pytest.raises(KnowledgeError, match="severity"):
        parse_article(good.replace("error", "fatal"), "p", Path("a.md"))
    with pytest.raises(KnowledgeError, match="front matter"):
        parse_article("no front matter", "p", Path("a.md"))


def test_vetting_ignores_strings_and_comments_but_finds_calls():
    source = '; (system "comment")\n(defrule r => (bind ?x "(system)")\n  (system "id"))\n'
    assert vet_rules(source, "r.clp") == ["r.clp:3: calls forbidden function 'system'"]


def test_rule_file_without_article_refuses_the_pack(tmp_path):
    (tmp_path / "orphan.clp").write_text("(defrule orphan-r =>)\n")
    kb = load_knowledge([KnowledgePack("p", tmp_path)])
    assert kb.rule_files == [] and "has no article" in kb.errors["p"][0]


def test_builtin_packs_load_without_errors():
    from hakb.plugin_manager import get_plugin_manager, knowledge_packs
    kb = load_knowledge(knowledge_packs(get_plugin_manager()))
    assert kb.errors == {}
    assert "vmware-locked-vmdk" in kb.articles


def test_a_slot_named_like_a_forbidden_function_is_accepted(tmp_path):
    """`build` as a slot is not a call to build(); CLIPS tells them apart, the text scan cannot."""
    from hakb.model import FactSchema
    schemas = {"server": FactSchema("server", {"build": "int"})}
    (tmp_path / "old-build.clp").write_text(
        '(defrule old-build-r ?s <- (server (build ?b&:(integerp ?b)&:(< ?b 600)))\n'
        '  => (assert (hakb-finding (id "old-build") (evidence ?s))))\n')
    (tmp_path / "old-build.md").write_text("---\nid: old-build\ntitle: Old\nseverity: info\n---\n")
    kb = load_knowledge([KnowledgePack("p", tmp_path)], schemas)
    assert kb.errors == {} and len(kb.rule_files) == 1
    (tmp_path / "old-build.clp").write_text(
        '(defrule old-build-r (server (build ?b))\n  =>\n  (build "(defrule x =>)"))\n')
    kb = load_knowledge([KnowledgePack("p", tmp_path)], schemas)
    assert "old-build.clp:3: calls forbidden function 'build'" in kb.errors["p"]
