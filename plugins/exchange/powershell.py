"""The Exchange Management Shell parser: every Exchange cmdlet output this plugin reads, in
``fl`` or table layout, pasted alone or several in one file."""

from hakb.plugins.exchange import copies, dag, servers
from hakb.shapes import shell_parser

SHAPES = [*servers.SHAPES, *dag.SHAPES, *copies.SHAPES]

PARSERS = [shell_parser(
    "exchange-shell", SHAPES,
    "Exchange Management Shell output: Get-ExchangeServer, Get-MailboxServer, "
    "Get-DatabaseAvailabilityGroup, Get-MailboxDatabaseCopyStatus, Test-ReplicationHealth")]
