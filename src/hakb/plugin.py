"""The three hooks most plugins implement, written once: a plugin lists its modules and packs.

A plugin package usually keeps fact schemas, parsers and knowledge packs in module-level lists
(``SCHEMAS``, ``PARSERS``) and ships one folder of rules and articles. Instead of writing the
same three hook functions in every ``__init__.py``, it says what it has::

    from importlib.resources import files

    from hakb import KnowledgePack, Plugin
    from acme_ntp import parsers, schemas

    plugin = Plugin(modules=(schemas, parsers),
                    packs=[KnowledgePack("acme-ntp", files(__package__) / "kb", "NTP drift")])

and points its entry point at that object (``acme-ntp = "acme_ntp:plugin"``). Writing the hook
functions by hand (see :mod:`hakb.hookspecs`) works just as well; this is only a shorthand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import ModuleType
from typing import Sequence

from hakb.hookspecs import hookimpl
from hakb.model import KnowledgePack


@dataclass(frozen=True, eq=False)
class Plugin:
    """Implements the hooks from ``modules`` (their ``SCHEMAS`` and ``PARSERS`` lists) and ``packs``."""

    modules: Sequence[ModuleType] = ()
    packs: Sequence[KnowledgePack] = field(default_factory=tuple)

    @hookimpl
    def hakb_fact_schemas(self):
        return [s for module in self.modules for s in getattr(module, "SCHEMAS", ())]

    @hookimpl
    def hakb_parsers(self):
        return [p for module in self.modules for p in getattr(module, "PARSERS", ())]

    @hookimpl
    def hakb_knowledge_packs(self):
        return list(self.packs)
