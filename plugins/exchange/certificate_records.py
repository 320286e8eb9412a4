"""Certificate records of ``Format-List`` output: ``Get-ExchangeCertificate | fl`` and
``Get-FederationTrust | fl``.

    Thumbprint         : 5A1B2C3D...
    CertificateDomains : {mail.example.com, autodiscover.example.com}
    Services           : IMAP, POP, IIS, SMTP
    NotAfter           : 14.03.2019 13:00:00

NotAfter/NotBefore are printed in the server's locale; they become Unix seconds and ISO text so
rules compare them with the case's as-of time whatever the locale was.
"""

from __future__ import annotations

import re

from hakb import Fact
from hakb.formats import Record, parse_bool
from hakb.plugins.exchange.common import flags, moment

_THUMBPRINT = re.compile(r"\b([0-9A-Fa-f]{40})\b")
_BLOCK_THUMBPRINT = re.compile(r"\[Thumbprint\]\s*([0-9A-Fa-f]{40})", re.I)


def is_certificate(names: set[str]) -> bool:
    return "thumbprint" in names and bool(names & {"notafter", "certificatedomains", "services",
                                                   "isselfsigned", "hasprivatekey"})


def certificate(record: Record) -> Fact:
    not_after, not_after_iso = moment(record.get("NotAfter"))
    not_before, not_before_iso = moment(record.get("NotBefore"))
    identity = record.get("Identity") or ""
    server = identity.split("\\", 1)[0] if "\\" in identity else ""
    thumbprint = (record.get("Thumbprint") or "").replace(" ", "").upper()
    return Fact("certificate", {
        "thumbprint": thumbprint,
        "subject": record.get("Subject") or "", "issuer": record.get("Issuer") or "",
        "domains": flags(record.get("CertificateDomains")),
        "services": [s.upper() if s.upper() in ("IIS", "SMTP", "IMAP", "POP", "UM") else s
                     for s in flags(record.get("Services"))],
        "not_before": not_before, "not_before_iso": not_before_iso,
        "not_after": not_after, "not_after_iso": not_after_iso,
        "self_signed": parse_bool(record.get("IsSelfSigned")),
        "has_private_key": parse_bool(record.get("HasPrivateKey")),
        "root_ca_type": record.get("RootCAType") or "", "status": record.get("Status") or "",
        "server": server, "source": "get-exchangecertificate",
    }, line=record.line("Thumbprint"), text=record.text("Thumbprint"))


def is_federation_trust(names: set[str]) -> bool:
    return bool(names & {"orgcertificate", "orgprivcertificate", "tokenissueruri"})


def _thumbprint(value: str | None) -> str:
    """A thumbprint from a value that is one, or from a certificate printed in blocks."""
    text = value or ""
    match = _BLOCK_THUMBPRINT.search(text) or _THUMBPRINT.search(text)
    return match.group(1).upper() if match else ""


def federation_trust(record: Record) -> Fact:
    current = _thumbprint(record.get("OrgPrivCertificate")) or _thumbprint(record.get("OrgCertificate"))
    previous = (_thumbprint(record.get("OrgPrevPrivCertificate"))
                or _thumbprint(record.get("OrgPrevCertificate")))
    field = "OrgPrivCertificate" if record.get("OrgPrivCertificate") else "OrgCertificate"
    return Fact("federation-trust", {
        "name": record.get("Name") or record.get("Identity") or "",
        "org_certificate": current, "org_prev_certificate": previous,
        "token_issuer_uri": record.get("TokenIssuerUri") or "",
        "application_uri": record.get("ApplicationUri") or "",
    }, line=record.line(field), text=record.text(field) or record.text("Name"))


RECORD_KINDS = [
    ("certificate", is_certificate, certificate),
    ("federation-trust", is_federation_trust, federation_trust),
]
