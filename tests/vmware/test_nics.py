"""NIC listings and inventory exports: which host owns a MAC; active hosts of a datastore."""

from hakb.model import Head
from hakb.plugins.vmware import nics, vmkfstools
from hakb.testing import parse_bytes, parse_file, parse_text, run_parser_alone

from .conftest import rows, sample

PARSER = nics.PARSERS[0]
NIC = ("name", "mac", "mtu", "source")


def parse(name, host=None):
    return parse_file(PARSER, sample(name), host=host)


def test_esxcfg_nics_table():
    facts = parse("esxcfg-nics-l.txt", host="esx01.lab.example")
    assert rows(facts, "host-nic", *NIC) == [
        (2, "vmnic0", "00:50:56:0a:01:01", 1500, "esxcfg-nics"),
        (3, "vmnic1", "00:50:56:0a:01:02", 1500, "esxcfg-nics"),
        (4, "vmnic2", "00:50:56:0a:01:03", 9000, "esxcfg-nics"),  # printed in upper case
        (5, "vmnic3", "00:50:56:0a:01:04", 1500, "esxcfg-nics")]
    assert {f.host for f in facts} == {"esx01.lab.example"}
    assert facts[0].text.startswith("vmnic0  0000:02:00.0 ntg3")


def test_esxcli_nic_list_with_header_rule():
    facts = parse("esxcli-network-nic-list.txt")
    assert rows(facts, "host-nic", *NIC) == [
        (3, "vmnic0", "00:50:56:0a:02:01", 1500, "esxcli-nic-list"),
        (4, "vmnic1", "00:50:56:0a:02:02", 1500, "esxcli-nic-list"),
        (5, "vmnic2", "00:50:56:0a:02:03", 9000, "esxcli-nic-list")]


def test_ip_interface_blocks_joined_with_ipv4_addresses_host_from_prompt():
    # The parse function alone, on the whole session: a run gives the ipv4 section apart, and
    # the addresses are then not joined (tests/vmware/test_real_pipe.py shows it).
    facts = run_parser_alone(PARSER, sample("esxcli-ip-interface-session.txt"))
    assert rows(facts, "host-nic", *NIC, "netstack", "portgroup", "vds", "ip") == [
        (4, "vmk0", "00:50:56:0a:03:01", 1500, "esxcli-ip-interface", "defaultTcpipStack",
         "Management Network", "", "192.0.2.13"),
        (23, "vmk1", "00:50:56:6b:03:11", 9000, "esxcli-ip-interface", "vmotion", "", "dvs-prod",
         "198.51.100.13")]
    assert {f.host for f in facts} == {"esx03"}
    assert facts[0].text == "   MAC Address: 00:50:56:0a:03:01"


def test_ip_interface_list_without_prompt_or_indentation():
    text = "Name: vmk0\nMAC Address: 00-50-56-0A-03-01\nNetstack Instance: defaultTcpipStack\nMTU: 1500\n"
    facts = parse_text(PARSER, text, host="esx03")
    assert rows(facts, "host-nic", *NIC, "netstack") == [
        (2, "vmk0", "00:50:56:0a:03:01", 1500, "esxcli-ip-interface", "defaultTcpipStack")]


def test_esxcfg_vmknic_reports_each_interface_once():
    facts = parse("esxcfg-vmknic-l.txt")
    assert rows(facts, "host-nic", *NIC, "ip", "portgroup", "netstack") == [
        (2, "vmk0", "00:50:56:0a:01:01", 1500, "esxcfg-vmknic", "192.0.2.11", "Management Network",
         "defaultTcpipStack"),
        (4, "vmk1", "00:50:56:6b:01:11", 9000, "esxcfg-vmknic", "198.51.100.11", "12", "vmotion")]


def test_activehosts_pasted_with_an_en_dash():
    facts = parse("vmkfstools-activehosts.txt")
    assert rows(facts, "vmfs-active-host", "datastore", "mac") == [
        (3, "ds-prod-01", "00:50:56:0a:01:01"),
        (4, "ds-prod-01", "00:50:56:0a:02:01"),
        (5, "ds-prod-01", "00:50:56:0a:03:01")]


def test_activehosts_datastore_from_the_command_line_alone():
    text = "[root@esx01:~] vmkfstools --activehosts ds-prod-02\n(1): MAC address 00:50:56:0a:01:01\n"
    assert rows(parse_text(PARSER, text), "vmfs-active-host", "datastore", "mac") == [
        (2, "ds-prod-02", "00:50:56:0a:01:01")]


