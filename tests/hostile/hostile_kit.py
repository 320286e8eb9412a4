"""Helpers the hostile-input tests share: throwaway knowledge packs and a plugin offering them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hakb import FactSchema, KnowledgePack, hookimpl
from packkit import ARTICLE, SCHEMA, PackPlugin, make_pack  # noqa: F401 (re-exported to the tests)

def rule_for(fault: str, condition: str = "(> ?s 10)") -> str:
    """A well-behaved rule: a test-item whose size satisfies ``condition`` is a finding."""
    return f"""
        (defrule {fault}-fires
          ?i <- (test-item (name ?n) (size ?s&:(integerp ?s)&:{condition}))
          =>
          (assert (hakb-finding (id "{fault}") (key ?n) (evidence ?i) (vars name ?n))))
        """


LOOPING_RULE = """
    (defrule test-loop-forever
      (test-item (name ?n))
      =>
      (bind ?i 0)
      (while TRUE do (bind ?i (+ ?i 1))))
    """

CRASHING_RULE = """
    (deffunction test-crash-recurse (?x) (test-crash-recurse (+ ?x 1)))
    (defrule test-crash-overflow
      (test-item (name ?n))
      =>
      (test-crash-recurse 1))
    """

EXIT_RULE = """
    (defrule test-exit-now
      (test-item (name ?n))
      =>
      (exit 3))
    """

FIRING_LOOP_RULE = """
    (defrule test-firing-loop
      ?i <- (test-item (name ?n) (size ?s&:(integerp ?s)))
      =>
      (modify ?i (size (+ ?s 1))))
    """


# -- a line parser and a pack over its facts, so pipeline tests need no real plugin -----------

import re  # noqa: E402

from hakb import Fact, Parser  # noqa: E402

LINE_SCHEMA = FactSchema("test-line", {"name": "str", "value": "str"})
_PAIR = re.compile(r'^\s*"?(?P<name>[^"=:]{1,80}?)"?\s*[=:]\s*(?P<value>.*)$')


def _recognise_lines(head) -> int:
    return 5 if "HAKB-TEST" in head.text else 0


def _parse_lines(lines, artifact):
    """One fact per ``name = value`` / ``name: value`` line (and one per other non-empty line)."""
    for number, text in lines:
        if not text.strip() or "HAKB-TEST" in text:
            continue
        match = _PAIR.match(text)
        name, value = (match.group("name").strip(), match.group("value").strip()) if match \
            else ("line", text.strip())
        yield Fact("test-line", {"name": name, "value": value}, line=number, text=text)


LINE_PARSER = Parser("test-lines", _recognise_lines, _parse_lines,
                     "Test input: files whose head says HAKB-TEST, one fact per line.")

SEEN_RULE = """
    (defrule test-seen-line
      ?l <- (test-line (name ?n) (value ?v&~""))
      =>
      (assert (hakb-finding (id "test-seen") (key ?n) (evidence ?l) (vars name ?n value ?v))))
    """
SEEN_ARTICLE = """---
id: test-seen
title: A line was seen
severity: warning
summary: "{{ name }} is {{ value }}"
---
## Fix
1. Look at {{ name }} = {{ value }}.
"""


class LinePlugin:
    """Test plugin: the line parser, its schema, and a pack that reports every line it saw."""

    def __init__(self, folder: Path, *extra_packs: KnowledgePack) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "test-seen.clp").write_text(textwrap.dedent(SEEN_RULE))
        (folder / "test-seen.md").write_text(SEEN_ARTICLE)
        self.packs = [KnowledgePack("test-lines", folder), *extra_packs]

    @hookimpl
    def hakb_fact_schemas(self):
        return [LINE_SCHEMA, SCHEMA]

    @hookimpl
    def hakb_parsers(self):
        return [LINE_PARSER]

    @hookimpl
    def hakb_knowledge_packs(self):
        return list(self.packs)


def line_plugin_manager(folder: Path, *extra_packs: KnowledgePack):
    """A plugin manager with only :class:`LinePlugin` (set HAKB_LOAD_PLUGINS="" first)."""
    from hakb.plugin_manager import get_plugin_manager
    return get_plugin_manager(extra=(LinePlugin(folder, *extra_packs),))
