"""The client access, certificate, Edge, migration and Outlook example bundles, diagnosed end to
end: each fault example names its concrete values, each healthy counterpart gives no finding of
that part."""

import pytest

from hakb.testing import findings_of

#: example -> [(finding id, key or None, texts that must appear in summary or fix steps)]
FAULTS = {
    "transporter-imap-errors": [("transporter-imap-errors", None, [
        "FETCH parse error", "ReadLine returned a null response", "from 2500 (the default) to 2000",
        "/v ImapFetchBatchSize /t REG_DWORD /d 2000 /f", '"ImapFetchBatchSize"=dword:000007d0',
        "PipelineFlushThresholdMB from 600 (the default) to 200", "2047 MB"])],
    "outlook-2007-archive": [("outlook-2007-archive", None, [
        "build 12.0.6423.1000 is older than 12.0.6550.5000", "KB2458611",
        "the Standard edition does not include archive support"])],
    "outlook-2007-archive-licence": [("outlook-2007-archive", None, [
        "Professional Plus edition supports it only with a volume licence, this one is retail"])],
    "mailbox-move-profile": [("mailbox-move-profile", "Jan de Vries", [
        "the Outlook profile still names outlook.example.com", "outlook-rtm.example.com", "DB-RTM01"])],
    "switchover-cas-array": [("cas-array-switchover", "outlook-dr.example.com / outlook.example.com", [
        "outlook.example.com was repointed", "198.51.100.20", "dc02.example.com still answers"])],
    "kerberos-spn": [
        ("kerberos-spn-missing", "exchangeAB/outlook.example.com", ["setspn -S exchangeAB/outlook.example.com EXCHASA$"]),
        ("kerberos-spn-duplicate", "exchangemdb/outlook.example.com", ["CN=CAS01,CN=Computers,DC=example,DC=com"]),
        ("kerberos-spn-external-autodiscover", "http/autodiscover.example.com", ["setspn -D http/autodiscover.example.com"]),
    ],
    "certificate-expired": [("certificate-expired", "9BBBDA84E068271BB405367419A45592A5061838", [
        "9BBBDA84E068271BB405367419A45592A5061838", "expired on 2019-02-23T23:59:59", "IMAP, POP, IIS, SMTP"])],
    "certificate-expiring": [("certificate-expiring", "1EE8B9B137752A55104C246F84541C2C8C348731", [
        "expires on 2019-03-13T08:30:00", "in 11 days"])],
    "certificate-names": [
        ("certificate-name-not-covered", "cas01.example.com", ["EWS internal URL", "619BB3ADC0753CEDB0FDC15C4032FB395AAC801D"]),
        ("certificate-name-not-covered", "autodiscover.example.com", ["internal Autodiscover service URI"]),
        ("certificate-no-private-key", "995359413A4844B2C87448581B06C8B7D64B0100", ["bound to SMTP"]),
    ],
    "certificate-self-signed": [("certificate-self-signed-external", "628AAFA7DF3F8D0BD65E54E640DF0464CBD4F3FF", [
        "is self-signed", "mail.example.com"])],
    "federation-trust-rtm": [("federation-trust-certificate", "AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12", [
        "14.0.639.21", "self-signed", "install Exchange 2010 SP1 or later on EX01"])],
    "kerberos-spn-split": [("kerberos-spn-split", "alternate service account", [
        "http/mail.example.com on EXCHASA-OLD", "exchangeMDB/outlook.example.com on EXCHASA"])],
    "edge-transport-rdp": [("edge-transport-rdp", "edge01", [
        '"Remote Desktop (TCP-In)" allows TCP 3389 to Edge edge01 from any address',
        'netsh advfirewall firewall set rule name="Remote Desktop (TCP-In)" new enable=no'])],
    "edge-transport": [
        ("edge-transport-firewall", "edge01 in TCP 50636", ["Inbound TCP 50636", "localport=50636"]),
        ("edge-sync-stale", "edge01", ["last synchronised 2011-03-01T09:00:00", "6 hours"]),
        ("edge-transport-receive-connector", "HUB01\\Default HUB01", ["accepts anonymous senders"]),
    ],
}

HEALTHY = ["transporter-healthy", "outlook-2007-archive-healthy", "mailbox-move-profile-healthy",
           "switchover-cas-array-healthy", "kerberos-spn-healthy", "certificate-healthy",
           "federation-trust-healthy", "edge-transport-healthy"]


@pytest.mark.parametrize("example", sorted(FAULTS))
def test_fault_examples(run_example, example):
    case = run_example(example)
    for finding_id, key, texts in FAULTS[example]:
        found = [f for f in findings_of(case, finding_id) if key is None or f.key == key]
        assert len(found) == 1, (finding_id, key, [(f.id, f.key) for f in case.findings])
        body = found[0].summary + "\n" + "\n".join(found[0].remediation)
        for text in texts:
            assert text in body, (finding_id, text, body)
        assert found[0].evidence, finding_id
        assert not [e for e in found[0].evidence if e.artifact.endswith("README.md")], finding_id
    # Each expected finding matched exactly once, so equal counts mean nothing else was reported.
    assert len([f for f in case.findings if f.pack == "exchange"]) == len(FAULTS[example])


@pytest.mark.parametrize("example", HEALTHY)
def test_healthy_examples_are_silent(run_example, example):
    case = run_example(example)
    assert [(f.id, f.key) for f in case.findings if f.pack == "exchange"] == []
    assert not [u for u in case.unverified if u.rule.startswith(("transporter", "outlook", "kerberos",
                                                                  "certificate", "federation", "edge"))]


def test_expected_behaviour_is_marked_as_such(run_example):
    for example, finding_id in (("mailbox-move-profile", "mailbox-move-profile"),
                                ("switchover-cas-array", "cas-array-switchover")):
        finding = findings_of(run_example(example), finding_id)[0]
        assert finding.kind == "expected-behaviour" and finding.as_dict()["kind"] == "expected-behaviour"


def test_transcript_sets_the_as_of_time(run_example):
    case = run_example("certificate-expiring")
    assert case.as_of.isoformat() == "2019-03-01T12:00:00+00:00"


def test_edge_findings_share_a_story(run_example):
    case = run_example("edge-transport")
    stale, flow = findings_of(case, "edge-sync-stale")[0], findings_of(case, "edge-transport-firewall")[0]
    assert stale.story == flow.story
