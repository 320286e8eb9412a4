"""The Exchange Management Shell parser: the high-availability objects (servers, clustered
mailbox servers, DAGs, database and storage group copies, replication checks) in every shape the
reading layer reads, pasted alone or several in one file."""


from hakb.plugins.exchange import clustered, copies, dag, servers
from hakb.shapes import object_parser

SHAPES = [*servers.SHAPES, *clustered.SHAPES, *dag.SHAPES, *copies.SHAPES]


PARSERS = [object_parser(
    "exchange-shell", SHAPES,
    "Exchange Management Shell output: Get-ExchangeServer, Get-MailboxServer, "
    "Get-ClusteredMailboxServerStatus, Get-StorageGroupCopyStatus, Get-DatabaseAvailabilityGroup, "
    "Get-DatabaseAvailabilityGroupNetwork, Get-MailboxDatabaseCopyStatus, Test-ReplicationHealth "
    "(fl, ft, Export-Csv, ConvertTo-Json, Export-Clixml)")]
