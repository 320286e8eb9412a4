"""NIC listings and PowerCLI network adapters: which host owns a MAC, in every shape a tool prints it."""

import pytest

from hakb.plugins.vmware import nics, vmkfstools
from hakb.testing import parse_file

from .conftest import read, read_bytes, read_facts, read_text, rows, sample, values

NIC = ("name", "mac", "mtu", "source")
VMK = ("name", "mac", "mtu", "netstack", "portgroup", "vds", "source")


def test_esxcfg_nics_column_table():
    facts = read_facts(sample("esxcfg-nics-l.txt"), host="esx01.lab.example")
    assert rows(facts, "host-nic", *NIC) == [
        (2, "vmnic0", "00:50:56:0a:01:01", 1500, "esxcfg-nics"),
        (3, "vmnic1", "00:50:56:0a:01:02", 1500, "esxcfg-nics"),
        (4, "vmnic2", "00:50:56:0a:01:03", 9000, "esxcfg-nics"),  # printed in upper case
        (5, "vmnic3", "00:50:56:0a:01:04", 1500, "esxcfg-nics")]
    assert {f.host for f in facts} == {"esx01.lab.example"}
    assert facts[0].text.startswith("vmnic0  0000:02:00.0 ntg3")


ESXCLI_NIC_LIST = ["esxcli-network-nic-list.txt", "shapes/nic-list.csv", "shapes/nic-list-keyvalue.txt",
                   "shapes/nic-list.xml", "shapes/nic-list.json"]


@pytest.mark.parametrize("name", ESXCLI_NIC_LIST)
def test_every_shape_of_esxcli_network_nic_list_gives_the_same_facts(name):
    facts = read_facts(sample(name))
    assert values(facts, "host-nic", *NIC) == [
        ("vmnic0", "00:50:56:0a:02:01", 1500, "esxcli-nic-list"),
        ("vmnic1", "00:50:56:0a:02:02", 1500, "esxcli-nic-list"),
        ("vmnic2", "00:50:56:0a:02:03", 9000, "esxcli-nic-list")]
    # The evidence is the line holding the MAC (XML: the field's line).
    assert all("00:50:56:0a:02:0" in f.text or '"MACAddress"' in f.text for f in facts)


ESXCLI_IP_INTERFACES = ["../examples/locked-vmdk/esx03/esxcli-network-ip-interface-list.txt",
                        "shapes/ip-interface-list.csv", "shapes/ip-interface-list-keyvalue.txt",
                        "shapes/ip-interface-list.xml", "shapes/ip-interface-list.json"]


@pytest.mark.parametrize("name", ESXCLI_IP_INTERFACES)
def test_every_shape_of_esxcli_network_ip_interface_list_gives_the_same_facts(name):
    facts = read_facts(sample(name))
    assert values(facts, "host-nic", *VMK) == [
        ("vmk0", "00:50:56:0a:03:01", 1500, "defaultTcpipStack", "Management Network", "", "esxcli-ip-interface"),
        ("vmk1", "00:50:56:6b:03:11", 9000, "vmotion", "", "dvs-prod", "esxcli-ip-interface")]


def test_ip_interface_list_and_ipv4_get_pasted_together_host_from_the_prompt():
    facts = read_facts(sample("esxcli-ip-interface-session.txt"))
    assert rows(facts, "host-nic", *VMK) == [
        (4, "vmk0", "00:50:56:0a:03:01", 1500, "defaultTcpipStack", "Management Network", "", "esxcli-ip-interface"),
        (23, "vmk1", "00:50:56:6b:03:11", 9000, "vmotion", "", "dvs-prod", "esxcli-ip-interface")]
    # ipv4 get is another command's output: its addresses are facts of their own.
    assert rows(facts, "host-ip", "name", "ip", "netmask", "source") == [
        (42, "vmk0", "192.0.2.13", "255.255.255.0", "esxcli-ipv4"),
        (43, "vmk1", "198.51.100.13", "255.255.255.0", "esxcli-ipv4")]
    assert {f.host for f in facts} == {"esx03"}
    assert facts[0].text == "   MAC Address: 00:50:56:0a:03:01"


