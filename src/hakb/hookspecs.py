"""The plugin API: every hook a plugin may implement, and nothing else.

Plugins are found through the entry-point group ``hakb`` (``[project.entry-points.hakb]`` in
the plugin's pyproject.toml); hakb's own plugins in ``plugins/`` are registered the same way.

Stability: hook names and arguments below are versioned with :data:`API_VERSION`. A hook may gain
keyword arguments (pluggy passes only those an implementation names); none is removed or renamed
without a new major version.
"""

import pluggy

#: Version of this plugin API.
API_VERSION = "1"

hookspec = pluggy.HookspecMarker("hakb")
hookimpl = pluggy.HookimplMarker("hakb")


@hookspec
def hakb_fact_schemas():
    """Return a list of :class:`hakb.FactSchema`: the fact types this plugin's parsers produce.

    Each becomes a CLIPS template (``deftemplate``) with the provenance slots fid, host,
    artifact and line added. Two plugins may not declare the same name.
    """


@hookspec
def hakb_parsers(schemas):
    """Return a list of :class:`hakb.Parser`.

    A parser recognises an artifact by its content (``recognise(head) -> score``) and turns it
    into facts (``parse(lines, artifact) -> iterator of Fact``). It must be a pure function of its
    input, stream its lines and raise :class:`hakb.ParseError` for input it cannot read.

    ``schemas`` (name -> FactSchema, every fact type in play) is there for generic parsers whose
    input names its own fact types (facts files): they check what they read against it. Most
    implementations take no argument; pluggy passes only the arguments an implementation names.
    """


@hookspec
def hakb_knowledge_packs():
    """Return a list of :class:`hakb.KnowledgePack`: folders of rules (.clp) and articles (.md).

    Packs are checked before loading; a pack calling a forbidden function (system, open,
    load, batch, eval, build, ...) is refused.
    """
