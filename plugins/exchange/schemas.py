"""Fact types of the exchange plugin. ``exchange-server`` is shared with other plugins' rules."""

from hakb import FactSchema

SCHEMAS = [
    FactSchema("exchange-server", {
        "name": "str",
        "version": "str",            # dotted build, e.g. "14.1.218.15" (from AdminDisplayVersion)
        "major": "int",              # 8 = 2007, 14 = 2010, 15 = 2013
        "minor": "int",              # service pack level: 14.0 RTM, 14.1 SP1, ...
        "build": "int",              # 218 in 14.1.218.15
        "edition": "str",
        "roles": "list",             # ["Mailbox", "ClientAccess", "HubTransport", "Edge", "UnifiedMessaging"]
        "site": "str",
    }, "An Exchange server as `Get-ExchangeServer | fl` shows it."),
]