def test_ip_interface_list_without_prompt_or_indentation():
    text = "Name: vmk0\nMAC Address: 00-50-56-0A-03-01\nNetstack Instance: defaultTcpipStack\nMTU: 1500\n"
    assert rows(read_text(text, host="esx03"), "host-nic", *NIC, "netstack") == [
        (2, "vmk0", "00:50:56:0a:03:01", 1500, "esxcli-ip-interface", "defaultTcpipStack")]


def test_esxcfg_vmknic_reports_each_interface_once():
    facts = read_facts(sample("esxcfg-vmknic-l.txt"))
    assert rows(facts, "host-nic", *NIC, "ip", "portgroup", "netstack") == [
        (2, "vmk0", "00:50:56:0a:01:01", 1500, "esxcfg-vmknic", "192.0.2.11", "Management Network",
         "defaultTcpipStack"),
        (4, "vmk1", "00:50:56:6b:01:11", 9000, "esxcfg-vmknic", "198.51.100.11", "12", "vmotion")]


POWERCLI = ["shapes/powercli-nics-fl.txt", "shapes/powercli-nics.csv", "shapes/powercli-nics.json",
            "shapes/powercli-nics.clixml"]
ESX04 = [("esx04.lab.example", "vmnic0", "00:50:56:0a:04:01", ""),
         ("esx04.lab.example", "vmnic1", "00:50:56:0a:04:02", ""),
         ("esx04.lab.example", "vmk0", "00:50:56:0a:04:01", "192.0.2.14")]


def adapters(facts):
    return [(f.host, f.slots["name"], f.slots["mac"], f.slots["ip"]) for f in facts if f.type == "host-nic"]


@pytest.mark.parametrize("name", POWERCLI)
def test_every_shape_of_get_vmhostnetworkadapter_names_the_host_of_each_adapter(name):
    # The folder says otherwise: the VMHost property of each object is the host.
    facts = read_facts(sample(name), host="ignored-folder-host")
    assert adapters(facts) == ESX04
    assert {f.slots["source"] for f in facts} == {"Get-VMHostNetworkAdapter"}


@pytest.mark.parametrize("name", ["shapes/powercli-nics-fl.txt", "shapes/powercli-nics.json",
                                  "shapes/powercli-nics.clixml"])
def test_vmkernel_adapters_keep_mtu_and_port_group_where_the_shape_has_them(name):
    vmk0 = [f for f in read_facts(sample(name)) if f.slots["name"] == "vmk0"]
    assert [(f.slots["mtu"], f.slots["portgroup"]) for f in vmk0] == [(1500, "Management Network")]


def test_powercli_csv_with_use_culture_in_utf16le_gives_the_same_facts():
    text = sample("shapes/powercli-nics.csv").read_text(encoding="utf-8")
    german = text.replace('","', '";"').replace(",,,", ";;;")
    for data in (german.encode("utf-8-sig"), b"\xff\xfe" + german.encode("utf-16-le")):
        result = read_bytes(data, name="nics.csv")
        assert adapters(result.facts) == ESX04


def test_default_table_names_no_host_so_the_folder_does():
    facts = read_facts(sample("shapes/powercli-nics-ft.txt"), host="esx04")
    assert adapters(facts) == [("esx04",) + row[1:] for row in ESX04]
    assert "mtu" not in facts[0].slots  # not in the table: unknown, not zero


def test_table_cut_short_names_no_host():
    text = ("VMHost          Name   Mac\n"
            "------          ----   ---\n"
            "esx04.lab.ex... vmnic0 00:50:56:0a:04:01\n")
    assert [f.host for f in read_text(text, host="esx04")] == ["esx04"]


