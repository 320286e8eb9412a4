"""Finding and loading plugins: the entry-point group ``hakb``, filtered by HAKB_LOAD_PLUGINS.

Nothing is loaded at import time: :func:`get_plugin_manager` builds a fresh manager each call, so
tests and library users never share hidden global state.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Sequence

import pluggy

from hakb import hookspecs
from hakb.model import CORE_SCHEMAS, FactSchema, KnowledgePack, Parser

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
        self.distributions: dict[str, str] = {}  # plugin name -> distribution it came from
        self.load_errors: dict[str, str] = {}  # plugin name -> why it did not load
        #: names and resolved folders of installed packs a --pack folder replaces
        self.replaced_packs: set[str] = set()


def _entry_points():
    for dist in importlib.metadata.distributions():
        for ep in dist.entry_points:
            if ep.group == ENTRY_POINT_GROUP:
                yield dist, ep


def installed_plugin_names() -> set[str]:
    """The names of every plugin installed in the entry-point group, loaded or not."""
    return {ep.name for _, ep in _entry_points()}


def builtin_plugin_names() -> set[str]:
    """The names of hakb's own plugins (those the ``hakb`` distribution registers)."""
    return {ep.name for dist, ep in _entry_points() if (dist.metadata["Name"] or "").lower() == "hakb"}


def get_plugin_manager(extra: tuple[object, ...] = (), names: Collection[str] | None = None) -> PluginManager:
    """A plugin manager with the entry-point plugins (and ``extra`` objects, for tests) registered.

    ``names`` limits the entry-point plugins to those named (tests); without it,
    HAKB_LOAD_PLUGINS does. A plugin that fails to import is left out and recorded in
    ``load_errors``; the others load.
    """
    pm = PluginManager()
    pm.add_hookspecs(hookspecs)
    wanted = _wanted() if names is None else set(names)
    for dist in importlib.metadata.distributions():
        for ep in dist.entry_points:
            if ep.group != ENTRY_POINT_GROUP or pm.has_plugin(ep.name):
                continue
            if wanted is not None and ep.name not in wanted:
                continue
            try:
                module = ep.load()
                pm.register(module, name=ep.name)
            except Exception as exc:  # a broken plugin must not take hakb down
                pm.load_errors[ep.name] = f"{ep.value} failed to load: {type(exc).__name__}: {exc}"
                continue
            pm.versions[ep.name] = dist.version
            pm.distributions[ep.name] = dist.metadata["Name"]
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


def _collect(pm: PluginManager, hook_name: str, kind: type, **arguments) -> list:
    """Call one hook on every plugin separately, so a plugin that fails only loses its own part.

    Each implementation gets the ``arguments`` it names, as pluggy would pass them.
    """
    items = []
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        try:
            batch = list(impl.function(*(arguments[name] for name in impl.argnames)) or ())
        except Exception as exc:
            pm.load_errors[impl.plugin_name] = f"{hook_name} failed: {type(exc).__name__}: {exc}"
            continue
        wrong = [item for item in batch if not isinstance(item, kind)]
        if wrong:
            pm.load_errors[impl.plugin_name] = (
                f"{hook_name} returned {wrong[0]!r} where a {kind.__name__} was expected")
            continue
        items.extend((impl.plugin_name, item) for item in batch)
    return items


def fact_schemas(pm: PluginManager) -> dict[str, FactSchema]:
    """Every fact type in play: the core's and those the plugins declare."""
    schemas: dict[str, FactSchema] = dict(CORE_SCHEMAS)
    for owner, schema in _collect(pm, "hakb_fact_schemas", FactSchema):
        if schema.name in schemas and schemas[schema.name] != schema:
            pm.load_errors[owner] = f"fact schema {schema.name!r} is already declared differently"
            continue
        schemas[schema.name] = schema
    return schemas


def _unique(pm: PluginManager, found: list, what: str) -> list:
    seen: dict[str, str] = {}
    kept = []
    for owner, item in found:
        if item.name in seen:
            pm.load_errors[owner] = f"{what} {item.name!r} is already declared by {seen[item.name]}"
            continue
        seen[item.name] = owner
        kept.append(item)
    return sorted(kept, key=lambda item: item.name)


def parsers(pm: PluginManager, schemas: dict[str, FactSchema] | None = None) -> list[Parser]:
    """The core's facts-file parser and every plugin's parsers; ``schemas`` (default:
    :func:`fact_schemas`) go to the hook implementations that ask for them."""
    from hakb.factsfile import facts_file_parser

    if schemas is None:
        schemas = fact_schemas(pm)
    found = [("hakb", facts_file_parser(schemas))]
    return _unique(pm, found + _collect(pm, "hakb_parsers", Parser, schemas=schemas), "parser")


def _resolved(path) -> str:
    try:
        return str(Path(path).resolve())
    except (TypeError, OSError):  # a folder inside a zip: never the same as a folder on disk
        return ""


def knowledge_packs(pm: PluginManager) -> list[KnowledgePack]:
    """Every plugin's packs, each with its ``source``: packs of one distribution share a rule
    environment, packs of different ones share nothing (see :mod:`hakb.isolation`)."""
    found = [(owner, dataclasses.replace(pack, source=pm.distributions.get(owner, f"plugin {owner}")))
             for owner, pack in _collect(pm, "hakb_knowledge_packs", KnowledgePack)]
    if pm.replaced_packs:
        folders = {owner for owner, pack in found if isinstance(pm.get_plugin(owner), PackFolder)}
        found = [(owner, pack) for owner, pack in found if owner in folders or not (
            pack.name in pm.replaced_packs or _resolved(pack.path) in pm.replaced_packs)]
    return _unique(pm, found, "knowledge pack")


class PackFolder:
    """A plugin offering one knowledge pack from a folder, as ``hakb diagnose --pack DIR`` does:
    not installed, and still read, vetted and run in the worker like any pack."""

    def __init__(self, path: Path, name: str | None = None) -> None:
        self.path = Path(path)
        folder = self.path.resolve()
        # src/acme_ntp/kb is the pack of acme-ntp: a generic folder name says nothing
        generic = folder.name.lower() in ("kb", "knowledge", "pack", "rules")
        self.name = name or (folder.parent.name.replace("_", "-") if generic else folder.name)

    @hookspecs.hookimpl
    def hakb_knowledge_packs(self):
        return [KnowledgePack(self.name, self.path, f"pack folder {self.path}")]


def add_pack_folders(pm: PluginManager, folders: Sequence[Path]) -> None:
    """Register a :class:`PackFolder` for each of ``folders``, each a group of its own (it
    shares no rule environment with any other pack). An installed pack of the same folder, or
    of the same name, is replaced by the folder: that is how a pack is tried before release.
    A folder that does not exist is a :class:`PluginError`."""
    for folder in folders:
        if not Path(folder).is_dir():
            raise PluginError(f"--pack {folder}: no such folder")
        plugin = PackFolder(Path(folder))
        label = f"pack folder {folder}"
        pm.register(plugin, name=label)
        pm.distributions[label] = label
        pm.replaced_packs.update({plugin.name, str(Path(folder).resolve())})