"""Hosts as engineers name them: folders named after hosts, what artifacts say of themselves,
and one name for a host whether it is written short or fully qualified."""

import json
import shutil
import tarfile

from click.testing import CliRunner

from bundles import example
from hakb.cli import cli
from hakb.diagnosis import diagnose
from hakb.hosts import canonical_names, is_host_name, looks_like_host

LOCKED = example("locked-vmdk")
VM_SUPPORT = "esx-esx01.lab.example-2026-11-20--09.15-12345"


def test_folder_names_that_name_hosts():
    assert [is_host_name(n) for n in ("esx03", "EX-MBX-01", "vcns-manager", "sql01.example.com")] == [True] * 4
    assert [is_host_name(n) for n in ("commands", "logs", "INC0042-acmebank", "2026-11-20", "hostd.log",
                                      "case.tgz")] == [False] * 6
    # a folder given on the command line is often a case or an example: stricter
    assert [looks_like_host(n) for n in ("esx03", "ex01.example.com", "locked-vmdk", "mailserver")] == \
        [True, True, False, False]


def test_short_and_fully_qualified_names_are_one_host():
    names = canonical_names(["esx01", "ESX01", "esx01.lab.example", "esx02", "db1.a.example", "db1.b.example"])
    assert names["esx01"] == names["ESX01"] == names["esx01.lab.example"] == "esx01.lab.example"
    assert names["esx02"] == "esx02"
    assert names["db1.a.example"] != names["db1.b.example"]  # two machines sharing a short name


def test_a_host_folder_a_loose_session_and_a_vm_support_archive_name_the_holder(tmp_path):
    """`hakb diagnose esx03/ vmkfstools.txt other-host.tgz`: esx03 is named by its folder, the
    lock dump by its prompt, the symptom by the vm-support archive; the holder's MAC is on esx03."""
    shutil.copytree(LOCKED / "esx03", tmp_path / "esx03")
    shutil.copy(LOCKED / "vmkfstools-session.txt", tmp_path / "vmkfstools.txt")
    with tarfile.open(tmp_path / "other-host.tgz", "w:gz") as tar:
        tar.add(LOCKED / VM_SUPPORT, arcname=VM_SUPPORT)
    result = CliRunner().invoke(cli, ["diagnose", "--no-save", "--format", "json",
                                      str(tmp_path / "esx03") + "/", str(tmp_path / "vmkfstools.txt"),
                                      str(tmp_path / "other-host.tgz")])
    report = json.loads(result.stdout)
    [finding] = [f for f in report["findings"] if f["id"] == "vmware-locked-vmdk"]
    assert finding["values"]["holder_host"] == ["esx03"]
    assert "locked exclusively by esx03 (00:50:56:0a:03:01)" in finding["summary"]
    assert any(step.startswith("On esx03:") for step in finding["remediation"])
    hosts = {a["path"].replace(str(tmp_path), ""): a["host"] for a in report["artifacts"]}
    assert hosts["/esx03/esxcfg-nics_-l.txt"] == "esx03"
    assert hosts[f"/other-host.tgz:{VM_SUPPORT}/var/run/log/hostd.log"] == "esx01.lab.example"
    # the session's prompt says esx01, the archive esx01.lab.example: one host in the whole report
    assert {a["host"] for a in report["artifacts"]} == {"esx01.lab.example", "esx03"}


def test_what_an_artifact_says_of_itself_names_its_host_and_its_siblings(tmp_path):
    folder = tmp_path / "collected-from-a-server"
    folder.mkdir()
    (folder / "transcript.txt").write_text(
        "Windows PowerShell transcript start\nStart time: 20190301120000\n"
        "Machine   : EX07 (Microsoft Windows NT 6.1.7601)\n**********************\n"
        "PS C:\\> Get-ExchangeServer | fl Name,AdminDisplayVersion\n\n"
        "Name                : EX07\nAdminDisplayVersion : Version 14.3 (Build 123.4)\n")
    case = diagnose([str(folder)])
    assert {f.host for f in case.facts} == {"EX07"}


def test_host_flag_is_the_last_resort(tmp_path):
    session = tmp_path / "pasted.txt"
    session.write_text((LOCKED / "vmkfstools-session.txt").read_text())
    loose = tmp_path / "nics.txt"
    loose.write_text((LOCKED / "esx03" / "esxcfg-nics_-l.txt").read_text())
    case = diagnose([str(session), str(loose)], host="esx09")
    hosts = {f.artifact.rsplit("/", 1)[-1]: f.host for f in case.facts}
    assert hosts["pasted.txt"] == "esx01"  # its prompt names it
    assert hosts["nics.txt"] == "esx09"  # nothing else does


def test_hostname_output_names_the_host_of_its_folder(tmp_path):
    folder = tmp_path / "from-the-customer"
    folder.mkdir()
    (folder / "hostname.txt").write_text("[root@localhost:~] hostname\nesx03.lab.example\n")
    (folder / "nics.txt").write_text((LOCKED / "esx03" / "esxcfg-nics_-l.txt").read_text())
    case = diagnose([str(folder)])
    nics = [f for f in case.facts if f.type == "host-nic"]
    assert nics and {f.host for f in nics} == {"esx03.lab.example"}
    [name] = [f for f in case.facts if f.type == "host-name"]
    assert (name.line, name.slots["name"]) == (2, "esx03.lab.example")


def test_an_artifact_naming_several_hosts_of_itself_names_none():
    from pathlib import Path

    from hakb.hosts import assign_hosts
    from hakb.model import Artifact, Fact
    from hakb.parsing import ArtifactResult

    def result(name, *names):
        facts = [Fact("host-name", {"name": n, "source": "Get-VMHost"}, line=i, host=n) for i, n in enumerate(names, 1)]
        return ArtifactResult(Artifact(name, Path(name)), "parsed",
                              facts=facts + [Fact("host-nic", {"mac": "00:50:56:0a:01:01"}, line=9)])

    one, cluster = result("a/one.txt", "esx03", "esx03.lab.example"), result("b/cluster.txt", "esx01", "esx02")
    facts = assign_hosts([one, cluster])
    nic_hosts = [f.host for f in facts if f.type == "host-nic"]
    assert nic_hosts == ["esx03.lab.example", None]  # one host in two spellings; two hosts: none