def test_older_export_with_semicolons_other_order_and_dashed_macs():
    facts = read_facts(sample("vmhost-vmknics-usecult.csv"))
    assert rows(facts, "host-nic", *NIC, "ip", "portgroup") == [
        (2, "vmk0", "00:50:56:0a:04:01", 1500, "Get-VMHostNetworkAdapter", "192.0.2.14", "Management Network"),
        (3, "vmk1", "00:50:56:6b:04:11", 9000, "Get-VMHostNetworkAdapter", "198.51.100.14", "vMotion")]
    assert {f.host for f in facts} == {"esx04.lab.example"}


def test_export_of_two_hosts_names_each_row_by_its_vmhost():
    facts = read_facts(sample("vmhost-nics.csv"))
    assert [(f.line, f.host, f.slots["name"]) for f in facts] == [
        (3, "esx04.lab.example", "vmnic0"), (4, "esx04.lab.example", "vmnic1"), (5, "esx05.lab.example", "vmnic0")]


def test_pasted_listing_with_prompt_pager_and_blank_lines():
    text = ("~ # esxcfg-nics -l | more\n"
            "Name    PCI          Driver      Link Speed      Duplex MAC Address       MTU    Description\n"
            "vmnic0  0000:02:00.0 ntg3        Up   1000Mbps   Full   00:50:56:0a:03:01 1500   Broadcom BCM5720\n"
            " --More-- \n"
            "\x1b[7m--More--\x1b[m\x08\x08\x08\x08\x08\x08\x08\x08        \x08\x08\x08\x08\x08\x08\x08\x08"
            "vmnic1  0000:02:00.1 ntg3        Up   1000Mbps   Full   00:50:56:0a:03:02 1500   Broadcom BCM5720\n"
            "~ # \n")
    assert rows(read_text(text), "host-nic", "name", "mac") == [
        (3, "vmnic0", "00:50:56:0a:03:01"), (5, "vmnic1", "00:50:56:0a:03:02")]


def test_a_session_with_several_listings_gives_facts_from_each():
    text = "\n".join([
        "[root@esx03:~] esxcli --formatter=csv network nic list",
        sample("shapes/nic-list.csv").read_text().strip(),
        "[root@esx03:~] esxcfg-vmknic -l",
        sample("esxcfg-vmknic-l.txt").read_text().strip(),
        "[root@esx03:~] exit"])
    facts = read_text(text)
    assert [(f.slots["source"], f.slots["name"]) for f in facts] == [
        ("esxcli-nic-list", "vmnic0"), ("esxcli-nic-list", "vmnic1"), ("esxcli-nic-list", "vmnic2"),
        ("esxcfg-vmknic", "vmk0"), ("esxcfg-vmknic", "vmk1")]
    assert {f.host for f in facts} == {"esx03"}


def test_a_listing_command_whose_output_cannot_be_read_is_an_error_naming_its_line():
    result = read_bytes(b"[root@esx03:~] esxcli network nic list\nError: Unknown command or namespace\n")
    assert result.status == "error" and "line 1" in result.message


def test_owner_mac_and_nic_mac_compare_whatever_the_notation():
    # The dump prints the owner UUID in upper case; the listings print MACs three ways.
    (lock, _) = parse_file(vmkfstools.PARSERS[0], sample("vmkfstools-D-4x.txt"))[1:]
    listings = read_facts(sample("esxcli-network-nic-list.txt")) + read_text(
        '"VMHost","Name","Mac"\n"esx02","vmnic0","00-50-56-0A-02-01"\n')
    assert lock.slots["owner_mac"] == "00:50:56:0a:02:01"
    assert [f.slots["mac"] for f in listings if f.slots["name"] == "vmnic0"] == ["00:50:56:0a:02:01"] * 2


def test_records_without_a_mac_are_not_read_as_nics():
    (parser,) = nics.PARSERS
    assert parser.shapes and not parser.embedded
    result = read_bytes(b'"VMHost","Name","ConnectionState"\n"esx01","vmnic0","Connected"\n')
    assert (result.status, result.facts) == ("skipped", [])
