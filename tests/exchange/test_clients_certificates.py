"""Certificate parsing and checks on real certificates generated here with cryptography."""

from datetime import timedelta

import pytest

import tempfile
from pathlib import Path

from hakb.model import Artifact, Head
from hakb.textio import iter_chunks
from hakb.plugins.exchange import exchange_lists, x509 as x509_parser
from hakb.testing import fact, findings_of, only_finding, parse_text, run_facts

from .certkit import AS_OF, der, exchange_fl, make_ca, make_cert, pem, thumbprint
from .conftest import pack_errors

PEM_PARSER = x509_parser.PARSERS[0]
LISTS = exchange_lists.PARSERS[0]


@pytest.fixture(scope="module")
def ca():
    return make_ca()


def parse_binary(data: bytes, name: str):
    """Feed the parser the file's bytes, as the core does for binary parsers."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        artifact = Artifact(name=name, path=path, size=len(data))
        return [f.__class__(**{**f.__dict__, "artifact": name}) for f in PEM_PARSER.parse(iter_chunks(path), artifact)]


def fl_facts(*records: str):
    return parse_text(LISTS, "[PS] C:\\>Get-ExchangeCertificate | fl\n\n" + "\n".join(records))


def diagnose(facts):
    case = run_facts(facts, as_of=AS_OF)
    assert not pack_errors(case), case.errors
    return case


# --- the X.509 parser -------------------------------------------------------------------------

def test_pem_chain_is_read_as_certificates(ca):
    leaf = make_cert("mail.example.com", ["mail.example.com", "autodiscover.example.com"],
                     not_after=AS_OF + timedelta(days=200), issuer=ca)
    data = b"Bag Attributes: none\n" + pem(leaf, ca[0])
    assert PEM_PARSER.recognise(Head("chain.txt", data.decode(), data)) == 100
    first, second = parse_binary(data, name="chain.pem")
    assert first.slots["thumbprint"] == thumbprint(leaf)
    assert first.slots["domains"] == ["mail.example.com", "autodiscover.example.com"]
    assert first.slots["self_signed"] is False
    assert first.slots["issuer"] == "CN=Example Test CA, O=Example, C=NL"
    assert first.slots["not_after"] == int((AS_OF + timedelta(days=200)).timestamp())
    assert first.slots["not_after_iso"] == (AS_OF + timedelta(days=200)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert first.line == 2 and second.slots["self_signed"] is True
    assert second.slots["thumbprint"] == thumbprint(ca[0])


def test_der_file_is_recognised_by_its_bytes():
    cert = make_cert("cas01.example.com", not_after=AS_OF + timedelta(days=10))
    data = der(cert)
    head = Head("cas01.bin", "", data, binary=True)
    assert PEM_PARSER.recognise(head) == 100
    (only,) = parse_binary(data, name="cas01.bin")
    assert only.slots["source"] == "x509-der" and only.slots["self_signed"] is True
    assert only.slots["domains"] == ["cas01.example.com"]


def test_garbage_with_certificate_name_is_not_claimed():
    assert PEM_PARSER.recognise(Head("x.cer", "hello", b"hello")) == 10
    assert PEM_PARSER.recognise(Head("x.txt", "hello", b"hello")) == 0


# --- expiry -----------------------------------------------------------------------------------

def test_expired_certificate_bound_to_services_is_named(ca):
    expired = make_cert("mail.example.com", ["mail.example.com"], not_after=AS_OF - timedelta(days=5), issuer=ca)
    case = diagnose(fl_facts(exchange_fl(expired, "IMAP, POP, IIS, SMTP", locale="de")))
    finding = only_finding(case, "certificate-expired")
    iso = (AS_OF - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%S")
    assert thumbprint(expired) in finding.summary
    assert iso in finding.summary and "IMAP, POP, IIS, SMTP" in finding.summary
    assert finding.severity == "critical" and finding.kind == "fault"
    assert any(f"Remove-ExchangeCertificate -Thumbprint {thumbprint(expired)}" in s for s in finding.remediation)
    assert any("-Services IMAP,POP,IIS,SMTP" in s for s in finding.remediation)


def test_expiring_within_window_in_us_locale(ca):
    soon = make_cert("mail.example.com", ["mail.example.com"], not_after=AS_OF + timedelta(days=12, hours=3), issuer=ca)
    case = diagnose(fl_facts(exchange_fl(soon, "IIS", locale="us")))
    finding = only_finding(case, "certificate-expiring")
    assert thumbprint(soon) in finding.summary
    assert (AS_OF + timedelta(days=12, hours=3)).strftime("%Y-%m-%dT%H:%M:%S") in finding.summary
    assert "in 12 days" in finding.summary and finding.severity == "warning"
    assert not findings_of(case, "certificate-expired")


def test_valid_or_unbound_certificates_are_silent(ca):
    later = make_cert("mail.example.com", ["mail.example.com"], not_after=AS_OF + timedelta(days=45), issuer=ca)
    unbound = make_cert("old.example.com", ["old.example.com"], not_after=AS_OF - timedelta(days=400), issuer=ca)
    case = diagnose(fl_facts(exchange_fl(later, "IIS, SMTP"), exchange_fl(unbound, "None")))
    assert not findings_of(case, "certificate-expiring") and not findings_of(case, "certificate-expired")


def test_expired_certificate_file_alone(ca):
    expired = make_cert("smtp.example.com", ["smtp.example.com"], not_after=AS_OF - timedelta(days=30), issuer=ca)
    case = diagnose(parse_binary(pem(expired), name="smtp.pem"))
    finding = only_finding(case, "certificate-expired")
    assert thumbprint(expired) in finding.summary and "certificate file" in finding.summary
    assert (AS_OF - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%S") in finding.summary


def test_same_certificate_as_file_and_in_list_is_one_finding(ca):
    expired = make_cert("mail.example.com", ["mail.example.com"], not_after=AS_OF - timedelta(days=2), issuer=ca)
    facts = fl_facts(exchange_fl(expired, "IIS")) + parse_binary(pem(expired), name="mail.pem")
    finding = only_finding(diagnose(facts), "certificate-expired")
    assert "bound to IIS" in finding.summary and "certificate file" not in finding.summary


# --- names, self-signed, private key ------------------------------------------------------------

def urls(*pairs):
    return [fact("exchange-url", service=s, scope=scope, url=f"https://{n}/{s}", fqdn=n) for s, scope, n in pairs]


def test_name_in_use_not_on_a_san_limited_certificate(ca):
    limited = make_cert("mail.example.com", ["mail.example.com"], not_after=AS_OF + timedelta(days=300), issuer=ca)
    facts = fl_facts(exchange_fl(limited, "IIS, SMTP")) + urls(
        ("owa", "external", "mail.example.com"), ("ews", "internal", "cas01.example.com")) + [
        fact("client-access-server", name="CAS01", autodiscover_fqdn="autodiscover.example.com")]
    case = diagnose(facts)
    names = {f.key: f for f in findings_of(case, "certificate-name-not-covered")}
    assert set(names) == {"cas01.example.com", "autodiscover.example.com"}
    assert "EWS internal URL" in names["cas01.example.com"].summary
    assert thumbprint(limited) in names["autodiscover.example.com"].summary
    assert names["autodiscover.example.com"].severity == "error"


def test_certificate_whose_names_the_shape_hid_judges_no_name(ca):
    """Export-Csv writes a type name for CertificateDomains: domains [] is "not shown", so no
    name can be said to be uncovered (the certificate might well cover it)."""
    cert = make_cert("mail.example.com", ["mail.example.com"], not_after=AS_OF + timedelta(days=300), issuer=ca)
    hidden = fact("certificate", thumbprint=thumbprint(cert), services=["IIS"], domains=[],
                  source="get-exchangecertificate", self_signed=False)
    in_use = urls(("owa", "external", "mail.example.com"), ("ews", "internal", "cas01.example.com"))
    assert not findings_of(diagnose([hidden] + in_use), "certificate-name-not-covered")
    shown = fl_facts(exchange_fl(cert, "IIS"))
    assert [f.key for f in findings_of(diagnose(shown + in_use), "certificate-name-not-covered")] == ["cas01.example.com"]


def test_wildcard_covers_one_label_only(ca):
    wildcard = make_cert("*.example.com", ["*.example.com"], not_after=AS_OF + timedelta(days=300), issuer=ca)
    facts = fl_facts(exchange_fl(wildcard, "IIS")) + urls(
        ("owa", "external", "mail.example.com"), ("ews", "internal", "cas01.site1.example.com"))
    keys = [f.key for f in findings_of(diagnose(facts), "certificate-name-not-covered")]
    assert keys == ["cas01.site1.example.com"]


def test_send_connector_and_cas_array_names(ca):
    cert = make_cert("mail.example.com", ["mail.example.com"], not_after=AS_OF + timedelta(days=300), issuer=ca)
    facts = fl_facts(exchange_fl(cert, "IIS, SMTP")) + [
        fact("send-connector", name="Internet", fqdn="smtp.example.com"),
        fact("cas-array", name="outlook-ams", fqdn="outlook.example.com")]
    case = diagnose(facts)
    found = {f.key: f for f in findings_of(case, "certificate-name-not-covered")}
    assert found["smtp.example.com"].severity == "warning" and "STARTTLS" in found["smtp.example.com"].summary
    assert found["outlook.example.com"].severity == "info"


def test_self_signed_iis_certificate_with_external_urls():
    own = make_cert("CAS01", ["CAS01", "cas01.example.com", "mail.example.com"], not_after=AS_OF + timedelta(days=900))
    facts = fl_facts(exchange_fl(own, "IIS, SMTP")) + urls(("owa", "external", "mail.example.com"))
    finding = only_finding(diagnose(facts), "certificate-self-signed-external")
    assert thumbprint(own) in finding.summary and "mail.example.com" in finding.summary


def test_self_signed_without_external_urls_or_ca_signed_is_silent(ca):
    own = make_cert("CAS01", ["CAS01", "cas01.example.com"], not_after=AS_OF + timedelta(days=900))
    signed = make_cert("mail.example.com", ["mail.example.com"], not_after=AS_OF + timedelta(days=300), issuer=ca)
    assert not findings_of(diagnose(fl_facts(exchange_fl(own, "IIS")) + urls(("owa", "internal", "cas01.example.com"))),
                           "certificate-self-signed-external")
    assert not findings_of(diagnose(fl_facts(exchange_fl(signed, "IIS")) + urls(("owa", "external", "mail.example.com"))),
                           "certificate-self-signed-external")


def test_bound_certificate_without_private_key(ca):
    cert = make_cert("mail.example.com", ["mail.example.com"], not_after=AS_OF + timedelta(days=300), issuer=ca)
    finding = only_finding(diagnose(fl_facts(exchange_fl(cert, "SMTP", has_key=False))), "certificate-no-private-key")
    assert thumbprint(cert) in finding.summary and "SMTP" in finding.summary
    unbound = make_cert("x.example.com", ["x.example.com"], not_after=AS_OF + timedelta(days=300), issuer=ca)
    assert not findings_of(diagnose(fl_facts(exchange_fl(unbound, "None", has_key=False))), "certificate-no-private-key")


def test_warning_window_is_the_pack_default_of_30_days(ca):
    inside = make_cert("a.example.com", ["a.example.com"], not_after=AS_OF + timedelta(days=29), issuer=ca)
    outside = make_cert("b.example.com", ["b.example.com"], not_after=AS_OF + timedelta(days=31), issuer=ca)
    case = diagnose(fl_facts(exchange_fl(inside, "IIS"), exchange_fl(outside, "IIS")))
    assert [f.key for f in findings_of(case, "certificate-expiring")] == [thumbprint(inside)]
    assert "warning window 30 days" in findings_of(case, "certificate-expiring")[0].summary


def test_der_and_pem_through_the_core_pipeline(tmp_path):
    """The core offers a binary artifact to binary parsers only; both forms end up as certificates."""
    from hakb.plugin_manager import fact_schemas
    from hakb.parsing import parse_artifact
    from hakb.plugin_manager import get_plugin_manager, parsers

    cert = make_cert("mail.example.com", ["mail.example.com"], not_after=AS_OF + timedelta(days=90))
    pm = get_plugin_manager()
    for name, data in (("mail.cer", der(cert)), ("mail.pem", pem(cert))):
        path = tmp_path / name
        path.write_bytes(data)
        result = parse_artifact(Artifact(name=name, path=path, size=len(data)), parsers(pm), fact_schemas(pm))
        assert (result.status, result.parser) == ("parsed", "x509-certificate"), result.message
        assert result.facts[0].slots["thumbprint"] == thumbprint(cert)


def test_pem_fed_as_text_lines_still_reads():
    cert = make_cert("mail.example.com", ["mail.example.com"], not_after=AS_OF + timedelta(days=90))
    (only,) = parse_text(PEM_PARSER, pem(cert).decode(), name="pasted.txt")
    assert only.slots["thumbprint"] == thumbprint(cert) and only.line == 1
