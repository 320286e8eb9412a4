"""hakb: an offline, plugin-based fault knowledge base for infrastructure helpdesks.

Plugin authors need only what this module exports::

    from hakb import hookimpl, Plugin, Fact, FactSchema, Parser, KnowledgePack
"""

__version__ = "0.1.0"

from hakb.hookspecs import hookimpl
from hakb.model import Artifact, Fact, FactSchema, Head, KnowledgePack, Parser, ParseError
from hakb.plugin import Plugin

__all__ = [
    "__version__",
    "hookimpl",
    "Artifact",
    "Fact",
    "FactSchema",
    "Head",
    "KnowledgePack",
    "Parser",
    "ParseError",
    "Plugin",
]
