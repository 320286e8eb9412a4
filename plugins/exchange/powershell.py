"""The Exchange Management Shell parser: the high-availability objects (servers, clustered
mailbox servers, DAGs, database and storage group copies, replication checks) in every shape the
reading layer reads, pasted alone or several in one file."""

import dataclasses

from hakb import ParseError
from hakb.plugins.exchange import clustered, copies, dag, servers
from hakb.shapes import object_parser

SHAPES = [*servers.SHAPES, *clustered.SHAPES, *dag.SHAPES, *copies.SHAPES]


def _reading_errors_as_parse_errors(parser):
    """A reader's ValueError (a ConvertTo-Json or Export-Clixml file cut short) becomes a
    ParseError naming its line, as the plugin API asks of a parser that cannot read its input."""
    parse = parser.parse

    def parse_records(lines, artifact):
        try:
            yield from parse(lines, artifact)
        except ValueError as exc:
            raise ParseError(f"the output cannot be read: {exc}") from None

    return dataclasses.replace(parser, parse=parse_records)


PARSERS = [_reading_errors_as_parse_errors(object_parser(
    "exchange-shell", SHAPES,
    "Exchange Management Shell output: Get-ExchangeServer, Get-MailboxServer, "
    "Get-ClusteredMailboxServerStatus, Get-StorageGroupCopyStatus, Get-DatabaseAvailabilityGroup, "
    "Get-DatabaseAvailabilityGroupNetwork, Get-MailboxDatabaseCopyStatus, Test-ReplicationHealth "
    "(fl, ft, Export-Csv, ConvertTo-Json, Export-Clixml)"))]
