"""Certificates as Exchange lists them: ``Get-ExchangeCertificate`` and ``Get-FederationTrust``
objects, in any shape (``fl``, ``fl *``, a table, Export-Csv, ConvertTo-Json, Export-Clixml).

    Thumbprint         : 5A1B2C3D...
    CertificateDomains : {mail.example.com, autodiscover.example.com}
    Services           : IMAP, POP, IIS, SMTP
    NotAfter           : 14.03.2019 13:00:00

NotAfter/NotBefore are printed in the server's locale (or as UTC by ConvertTo-Json); they become
Unix seconds and ISO text so rules compare them with the case's as-of time whatever the shape.
ConvertTo-Json writes enums as numbers: Services, Status and RootCAType are named here from
Exchange's own enums. The default table prints Services as letters (``IP.WS.``), also read.
"""

from __future__ import annotations

import re
from typing import Iterator

from hakb import Fact
from hakb.reading import Record
from hakb.shapes import evidence, shape
from hakb.plugins.exchange.common import boolean, enum_text, first_of, flag_names, items_of, moment

#: Microsoft.Exchange.Management.SystemConfigurationTasks.AllowedServices (flags).
SERVICE_BITS = {1: "IMAP", 2: "POP", 4: "UM", 8: "IIS", 16: "SMTP", 32: "Federation", 64: "UMCallRouter"}
#: ... CertificateStatus.
STATUSES = {0: "Unknown", 1: "Valid", 2: "Revoked", 3: "DateInvalid", 4: "Untrusted", 5: "Invalid",
            6: "RevocationCheckFailure", 7: "PendingRequest"}
#: ... CertificateAuthorityType (RootCAType).
ROOT_CA_TYPES = {0: "None", 1: "ThirdParty", 2: "Enterprise", 3: "Registry", 4: "GroupPolicy", 5: "Unknown"}
#: ServicesStringForm, the letters the default table shows: one per service, "." when unbound.
SERVICE_LETTERS = {"I": "IMAP", "P": "POP", "U": "UM", "W": "IIS", "S": "SMTP", "F": "Federation",
                   "C": "UMCallRouter"}
_LETTERS = re.compile(r"^[IPUWSFC.]{5,7}$")
_UPPER = {"IIS", "SMTP", "IMAP", "POP", "UM"}

_THUMBPRINT = re.compile(r"\b([0-9A-Fa-f]{40})\b")
_BLOCK_THUMBPRINT = re.compile(r"\[Thumbprint\]\s*([0-9A-Fa-f]{40})", re.I)


def services_of(value: str | None) -> list[str]:
    """Services bound to a certificate, as names, from any shape of the Services property.

    >>> services_of("IMAP, POP, IIS, SMTP"), services_of("27"), services_of("IP.WS.")
    (['IMAP', 'POP', 'IIS', 'SMTP'], ['IMAP', 'POP', 'IIS', 'SMTP'], ['IMAP', 'POP', 'IIS', 'SMTP'])
    """
    text = (value or "").strip()
    if _LETTERS.match(text) and text.strip("."):
        names = [SERVICE_LETTERS[ch] for ch in text if ch != "."]
    else:
        names = flag_names(text, SERVICE_BITS)
    return [name.upper() if name.upper() in _UPPER else name for name in names]


def certificate(record: Record) -> Iterator[Fact]:
    thumbprint = (record.get("Thumbprint") or "").replace(" ", "").upper()
    if not re.fullmatch(r"[0-9A-F]{40}", thumbprint):
        return  # a header repeated, a truncated cell: no certificate to name
    not_after, not_after_iso = moment(record.get("NotAfter"))
    not_before, not_before_iso = moment(record.get("NotBefore"))
    identity = record.get("Identity") or ""
    server = identity.split("\\", 1)[0] if "\\" in identity else ""
    line, text = evidence(record, "Thumbprint")
    yield Fact("certificate", {
        "thumbprint": thumbprint,
        "subject": first_of(record, "Subject"), "issuer": first_of(record, "Issuer"),
        "domains": items_of(record, "CertificateDomains"),
        "services": services_of(record.get("Services")),
        "not_before": not_before, "not_before_iso": not_before_iso,
        "not_after": not_after, "not_after_iso": not_after_iso,
        "self_signed": boolean(record.get("IsSelfSigned")),
        "has_private_key": boolean(record.get("HasPrivateKey")),
        "root_ca_type": enum_text(record.get("RootCAType"), ROOT_CA_TYPES),
        "status": enum_text(record.get("Status"), STATUSES),
        "server": server, "source": "get-exchangecertificate",
    }, line=line, text=text)


def thumbprint_in(record: Record, name: str) -> str:
    """The thumbprint of a certificate property: a thumbprint itself, a certificate printed in
    ``[Subject]``/``[Thumbprint]`` blocks, or an object with a Thumbprint member (JSON, Clixml)."""
    for text in (record.get(f"{name}.Thumbprint"), record.get(name)):
        match = _BLOCK_THUMBPRINT.search(text or "") or _THUMBPRINT.search(text or "")
        if match:
            return match.group(1).upper()
    return ""


def federation_trust(record: Record) -> Iterator[Fact]:
    current = thumbprint_in(record, "OrgPrivCertificate") or thumbprint_in(record, "OrgCertificate")
    previous = thumbprint_in(record, "OrgPrevPrivCertificate") or thumbprint_in(record, "OrgPrevCertificate")
    line, text = evidence(record, "OrgPrivCertificate" if thumbprint_in(record, "OrgPrivCertificate")
                          else "OrgCertificate", "Name")
    yield Fact("federation-trust", {
        "name": first_of(record, "Name", "Identity"),
        "org_certificate": current, "org_prev_certificate": previous,
        "token_issuer_uri": first_of(record, "TokenIssuerUri"),
        "application_uri": first_of(record, "ApplicationUri"),
    }, line=line, text=text)


_CERTIFICATE_TYPES = ("Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate",
                      "Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate")

#: Get-ExchangeCertificate: a thumbprint and any property only a certificate has.
CERTIFICATE_SHAPES = [
    shape("Get-ExchangeCertificate", {"Thumbprint", telling}, certificate, types=_CERTIFICATE_TYPES)
    for telling in ("NotAfter", "CertificateDomains", "Services", "IsSelfSigned", "HasPrivateKey")
]

#: Get-FederationTrust in the shapes that keep a record whole (JSON, CSV, Clixml, a list whose
#: certificates print without blank lines). It names no command: a section run by
#: Get-FederationTrust is read by :mod:`federation_list`, which also joins certificates printed
#: in blocks separated by blank lines (the core's list reader ends a record at a blank line).
FEDERATION_SHAPES = [
    shape("Get-FederationTrust", {telling}, federation_trust, commands=(),
          types=("Microsoft.Exchange.Data.Directory.SystemConfiguration.FederationTrust",
                 "Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.FederationTrust"))
    for telling in ("OrgCertificate", "OrgPrivCertificate", "TokenIssuerUri")
]

SHAPES = CERTIFICATE_SHAPES + FEDERATION_SHAPES
