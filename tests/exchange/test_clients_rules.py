"""Messaging rules on hand-made facts: each fires with the case's values and stays silent when healthy."""

from datetime import datetime, timezone

from hakb.testing import fact, findings_of, only_finding, run_facts

from .conftest import pack_errors

PREFS = r"Software\Microsoft\Transporter\Preferences"
PROFILE = (r"Software\Microsoft\Windows NT\CurrentVersion\Windows Messaging Subsystem\Profiles\Outlook"
           r"\13dbb0c8aa05101a9bb000aa002fc45a")
ASA = "CN=EXCHASA,CN=Computers,DC=example,DC=com"


def diagnose(facts, as_of=None):
    case = run_facts(facts, as_of=as_of)
    assert not pack_errors(case), case.errors
    return case


def text(finding) -> str:
    return finding.summary + "\n" + "\n".join(finding.remediation)


# --- Transporter ------------------------------------------------------------------------------

FETCH = fact("transporter-error", kind="fetch-parse-error", level="Error", folder="INBOX")


def pref(name, number):
    return fact("registry-value", subkey=PREFS, name=name, reg_type="REG_DWORD", number=number,
                key="HKEY_CURRENT_USER\\" + PREFS, hive="HKCU")


def test_transporter_defaults_on_a_small_server():
    case = diagnose([FETCH, fact("registry-key", subkey=PREFS, hive="HKCU"),
                     fact("windows-system", hostname="MIG01", total_memory_mb=2047)])
    finding = only_finding(case, "transporter-imap-errors")
    body = text(finding)
    assert "lower ImapFetchBatchSize from 2500 (the default) to 2000" in finding.summary
    assert "PipelineFlushThresholdMB from 600 (the default) to 200" in finding.summary
    assert '/v ImapFetchBatchSize /t REG_DWORD /d 2000 /f' in body
    assert '"ImapFetchBatchSize"=dword:000007d0' in body
    assert '/v PipelineFlushThresholdMB /t REG_DWORD /d 200 /f' in body
    assert '"PipelineFlushThresholdMB"=dword:000000c8' in body
    assert not case.unverified


def test_transporter_steps_down_from_the_current_value():
    case = diagnose([FETCH, pref("ImapFetchBatchSize", 1000), pref("PipelineFlushThresholdMB", 300),
                     fact("windows-system", hostname="MIG01", total_memory_mb=8192)])
    finding = only_finding(case, "transporter-imap-errors")
    assert "from 1000 to 500" in finding.summary
    assert "PipelineFlushThresholdMB" not in finding.summary          # 300 MB is fine with 8 GB
    assert any("Leave PipelineFlushThresholdMB at 300" in s for s in finding.remediation)


def test_transporter_at_the_floor_and_without_memory():
    case = diagnose([fact("transporter-error", kind="readline-null"), pref("ImapFetchBatchSize", 500)])
    finding = only_finding(case, "transporter-imap-errors")
    assert "ReadLine returned a null response" in finding.summary
    assert "ImapFetchBatchSize is already 500" in finding.summary
    assert [u.collect for u in case.unverified] == ["systeminfo on the server that runs the Transporter console"]


def test_transporter_silent_without_errors():
    case = diagnose([pref("ImapFetchBatchSize", 2500), fact("windows-system", total_memory_mb=1024)])
    assert not findings_of(case, "transporter-imap-errors")


# --- Outlook 2007 and the archive -----------------------------------------------------------

def outlook(**slots):
    base = dict(major=12, includes_outlook=True, source="help-about", licence="")
    return fact("office-product", **{**base, **slots})


def test_outlook_2007_without_update_and_wrong_edition():
    case = diagnose([outlook(product="Microsoft Office Standard 2007", edition="Standard",
                             outlook_version="12.0.6423.1000", outlook_build=6423, version="12.0.6425.1000",
                             version_build=6425)])
    finding = only_finding(case, "outlook-2007-archive")
    assert "build 12.0.6423.1000 is older than 12.0.6550.5000" in finding.summary
    assert "KB2458611" in finding.summary
    assert "the Standard edition does not include archive support" in finding.summary


def test_outlook_2007_professional_plus_retail_is_the_wrong_licence():
    case = diagnose([outlook(product="Microsoft Office Professional Plus 2007", edition="Professional Plus",
                             licence="retail", source="uninstall-key", version="12.0.6607.1000",
                             version_build=6607)])
    finding = only_finding(case, "outlook-2007-archive")
    assert "only with a volume licence, this one is retail" in finding.summary
    assert "older than" not in finding.summary                        # SP3 includes the update


