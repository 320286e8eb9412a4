"""Articles and packs: front matter, fix steps, the checks that refuse malformed packs, the cache."""

import json
from pathlib import Path

import pytest

from hakb.isolation import read_knowledge
from hakb.knowledge import (KnowledgeError, cache_folder, fix_steps, load_knowledge, mentioned_names,
                            parse_article, read_pack)
from hakb.model import FactSchema, KnowledgePack


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


def test_lists_left_out_of_the_front_matter_are_empty():
    """An article without ``collect``, ``products`` or ``references`` has none (not one "()")."""
    article = parse_article("---\nid: a\ntitle: T\nseverity: error\n---\n## Fix\n1. x\n", "p", Path("a.md"))
    assert (article.collect, article.products, article.references) == ((), (), ())
    article = parse_article("---\nid: a\ntitle: T\nseverity: error\ncollect: vmkfstools -D <disk>\n---\n",
                            "p", Path("a.md"))
    assert article.collect == ("vmkfstools -D <disk>",)


def test_front_matter_must_have_the_documented_shape():
    """Nested values where text is expected are refused: turning them into text is how a small
    YAML document becomes gigabytes."""
    base = "---\nid: a\ntitle: T\nseverity: info\n{extra}\n---\n"
    with pytest.raises(KnowledgeError, match="products must be a list of text"):
        parse_article(base.format(extra="products: [[a, b], c]"), "p", Path("a.md"))
    with pytest.raises(KnowledgeError, match="summary must be text"):
        parse_article(base.format(extra="summary: {a: b}"), "p", Path("a.md"))
    with pytest.raises(KnowledgeError, match="nested deeper"):
        parse_article(base.format(extra="x: " + "[" * 20 + "]" * 20), "p", Path("a.md"))
    one = parse_article(base.format(extra="products: VMware ESXi"), "p", Path("a.md"))
    assert one.products == ("VMware ESXi",)


def test_names_in_strings_and_comments_do_not_count_as_mentions():
    source = '; (host-nic) in a comment\n(defrule r ?v <- (MAIN::vmfs-lock (mode ?m)) => (printout t "(host-nic)" crlf))\n'
    names = mentioned_names(source)
    assert {"defrule", "vmfs-lock", "mode", "printout"} <= names
    assert "host-nic" not in names and "m" not in names and "v" not in names


def test_rule_file_without_article_refuses_the_pack(tmp_path):
    (tmp_path / "orphan.clp").write_text("(defrule orphan-r =>)\n")
    kb = load_knowledge([KnowledgePack("p", tmp_path)])
    assert kb.rule_files == [] and "has no article" in kb.errors["p"][0]


def test_builtin_packs_load_without_errors():
    from hakb.plugin_manager import fact_schemas, get_plugin_manager, knowledge_packs
    pm = get_plugin_manager()
    kb = read_knowledge(knowledge_packs(pm), fact_schemas(pm))
    assert kb.errors == {}
    assert "vmware-locked-vmdk" in kb.articles


def test_a_slot_named_like_a_forbidden_function_is_accepted(tmp_path):
    """`build` as a slot is not a call to build(); CLIPS tells them apart, a text scan cannot."""
    schemas = {"server": FactSchema("server", {"build": "int"})}
    (tmp_path / "old-build.clp").write_text(
        '(defrule old-build-r ?s <- (server (build ?b&:(integerp ?b)&:(< ?b 600)))\n'
        '  => (assert (hakb-finding (id "old-build") (evidence ?s))))\n')
    (tmp_path / "old-build.md").write_text("---\nid: old-build\ntitle: Old\nseverity: info\n---\n")
    kb = read_knowledge([KnowledgePack("p", tmp_path)], schemas)
    assert kb.errors == {} and list(kb.articles) == ["old-build"]
    (tmp_path / "old-build.clp").write_text(
        '; (system "in a comment")\n(defrule old-build-r (server (build ?b))\n  =>\n'
        '  (printout t "(system)" crlf)\n  (build "(defrule x =>)"))\n')
    kb = read_knowledge([KnowledgePack("p", tmp_path)], schemas)
    assert kb.errors == {"p": ["old-build.clp:5: calls forbidden function 'build'"]}
    assert kb.articles == {}


def _pack(folder: Path, title: str = "Cached") -> KnowledgePack:
    folder.mkdir(exist_ok=True)
    (folder / "c.md").write_text(f"---\nid: c\ntitle: {title}\nseverity: info\n---\n## Fix\n1. x\n")
    (folder / "c.clp").write_text("(defrule c-r (test-item) =>)\n")
    return KnowledgePack("p", folder)


def test_an_unchanged_pack_is_read_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("HAKB_CACHE", str(tmp_path / "cache"))
    pack = _pack(tmp_path / "p")
    first = read_pack(pack)
    [entry] = (cache_folder() / "packs").glob("*.json")
    data = json.loads(entry.read_text())
    data["articles"][0]["title"] = "From the cache"  # proves the next read uses the entry
    entry.write_text(json.dumps(data))
    again = read_pack(pack)
    assert first.articles[0].title == "Cached" and again.articles[0].title == "From the cache"
    assert again.mentions == first.mentions and "test-item" in again.mentions
    assert again.rule_files == first.rule_files and again.articles[0].path == pack.path / "c.md"


def test_a_changed_pack_or_a_bad_cache_entry_means_reading_it_again(tmp_path, monkeypatch):
    monkeypatch.setenv("HAKB_CACHE", str(tmp_path / "cache"))
    pack = _pack(tmp_path / "p")
    read_pack(pack)
    _pack(tmp_path / "p", title="Changed")  # new content: a new key
    assert read_pack(pack).articles[0].title == "Changed"
    for entry in (cache_folder() / "packs").glob("*.json"):
        entry.write_text('{"format": 1, "articles": [{"id": 5}]')  # unreadable
    assert read_pack(pack).articles[0].title == "Changed"
    for entry in (cache_folder() / "packs").glob("*.json"):
        entry.write_text(json.dumps({"format": 1, "articles": [{"id": "c", "severity": "fatal"}],
                                     "rules": [], "problems": [], "mentions": []}))  # wrong shape
    assert read_pack(pack).articles[0].title == "Changed"


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("HAKB_CACHE", str(blocker))
    assert read_pack(_pack(tmp_path / "p")).articles[0].title == "Cached"
