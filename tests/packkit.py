"""Throwaway knowledge packs for tests: a test-item schema, a pack written into a folder, and a
plugin offering them. Used by the engine tests and the hostile-input tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hakb import FactSchema, KnowledgePack, hookimpl

ARTICLE = textwrap.dedent("""\
    ---
    id: {id}
    title: Test fault {id}
    severity: warning
    summary: "{{{{ name }}}} is broken"
    vars: [name]
    ---
    ## Fix
    1. Repair {{{{ name }}}}.
    """)

SCHEMA = FactSchema("test-item", {"name": "str", "size": "int"})


def make_pack(folder: Path, name: str, rules: dict[str, str]) -> KnowledgePack:
    """A knowledge pack written by the test: {fault id: CLIPS source}, each with an article."""
    folder.mkdir(parents=True, exist_ok=True)
    for fault, source in rules.items():
        (folder / f"{fault}.clp").write_text(textwrap.dedent(source))
        (folder / f"{fault}.md").write_text(ARTICLE.format(id=fault))
    return KnowledgePack(name, folder)


class PackPlugin:
    """A test plugin offering the test-item schema and the given packs."""

    def __init__(self, *packs: KnowledgePack) -> None:
        self.packs = packs

    @hookimpl
    def hakb_fact_schemas(self):
        return [SCHEMA]

    @hookimpl
    def hakb_knowledge_packs(self):
        return list(self.packs)