def test_outlook_2007_updated_supported_editions_are_silent():
    healthy = [
        outlook(edition="Enterprise", outlook_version="12.0.6550.5000", outlook_build=6550),
        outlook(edition="Ultimate", licence="retail", outlook_build=6607),
        outlook(edition="Outlook", licence="volume", outlook_build=6562),
    ]
    for product in healthy:
        assert not findings_of(diagnose([product]), "outlook-2007-archive")
    # The uninstall key shows the service pack level; the listed hotfix proves the update.
    registry = [outlook(edition="Enterprise", licence="volume", source="uninstall-key", version_build=6425,
                        product_code="{90120000-0030-0000-0000-0000000FF1CE}"),
                fact("office-update", kb="2458611", name="Hotfix for Microsoft Office Outlook 2007 (KB2458611)")]
    assert not findings_of(diagnose(registry), "outlook-2007-archive")


def test_outlook_2010_is_not_judged():
    assert not findings_of(diagnose([outlook(major=14, edition="Standard", outlook_build=4760)]),
                           "outlook-2007-archive")


def test_rpc_client_access_log_shows_old_outlook_2007_clients():
    case = diagnose([fact("rpc-client-session", software="OUTLOOK.EXE", version="12.0.6423.1000", major=12,
                          client_build=6423, client_name="/o=Example/cn=Recipients/cn=jdevries", rpc_status="0")])
    finding = only_finding(case, "outlook-2007-archive")
    assert "/o=Example/cn=Recipients/cn=jdevries" in finding.summary and "12.0.6423.1000" in finding.summary


# --- expected behaviour: mailbox move and switchover -------------------------------------------

MOVE = [fact("mailbox-move", mailbox="Jan de Vries", status="Completed", source_database="DB-AMS01",
             target_database="DB-RTM01", completed_iso="2011-03-01T10:15:00"),
        fact("mailbox-database", name="DB-AMS01", rpc_client_access_server="outlook.example.com"),
        fact("mailbox-database", name="DB-RTM01", rpc_client_access_server="outlook-rtm.example.com")]


def profile(server):
    return fact("registry-value", subkey=PROFILE, name="001e6602", reg_type="REG_BINARY", decoded=server)


def test_cross_site_move_with_profile_on_old_server_is_expected_behaviour():
    finding = only_finding(diagnose(MOVE + [profile("outlook.example.com")]), "mailbox-move-profile")
    assert finding.kind == "expected-behaviour" and finding.severity == "info"
    assert "the Outlook profile still names outlook.example.com" in finding.summary
    assert "repair the profile so it connects to outlook-rtm.example.com" in finding.summary
    assert finding.confidence == 0.95


def test_move_without_profile_evidence_is_reported_with_less_confidence():
    finding = only_finding(diagnose(MOVE), "mailbox-move-profile")
    assert finding.confidence == 0.6 and "DB-RTM01" in finding.summary


def test_move_is_silent_when_profile_updated_or_same_rpc_server():
    assert not findings_of(diagnose(MOVE + [profile("outlook-rtm.example.com")]), "mailbox-move-profile")
    same = MOVE[:2] + [fact("mailbox-database", name="DB-AMS02", rpc_client_access_server="OUTLOOK.example.com"),
                       fact("mailbox-move", mailbox="Piet", status="Completed", source_database="DB-AMS01",
                            target_database="DB-AMS02")]
    assert not findings_of(diagnose(same[1:]), "mailbox-move-profile")


ARRAYS = [fact("cas-array", name="outlook-ams", fqdn="outlook.example.com", site="Amsterdam"),
          fact("cas-array", name="outlook-rtm", fqdn="outlook-dr.example.com", site="Rotterdam")]


def lookup(name, address, server="dc01.example.com"):
    return fact("dns-lookup", name=name, addresses=[address], dns_server=server)


def test_switchover_repointing_is_expected_and_names_stale_dns():
    case = diagnose(ARRAYS + [lookup("outlook.example.com", "198.51.100.20"),
                              lookup("outlook-dr.example.com", "198.51.100.20"),
                              lookup("outlook.example.com", "192.0.2.20", "dc02.example.com")])
    finding = only_finding(case, "cas-array-switchover")
    assert finding.kind == "expected-behaviour"
    assert "outlook.example.com was repointed" in finding.summary
    assert "dc02.example.com still answers outlook.example.com with 192.0.2.20" in finding.summary
    assert any("Do not change Outlook profiles" in s for s in finding.remediation)


