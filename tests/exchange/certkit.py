"""Real X.509 certificates made for the tests with ``cryptography`` (never written to the tree)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

AS_OF = datetime(2019, 3, 1, 12, 0, tzinfo=timezone.utc)


def _name(cn: str, org: str = "Example") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
                      x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def make_ca(cn: str = "Example Test CA"):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(cn)).issuer_name(_name(cn))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(AS_OF - timedelta(days=3650)).not_valid_after(AS_OF + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    return cert, key


def make_cert(cn: str, sans: list[str] | None = None, *, not_after: datetime, issuer=None,
              not_before: datetime | None = None) -> x509.Certificate:
    """A server certificate; self-signed unless ``issuer`` is a (certificate, key) pair."""
    key = ec.generate_private_key(ec.SECP256R1())
    builder = (x509.CertificateBuilder().subject_name(_name(cn))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before or not_after - timedelta(days=730)).not_valid_after(not_after))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]),
                                        critical=False)
    if issuer is None:
        return builder.issuer_name(_name(cn)).sign(key, hashes.SHA256())
    ca_cert, ca_key = issuer
    return builder.issuer_name(ca_cert.subject).sign(ca_key, hashes.SHA256())


def pem(*certs: x509.Certificate) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def thumbprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA1()).hex().upper()


def _utc(cert: x509.Certificate, name: str) -> datetime:
    value = getattr(cert, f"{name}_utc", None)
    return value if value is not None else getattr(cert, name).replace(tzinfo=timezone.utc)


def exchange_fl(cert: x509.Certificate, services: str, *, has_key: bool = True, locale: str = "de",
                root_ca_type: str = "ThirdParty") -> str:
    """What ``Get-ExchangeCertificate | fl`` prints for ``cert``, dates in a German or US locale."""
    def date(moment: datetime) -> str:
        if locale == "de":
            return moment.strftime("%d.%m.%Y %H:%M:%S")
        hour = moment.hour % 12 or 12
        return f"{moment.month}/{moment.day}/{moment.year} {hour}:{moment:%M:%S} {'PM' if moment.hour >= 12 else 'AM'}"
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        sans = [cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value]
    self_signed = cert.subject == cert.issuer
    subject = ", ".join(r.rfc4514_string() for r in reversed(cert.subject.rdns))
    issuer = ", ".join(r.rfc4514_string() for r in reversed(cert.issuer.rdns))
    return "\n".join([
        f"CertificateDomains : {{{', '.join(sans)}}}",
        f"HasPrivateKey      : {has_key}",
        f"IsSelfSigned       : {self_signed}",
        f"Issuer             : {issuer}",
        f"NotAfter           : {date(_utc(cert, 'not_valid_after'))}",
        f"NotBefore          : {date(_utc(cert, 'not_valid_before'))}",
        f"RootCAType         : {'None' if self_signed else root_ca_type}",
        f"Services           : {services}",
        "Status             : Valid",
        f"Subject            : {subject}",
        f"Thumbprint         : {thumbprint(cert)}",
        "",
    ])
