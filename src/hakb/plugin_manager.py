"""Finding and loading plugins: the entry-point group ``hakb``, filtered by HAKB_LOAD_PLUGINS.

Nothing is loaded at import time: :func:`get_plugin_manager` builds a fresh manager each call, so
tests and library users never share hidden global state.
"""

from __future__ import annotations

import importlib.metadata
import os
from dataclasses import dataclass

import pluggy

from hakb import hookspecs
from hakb.model import FactSchema, KnowledgePack, Parser

ENTRY_POINT_GROUP = "hakb"


class PluginError(Exception):
    """A plugin could not be loaded or declares something invalid."""


def _wanted() -> set[str] | None:
    """Plugin names allowed by HAKB_LOAD_PLUGINS, or None when it is unset (load all)."""
    raw = os.environ.get("HAKB_LOAD_PLUGINS")
    if raw is None:
        return None
    return {name.strip() for name in raw.split(",") if name.strip()}


class PluginManager(pluggy.PluginManager):
    """pluggy's manager, remembering the distribution version each plugin came from."""

    def __init__(self) -> None:
        super().__init__("hakb")
        self.versions: dict[str, str] = {}


def get_plugin_manager(extra: tuple[object, ...] = ()) -> PluginManager:
    """A plugin manager with the entry-point plugins (and ``extra`` objects, for tests) registered."""
    pm = PluginManager()
    pm.add_hookspecs(hookspecs)
    wanted = _wanted()
    for dist in importlib.metadata.distributions():
        for ep in dist.entry_points:
            if ep.group != ENTRY_POINT_GROUP or pm.has_plugin(ep.name):
                continue
            if wanted is not None and ep.name not in wanted:
                continue
            try:
                module = ep.load()
            except Exception as exc:  # a broken third-party plugin must not take hakb down
                raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to load: {exc}") from exc
            pm.register(module, name=ep.name)
            pm.versions[ep.name] = dist.version
    for obj in extra:
        pm.register(obj)
    return pm


@dataclass(frozen=True)
class PluginInfo:
    name: str
    version: str | None
    hooks: tuple[str, ...]


def describe(pm: PluginManager) -> list[PluginInfo]:
    """Name, distribution version and implemented hooks of each loaded plugin."""
    infos = []
    for name, plugin in sorted(pm.list_name_plugin(), key=lambda item: item[0]):
        hooks = tuple(sorted(h.name for h in pm.get_hookcallers(plugin) or ()))
        infos.append(PluginInfo(name=name, version=pm.versions.get(name), hooks=hooks))
    return infos


def _collect(results, kind):
    """Flatten hook results and check each item's type."""
    items = []
    for batch in results:
        for item in batch or ():
            if not isinstance(item, kind):
                raise PluginError(f"a plugin returned {item!r} where a {kind.__name__} was expected")
            items.append(item)
    return items


def fact_schemas(pm: PluginManager) -> dict[str, FactSchema]:
    schemas: dict[str, FactSchema] = {}
    for schema in _collect(pm.hook.hakb_fact_schemas(), FactSchema):
        if schema.name in schemas and schemas[schema.name] != schema:
            raise PluginError(f"fact schema {schema.name!r} is declared twice, differently")
        schemas[schema.name] = schema
    return schemas


def parsers(pm: PluginManager) -> list[Parser]:
    found = _collect(pm.hook.hakb_parsers(), Parser)
    names = [p.name for p in found]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise PluginError(f"parser names declared twice: {', '.join(dupes)}")
    # pluggy calls the last-registered plugin first; keep a stable order by name instead.
    return sorted(found, key=lambda p: p.name)


def knowledge_packs(pm: PluginManager) -> list[KnowledgePack]:
    packs = _collect(pm.hook.hakb_knowledge_packs(), KnowledgePack)
    names = [p.name for p in packs]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise PluginError(f"knowledge pack names declared twice: {', '.join(dupes)}")
    return sorted(packs, key=lambda p: p.name)