def test_no_switchover_when_arrays_resolve_to_their_own_addresses():
    case = diagnose(ARRAYS + [lookup("outlook.example.com", "192.0.2.20"),
                              lookup("outlook-dr.example.com", "198.51.100.20")])
    assert not findings_of(case, "cas-array-switchover")


# --- Kerberos ---------------------------------------------------------------------------------

def spn(name, account=ASA):
    service, target = name.split("/")
    return fact("spn-registration", spn=name, service_class=service.lower(), target=target.lower(), account=account)


KERBEROS = [fact("cas-array", fqdn="outlook.example.com"),
            fact("client-access-server", name="CAS01", autodiscover_fqdn="mail.example.com")]
COMPLETE = [spn("http/mail.example.com"), spn("exchangeMDB/outlook.example.com"),
            spn("exchangeRFR/outlook.example.com"), spn("exchangeAB/outlook.example.com")]


def test_kerberos_complete_registration_is_silent():
    case = diagnose(KERBEROS + COMPLETE)
    assert not [f for f in case.findings if f.id.startswith("kerberos-")]


def test_kerberos_missing_spn_names_the_command():
    finding = only_finding(diagnose(KERBEROS + COMPLETE[:3]), "kerberos-spn-missing")
    assert finding.key == "exchangeAB/outlook.example.com"
    assert "setspn -S exchangeAB/outlook.example.com EXCHASA$" in text(finding)


def test_kerberos_duplicate_and_split():
    duplicate = only_finding(diagnose(KERBEROS + COMPLETE + [
        spn("exchangeMDB/outlook.example.com", "CN=CAS01,CN=Computers,DC=example,DC=com")]), "kerberos-spn-duplicate")
    assert "registered on 2 accounts" in duplicate.summary
    assert "setspn -D exchangeMDB/outlook.example.com CAS01$" in text(duplicate)
    split = only_finding(diagnose(KERBEROS + COMPLETE[1:] + [
        spn("http/mail.example.com", "CN=WEBASA,CN=Computers,DC=example,DC=com")]), "kerberos-spn-split")
    assert "http/mail.example.com on WEBASA" in split.summary


def test_kerberos_external_autodiscover_is_information():
    finding = only_finding(diagnose(KERBEROS + COMPLETE + [spn("http/autodiscover.example.com")]),
                           "kerberos-spn-external-autodiscover")
    assert finding.kind == "design" and finding.severity == "info"
    assert "http/autodiscover.example.com" in finding.summary and "mail.example.com" in finding.summary


def test_kerberos_not_judged_without_setspn_output():
    assert not [f for f in diagnose(KERBEROS).findings if f.id.startswith("kerberos-")]


# --- Federation trust -------------------------------------------------------------------------

THUMB = "AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12"
TRUST = fact("federation-trust", name="Microsoft Federation Gateway", org_certificate=THUMB)


def server(version, minor):
    return fact("exchange-server", name="EX01", version=version, major=14, minor=minor)


def federation_cert(self_signed, root):
    return fact("certificate", thumbprint=THUMB, subject="CN=Federation", self_signed=self_signed,
                root_ca_type=root, services=["Federation"])


def test_rtm_with_self_signed_federation_certificate():
    finding = only_finding(diagnose([TRUST, server("14.0.639.21", 0), federation_cert(True, "None")]),
                           "federation-trust-certificate")
    assert "14.0.639.21" in finding.summary and THUMB in finding.summary and "self-signed" in finding.summary


def test_rtm_with_internal_pki_certificate():
    finding = only_finding(diagnose([TRUST, server("14.0.639.21", 0), federation_cert(False, "Enterprise")]),
                           "federation-trust-certificate")
    assert "internal CA (RootCAType Enterprise)" in finding.summary


def test_sp1_self_signed_and_rtm_third_party_are_fine():
    assert not findings_of(diagnose([TRUST, server("14.1.218.15", 1), federation_cert(True, "None")]),
                           "federation-trust-certificate")
    assert not findings_of(diagnose([TRUST, server("14.0.639.21", 0), federation_cert(False, "ThirdParty")]),
                           "federation-trust-certificate")


def test_rtm_with_unknown_certificate_asks_for_it():
    case = diagnose([TRUST, server("14.0.639.21", 0)])
    assert not findings_of(case, "federation-trust-certificate")
    assert [u.collect for u in case.unverified] == [f"Get-ExchangeCertificate -Thumbprint {THUMB} | fl"]


