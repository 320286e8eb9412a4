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
    """The fact types this plugin's parsers produce.

    Each becomes a CLIPS template (``deftemplate``) with the provenance slots fid, host,
    artifact and line added. Two plugins may not declare the same name.

    :return: a list of :class:`hakb.FactSchema`.
    """


@hookspec
def hakb_parsers(schemas):
    """The parsers this plugin offers.

    A parser recognises an artifact by its content (``recognise(head) -> score``) and turns it
    into facts (``parse(lines, artifact) -> iterator of Fact``). It must be a pure function of its
    input, stream its lines and raise :class:`hakb.ParseError` for input it cannot read.

    :param schemas: every fact type in play, name -> :class:`hakb.FactSchema`; for generic
        parsers whose input names its own fact types (facts files), which check what they read
        against it. Most implementations do not name it (pluggy passes only the arguments an
        implementation names).
    :return: a list of :class:`hakb.Parser`.
    """


@hookspec
def hakb_knowledge_packs():
    """The knowledge packs this plugin ships: folders of rules (.clp) beside articles (.md).

    Packs are vetted before loading, in the knowledge worker: a pack calling a function outside
    the allow-list, a template that does not compile or uses a name no rule gives, an invalid
    severity or an unknown fact type refuses the pack (``hakb kb check`` lists why).

    :return: a list of :class:`hakb.KnowledgePack`.
    """
