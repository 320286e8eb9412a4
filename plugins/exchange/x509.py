"""X.509 certificate files: PEM (one or more ``-----BEGIN CERTIFICATE-----`` blocks) or DER.

Certificates are read with ``cryptography``, never by matching their text, so what the rules see
(validity, names, issuer, whether it signed itself) is what a TLS client would see::

    -----BEGIN CERTIFICATE-----
    MIIC+zCCAeOgAwIBAgIU...
    -----END CERTIFICATE-----

Each certificate becomes a ``certificate`` fact with ``source`` x509-pem or x509-der. Private key
blocks in the same file are skipped unread; whether a service holds the key is only known from
``Get-ExchangeCertificate`` (HasPrivateKey).
"""

from __future__ import annotations

import re
from datetime import timezone
from typing import TYPE_CHECKING, Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser, ParseError

if TYPE_CHECKING:  # cryptography is imported when a certificate is read (a tenth of start-up)
    from cryptography import x509

#: Certificate files larger than this are not certificates (a bundle of many would still fit).
MAX_BYTES = 4 * 1024 * 1024

_PEM_BLOCK = re.compile(rb"-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----[A-Za-z0-9+/=\s]*?"
                        rb"-----END (?:X509 |TRUSTED )?CERTIFICATE-----")


def _iso(moment) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _utc(cert: x509.Certificate, name: str):
    value = getattr(cert, f"{name}_utc", None)  # cryptography >= 42
    if value is None:
        value = getattr(cert, name).replace(tzinfo=timezone.utc)
    return value


def _name(name: x509.Name) -> str:
    """A distinguished name most specific part first, as Windows tools print it."""
    return ", ".join(rdn.rfc4514_string() for rdn in reversed(name.rdns))


def _self_signed(cert: x509.Certificate) -> bool:
    if cert.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except Exception:  # wrong signature, unsupported key type: not provably self-signed
        return False
    return True


def certificate_slots(cert: x509.Certificate, source: str) -> dict:
    """The ``certificate`` fact slots of a loaded certificate."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    domains: list[str] = []
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        domains.extend(san.get_values_for_type(x509.DNSName))
    except x509.ExtensionNotFound:
        pass
    for attribute in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
        value = str(attribute.value)
        if value.lower() not in (d.lower() for d in domains):
            domains.append(value)
    not_before, not_after = _utc(cert, "not_valid_before"), _utc(cert, "not_valid_after")
    return {
        "thumbprint": cert.fingerprint(hashes.SHA1()).hex().upper(),
        "subject": _name(cert.subject), "issuer": _name(cert.issuer),
        "domains": domains, "services": [],
        "not_before": int(not_before.timestamp()), "not_before_iso": _iso(not_before),
        "not_after": int(not_after.timestamp()), "not_after_iso": _iso(not_after),
        "self_signed": _self_signed(cert), "source": source,
    }


def _as_ascii(data: bytes) -> bytes:
    """PEM saved as UTF-16 (Notepad, PowerShell >) back to ASCII."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").encode("ascii", errors="replace")
    return data


def _is_der(data: bytes) -> bool:
    from cryptography import x509

    try:
        x509.load_der_x509_certificate(data)
    except ValueError:
        return False
    return True


def recognise(head: Head) -> int:
    if "-----BEGIN CERTIFICATE-----" in head.text or b"-----BEGIN CERTIFICATE-----" in head.data:
        return 100
    data = head.data
    if data[:1] == b"\x30" and len(data) < 64 * 1024 and _is_der(data):
        return 100
    if head.name.lower().endswith((".cer", ".crt", ".der", ".pem")):
        return 10
    return 0


def _slots_or_error(cert: x509.Certificate, source: str) -> dict:
    """cryptography reads extensions lazily: a damaged one only fails here, as ValueError."""
    try:
        return certificate_slots(cert, source)
    except ValueError as exc:
        raise ParseError(f"the certificate cannot be read: {exc}") from exc


def parse(chunks: Iterable[bytes], artifact: Artifact) -> Iterator[Fact]:
    from cryptography import x509

    data = b""
    for chunk in chunks:
        if isinstance(chunk, tuple):  # fed text lines (a test kit, a text-only caller): PEM still works
            chunk = chunk[1].encode("ascii", errors="replace") + b"\n"
        data += chunk
        if len(data) > MAX_BYTES:
            raise ParseError(f"more than {MAX_BYTES} bytes: not a certificate file")
    text = _as_ascii(data)
    blocks = list(_PEM_BLOCK.finditer(text))
    if blocks:
        for block in blocks:
            try:
                cert = x509.load_pem_x509_certificate(block.group(0))
            except ValueError as exc:
                raise ParseError(f"a PEM certificate block cannot be read: {exc}") from exc
            line = text.count(b"\n", 0, block.start()) + 1
            slots = _slots_or_error(cert, "x509-pem")
            yield Fact("certificate", slots, line=line,
                       text=f"certificate {slots['subject']} (thumbprint {slots['thumbprint']})")
        return
    try:
        cert = x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise ParseError(f"not a DER or PEM certificate: {exc}") from exc
    slots = _slots_or_error(cert, "x509-der")
    yield Fact("certificate", slots, line=0,
               text=f"certificate {slots['subject']} (thumbprint {slots['thumbprint']})")


PARSERS = [
    Parser("x509-certificate", recognise, parse,
           "X.509 certificates as PEM or DER files (read with cryptography)", binary=True),
]