# --- Edge Transport ---------------------------------------------------------------------------

def rule(name, direction, ports, action="allow", host="edge01", remote="Any"):
    local, remote_ports = (ports, ["Any"]) if direction == "in" else (["Any"], ports)
    return fact("firewall-rule", host=host, name=name, enabled=True, direction=direction, action=action,
                protocol="TCP", local_ports=local, remote_ports=remote_ports, remote_ip=remote)


EDGE_CONNECTOR = fact("receive-connector", host="edge01", identity="EDGE01\\Default internal receive connector EDGE01",
                      name="Default internal receive connector EDGE01", server="EDGE01", ports=[25],
                      permission_groups=["AnonymousUsers", "ExchangeServers", "Partners"], anonymous=True,
                      enabled=True, default_kind="edge-default")
HUB = [fact("receive-connector", host="hub01", identity="HUB01\\Default HUB01", name="Default HUB01", server="HUB01",
            ports=[25], permission_groups=["ExchangeUsers", "ExchangeServers"], anonymous=False,
            default_kind="hub-default"),
       fact("receive-connector", host="hub01", identity="HUB01\\Client HUB01", name="Client HUB01", server="HUB01",
            ports=[587], permission_groups=["ExchangeUsers"], anonymous=False, default_kind="hub-client")]
POLICY = fact("firewall-policy", host="edge01", profile="Domain", state="on", inbound="block", outbound="allow")
FLOWS = [rule("SMTP in", "in", ["25"]), rule("EdgeSync", "in", ["50636"]), POLICY]
NOW = datetime(2011, 3, 1, 15, 0, tzinfo=timezone.utc)


def edge_ids(case):
    return sorted((f.id, f.key) for f in case.findings if f.id.startswith("edge-"))


def test_edge_healthy_is_silent():
    sync = fact("edgesync-status", name="EDGE01", sync_status="Normal", connection_result="Succeeded",
                last_sync=int(NOW.timestamp()) - 1800)
    assert edge_ids(diagnose([EDGE_CONNECTOR, sync] + FLOWS + HUB, as_of=NOW)) == []


def test_edge_missing_ldaps_and_stale_edgesync_are_one_story():
    sync = fact("edgesync-status", name="EDGE01", sync_status="Normal", connection_result="Succeeded",
                last_sync=int(NOW.timestamp()) - 6 * 3600, last_sync_iso="2011-03-01T09:00:00")
    case = diagnose([EDGE_CONNECTOR, sync, FLOWS[0], POLICY] + HUB, as_of=NOW)
    flow = only_finding(case, "edge-transport-firewall")
    assert flow.key == "edge01 in TCP 50636"
    assert "Inbound TCP 50636" in flow.summary and "EdgeSync" in flow.summary
    assert "localport=50636" in text(flow)
    stale = only_finding(case, "edge-sync-stale")
    assert "6 hours before" in stale.summary and "TCP 50636" in stale.summary
    assert stale.story == flow.story and ("edge-transport-firewall", flow.key) in stale.related


def test_edge_outbound_dns_blocked_by_a_rule():
    case = diagnose([EDGE_CONNECTOR] + FLOWS + [rule("No DNS", "out", ["53"], action="block")] + HUB)
    finding = only_finding(case, "edge-transport-firewall")
    assert finding.key == "edge01 out TCP 53" and 'blocked by the firewall rule "No DNS"' in finding.summary


def test_edge_outbound_block_policy_needs_allow_rules():
    block_out = fact("firewall-policy", host="edge01", profile="Domain", state="on", inbound="block", outbound="block")
    case = diagnose([EDGE_CONNECTOR, FLOWS[0], FLOWS[1], block_out, rule("SMTP out", "out", ["25"])] + HUB)
    assert [f.key for f in findings_of(case, "edge-transport-firewall")] == ["edge01 out TCP 53"]


def test_connector_settings():
    hub_anonymous = fact("receive-connector", host="hub01", identity="HUB01\\Default HUB01", name="Default HUB01",
                         server="HUB01", ports=[25], permission_groups=["AnonymousUsers", "ExchangeUsers"],
                         anonymous=True, default_kind="hub-default")
    client_on_25 = fact("receive-connector", host="hub01", identity="HUB01\\Client HUB01", name="Client HUB01",
                        server="HUB01", ports=[25], permission_groups=["ExchangeUsers"], anonymous=False,
                        default_kind="hub-client")
    case = diagnose([EDGE_CONNECTOR] + FLOWS + [hub_anonymous, client_on_25])
    found = {f.key: f for f in findings_of(case, "edge-transport-receive-connector")}
    assert "accepts anonymous senders (AnonymousUsers, ExchangeUsers)" in found["HUB01\\Default HUB01"].summary
    assert "-PermissionGroups ExchangeUsers,ExchangeServers,ExchangeLegacyServers" in text(found["HUB01\\Default HUB01"])
    assert "listens on 25; client submission belongs on port 587" in found["HUB01\\Client HUB01"].summary


