"""What an artifact says of its own host (esxcli system hostname get, Get-VMHost), and
vmkfstools --activehosts."""

import shutil

import pytest

from hakb.diagnosis import diagnose

from .conftest import read_facts, read_text, rows, sample


@pytest.mark.parametrize("name", ["shapes/hostname-get.txt", "shapes/hostname-get.xml"])
def test_esxcli_system_hostname_get_names_the_host(name):
    facts = read_facts(sample(name))
    assert [(f.type, f.host, f.slots["name"], f.slots["source"]) for f in facts] == [
        ("host-name", "esx03.lab.example", "esx03.lab.example", "esxcli system hostname get")]


def test_hostname_get_without_a_domain_gives_the_short_name():
    facts = read_text("   Domain Name: \n   Fully Qualified Domain Name: esx03\n   Host Name: esx03\n")
    assert [f.slots["name"] for f in facts] == ["esx03"]


def test_hostname_get_names_the_host_of_its_neighbours(tmp_path):
    folder = tmp_path / "from-the-customer"
    folder.mkdir()
    shutil.copy(sample("shapes/hostname-get.txt"), folder / "hostname.txt")
    shutil.copy(sample("esxcfg-nics-l.txt"), folder / "nics.txt")
    case = diagnose([str(folder)])
    assert {f.host for f in case.facts if f.type == "host-nic"} == {"esx03.lab.example"}


def test_get_vmhost_of_one_host_names_the_session_and_its_nic_table(tmp_path):
    shutil.copy(sample("shapes/get-vmhost-ft.txt"), tmp_path / "powercli.txt")
    case = diagnose([str(tmp_path / "powercli.txt")])
    nics = [f for f in case.facts if f.type == "host-nic"]
    assert [(f.host, f.slots["name"]) for f in nics] == [
        ("esx03.lab.example", "vmnic0"), ("esx03.lab.example", "vmnic1"), ("esx03.lab.example", "vmk0")]


def test_get_vmhost_of_a_cluster_names_no_host_of_the_session(tmp_path):
    shutil.copy(sample("shapes/get-vmhost-cluster-ft.txt"), tmp_path / "powercli.txt")
    case = diagnose([str(tmp_path / "powercli.txt")])
    assert [f.slots["name"] for f in case.facts if f.type == "host-name"] == [
        "esx01.lab.example", "esx02.lab.example", "esx03.lab.example"]
    # Three hosts, and the NIC table does not say whose NIC each row is: none is guessed.
    assert {f.host for f in case.facts if f.type == "host-nic"} == {None}


def test_activehosts_pasted_with_an_en_dash():
    facts = read_facts(sample("vmkfstools-activehosts.txt"))
    assert rows(facts, "vmfs-active-host", "datastore", "mac") == [
        (3, "ds-prod-01", "00:50:56:0a:01:01"),
        (4, "ds-prod-01", "00:50:56:0a:02:01"),
        (5, "ds-prod-01", "00:50:56:0a:03:01")]


def test_activehosts_datastore_from_the_command_line_alone():
    text = "[root@esx01:~] vmkfstools --activehosts ds-prod-02\n(1): MAC address 00:50:56:0a:01:01\n"
    facts = read_text(text)
    assert rows(facts, "vmfs-active-host", "datastore", "mac") == [(2, "ds-prod-02", "00:50:56:0a:01:01")]
    assert [f.host for f in facts] == ["esx01"]