def test_powercli_csv_with_type_line_takes_host_from_vmhost_column():
    facts = parse("vmhost-nics.csv", host="ignored-folder-host")
    assert [(f.line, f.host, f.slots["name"], f.slots["mac"], f.slots["source"]) for f in facts] == [
        (3, "esx04.lab.example", "vmnic0", "00:50:56:0a:04:01", "inventory-csv"),
        (4, "esx04.lab.example", "vmnic1", "00:50:56:0a:04:02", "inventory-csv"),
        (5, "esx05.lab.example", "vmnic0", "00:50:56:0a:05:01", "inventory-csv")]
    assert "mtu" not in facts[0].slots  # no Mtu column: unknown, not zero


def test_powercli_csv_semicolons_other_order_and_dashed_macs():
    facts = parse("vmhost-vmknics-usecult.csv")
    assert rows(facts, "host-nic", *NIC, "ip", "portgroup") == [
        (2, "vmk0", "00:50:56:0a:04:01", 1500, "inventory-csv", "192.0.2.14", "Management Network"),
        (3, "vmk1", "00:50:56:6b:04:11", 9000, "inventory-csv", "198.51.100.14", "vMotion")]
    assert {f.host for f in facts} == {"esx04.lab.example"}


def test_csv_written_by_powershell_redirect_utf16le_bom_crlf():
    text = sample("vmhost-nics.csv").read_text().replace("\n", "\r\n")
    plain = parse("vmhost-nics.csv")
    for data in (text.encode(), b"\xff\xfe" + text.encode("utf-16-le")):
        again = parse_bytes(PARSER, data, name="nics.csv")
        assert [(f.line, f.host, dict(f.slots)) for f in again] == [(f.line, f.host, dict(f.slots)) for f in plain]
    assert len(plain) == 3


def test_pasted_listing_with_prompt_pager_and_blank_lines():
    text = ("~ # esxcfg-nics -l | more\n"
            "Name    PCI          Driver      Link Speed      Duplex MAC Address       MTU    Description\n"
            "vmnic0  0000:02:00.0 ntg3        Up   1000Mbps   Full   00:50:56:0a:03:01 1500   Broadcom BCM5720\n"
            "\n"
            " --More-- \n"
            "\x1b[7m--More--\x1b[m\x08\x08\x08\x08\x08\x08\x08\x08        \x08\x08\x08\x08\x08\x08\x08\x08"
            "vmnic1  0000:02:00.1 ntg3        Up   1000Mbps   Full   00:50:56:0a:03:02 1500   Broadcom BCM5720\n"
            "~ # \n")
    assert rows(parse_text(PARSER, text), "host-nic", "name", "mac") == [
        (3, "vmnic0", "00:50:56:0a:03:01"), (6, "vmnic1", "00:50:56:0a:03:02")]


def test_owner_mac_and_nic_mac_compare_whatever_the_notation():
    # The dump prints the owner UUID in upper case; the listings print MACs three ways.
    (lock, _) = parse_file(vmkfstools.PARSERS[0], sample("vmkfstools-D-4x.txt"))[1:]
    listings = parse("esxcli-network-nic-list.txt") + parse_text(
        PARSER, '"VMHost","Name","Mac"\n"esx02","vmnic0","00-50-56-0A-02-01"\n')
    assert lock.slots["owner_mac"] == "00:50:56:0a:02:01"
    assert [f.slots["mac"] for f in listings if f.slots["name"] == "vmnic0"] == ["00:50:56:0a:02:01"] * 2


def test_recognise_claims_listings_only():
    def score(text):
        return PARSER.recognise(Head("pasted.txt", text, text.encode()))

    for name in ("esxcfg-nics-l.txt", "esxcli-network-nic-list.txt", "esxcli-ip-interface-session.txt",
                 "esxcfg-vmknic-l.txt", "vmkfstools-activehosts.txt", "vmhost-nics.csv",
                 "vmhost-vmknics-usecult.csv"):
        assert score(sample(name).read_text()) == 90, name
    for name in ("vmkfstools-D-5x.txt", "hostd-6.5.log", "vmkernel.log", "vmware.log"):
        assert score(sample(name).read_text()) == 0, name
    # A CSV without a MAC column is some other export.
    assert score('"VMHost","Name","ConnectionState"\n"esx01","vmnic0","Connected"\n') == 0
