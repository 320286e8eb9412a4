"""Which command lives where: the only list to change when a command is added.

Adding a command is one line here plus its own module in this package: the value is
``"module:attribute"`` of a click command (or group), imported only when that command runs or
its help is shown, so ``hakb --version`` and ``hakb --help`` load nothing heavy. A command
module imports click and :mod:`hakb.cli.common` at the top and everything else (the store,
the engine, the knowledge) inside its function.
"""

#: ``hakb NAME``
COMMANDS = {
    "diagnose": "hakb.cli.diagnose:diagnose",
    "cases": "hakb.cli.cases:cases",
    "show": "hakb.cli.cases:show",
    "export": "hakb.cli.cases:export",
    "kb": "hakb.cli.kb:kb",
    "plugins": "hakb.cli.plugins:plugins",
    "schemas": "hakb.cli.plugins:schemas",
    "parse": "hakb.cli.plugins:parse",
    "config": "hakb.cli.config:config",
    "triage": "hakb.cli.triage:triage",
    "serve": "hakb.cli.serve:serve",
    "ack": "hakb.cli.acks:ack",
    "acks": "hakb.cli.acks:acks",
    "unack": "hakb.cli.acks:unack",
    "batch": "hakb.cli.batch:batch",
    "plugin": "hakb.cli.scaffold:plugin",
}

#: ``hakb kb NAME``
KB_COMMANDS = {
    "list": "hakb.cli.kb:kb_list",
    "show": "hakb.cli.kb:kb_show",
    "search": "hakb.cli.kb:kb_search",
    "check": "hakb.cli.kb:kb_check",
}
