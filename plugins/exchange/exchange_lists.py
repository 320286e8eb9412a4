"""The Exchange Management Shell objects about clients, certificates and transport, as one
object parser: certificates, federation trust, CAS and CAS arrays, virtual directory URLs,
databases, moves, connectors, accepted domains, EdgeSync.

The core reads every section's records (``fl``, ``fl *``, tables with truncated or wrapped
columns, Export-Csv with or without ``#TYPE``, ``,`` or ``;``, ConvertTo-Json, Export-Clixml) and
offers each record to the shapes below, by cmdlet or by property set, so a pasted transcript of
several commands is read whole::

    [PS] C:\\>Get-ExchangeCertificate | fl Thumbprint,Services,NotAfter
    Thumbprint : 5A1B2C3D4E5F60718293A4B5C6D7E8F901234567
    Services   : IIS, SMTP
    NotAfter   : 14.03.2019 13:00:00

Records of other kinds (Get-ExchangeServer, ...) are left to the parsers that know them; a
transcript's start time (the moment time-based rules judge against) is read by the core.
"""

from __future__ import annotations

from hakb.plugins.exchange import certificate_records, client_access_records, transport_records
from hakb.plugins.exchange.common import objects_parser

SHAPES = [*certificate_records.SHAPES, *transport_records.SHAPES, *client_access_records.SHAPES]

PARSERS = [objects_parser(
    "exchange-clients", SHAPES,
    "Exchange client access, certificate and transport objects in any PowerShell shape: "
    "Get-ExchangeCertificate, Get-FederationTrust, Get-ClientAccessServer/-Array, virtual "
    "directories, Get-MailboxDatabase, Get-MoveRequestStatistics, connectors, accepted domains, "
    "Test-EdgeSynchronization, Get-EdgeSubscription")]