def test_edge_connector_without_anonymous():
    closed = fact("receive-connector", host="edge01", identity="EDGE01\\Default internal receive connector EDGE01",
                  name="Default internal receive connector EDGE01", server="EDGE01", ports=[25],
                  permission_groups=["ExchangeServers", "Partners"], anonymous=False, enabled=True,
                  default_kind="edge-default")
    finding = only_finding(diagnose([closed] + FLOWS + HUB), "edge-transport-receive-connector")
    assert finding.severity == "error" and "No receive connector on Edge EDGE01 accepts anonymous" in finding.summary
    assert 'Set-ReceiveConnector "EDGE01\\Default internal receive connector EDGE01"' in text(finding)


def test_rdp_from_anywhere_is_a_design_note():
    case = diagnose([EDGE_CONNECTOR] + FLOWS + [rule("RDP", "in", ["3389"])] + HUB)
    finding = only_finding(case, "edge-transport-rdp")
    assert finding.kind == "design" and '"RDP"' in finding.summary
    inside = diagnose([EDGE_CONNECTOR] + FLOWS + [rule("RDP", "in", ["3389"], remote="192.0.2.0/24")] + HUB)
    assert not findings_of(inside, "edge-transport-rdp")


def test_change_older_than_an_hour_missing_on_the_edge():
    changed = int(NOW.timestamp()) - 2 * 3600
    org = fact("send-connector", host="hub01", name="Partner TLS", source_servers=["EDGE01"], when_changed=changed,
               when_changed_iso="2011-03-01T13:00:00")
    fresh = fact("send-connector", host="hub01", name="New route", source_servers=["EDGE01"],
                 when_changed=int(NOW.timestamp()) - 600, when_changed_iso="2011-03-01T14:50:00")
    on_edge = fact("send-connector", host="edge01", name="EdgeSync - Amsterdam to Internet", source_servers=["EDGE01"])
    domain_org = fact("accepted-domain", host="hub01", domain_name="example.net", when_changed=changed,
                      when_changed_iso="2011-03-01T13:00:00")
    domain_edge = fact("accepted-domain", host="edge01", domain_name="example.com")
    case = diagnose([EDGE_CONNECTOR, org, fresh, on_edge, domain_org, domain_edge] + FLOWS + HUB, as_of=NOW)
    finding = only_finding(case, "edge-sync-stale")
    assert "send connector Partner TLS (changed 2011-03-01T13:00:00)" in finding.summary
    assert "accepted domain example.net" in finding.summary
    assert "New route" not in finding.summary


def test_connectors_whose_bindings_the_shape_hid_are_not_judged():
    """Export-Csv writes a type name for Bindings: ports [] means "not shown", not "none"."""
    edge_unknown = fact("receive-connector", host="edge01", identity="EDGE01\\Default internal receive connector EDGE01",
                        name="Default internal receive connector EDGE01", server="EDGE01", ports=[],
                        permission_groups=["AnonymousUsers", "ExchangeServers", "Partners"], anonymous=True,
                        enabled=True, default_kind="edge-default")
    client_unknown = fact("receive-connector", host="hub01", identity="HUB01\\Client HUB01", name="Client HUB01",
                          server="HUB01", ports=[], permission_groups=["ExchangeUsers"], anonymous=False,
                          default_kind="hub-client")
    case = diagnose([edge_unknown, client_unknown] + FLOWS + HUB[:1])
    assert not findings_of(case, "edge-transport-receive-connector")
    # the same connectors with their ports shown are judged (the guard is only about unknown ports)
    client_on_25 = fact("receive-connector", host="hub01", identity="HUB01\\Client HUB01", name="Client HUB01",
                        server="HUB01", ports=[25], permission_groups=["ExchangeUsers"], anonymous=False,
                        default_kind="hub-client")
    assert [f.key for f in findings_of(diagnose([edge_unknown, client_on_25] + FLOWS + HUB[:1]),
                                       "edge-transport-receive-connector")] == ["HUB01\\Client HUB01"]
