"""vmkfstools -D lock dumps in every shape, pasted sessions, routing, and the example bundles."""

import pytest

from hakb import ParseError
from hakb.diagnosis import diagnose
from hakb.model import Head
from hakb.parsing import choose_parser
from hakb.plugins.vmware import logs, nics, vmkfstools
from hakb.plugins.vmware.vmkfstools import LockDumpReader
from hakb.testing import parse_bytes, parse_file, parse_text
from hakb.textio import head_text

from .conftest import EXAMPLES, rows, sample

PARSER = vmkfstools.PARSERS[0]
LOCK = ("file", "disk", "mode", "owner_uuid", "owner_mac", "variant")
HOLDER = ("file", "disk", "mac", "uuid", "role")
ESX03_UUID = "5f8e1e90-2d6f7a13-04bc-0050560a0301"
ESX02_UUID = "5f8e1d7b-51c0a2e4-91aa-0050560a0201"


def parse(name, host=None):
    return parse_file(PARSER, sample(name), host=host)


def test_three_line_header_of_5x_with_exclusive_owner():
    facts = parse("vmkfstools-D-5x.txt")
    assert rows(facts, "vmfs-lock", *LOCK) == [
        (2, "", "", 1, ESX03_UUID, "00:50:56:0a:03:01", "5.x")]
    assert rows(facts, "vmfs-lock-holder", *HOLDER) == [
        (2, "", "", "00:50:56:0a:03:01", ESX03_UUID, "owner")]
    assert facts[0].text == "gen 2681, mode 1, owner 5f8e1e90-2d6f7a13-04bc-0050560a0301 mtime 1197830"


def test_two_line_header_of_4x_several_dumps_and_zero_owner():
    facts = parse("vmkfstools-D-4x.txt")
    assert rows(facts, "vmfs-lock", *LOCK) == [
        (2, "", "", 0, "", "", "4.x"),
        # The UUID is printed in upper case here: kept lower case so it compares.
        (7, "", "", 1, "4b1e7c2d-9c52009b-e812-0050560a0201", "00:50:56:0a:02:01", "4.x")]
    assert rows(facts, "vmfs-lock-holder", "mac", "role") == [(7, "00:50:56:0a:02:01", "owner")]


def test_one_line_header_multi_writer_owner_and_read_only_holders():
    facts = parse("vmkfstools-D-oneline-multiwriter.txt")
    assert rows(facts, "vmfs-lock", "mode", "owner_mac", "variant") == [(1, 3, "00:50:56:0a:01:01", "5.x")]
    assert rows(facts, "vmfs-lock-holder", "mac", "role") == [
        (1, "00:50:56:0a:01:01", "owner"),
        (2, "00:50:56:0a:01:01", "read-only"),
        (3, "00:50:56:0a:02:01", "read-only")]


def test_read_only_lock_has_one_holder_per_ro_owner_line():
    facts = parse("vmkfstools-D-readonly.txt")
    assert rows(facts, "vmfs-lock", "mode", "owner_uuid", "owner_mac") == [(2, 2, "", "")]
    holders = [f for f in facts if f.type == "vmfs-lock-holder"]
    assert [(f.line, f.slots["mac"], f.slots["uuid"], f.slots["role"]) for f in holders] == [
        (4, "00:50:56:0a:02:01", ESX02_UUID, "read-only"),
        (5, "00:50:56:0a:03:01", ESX03_UUID, "read-only")]
    assert holders[0].text.startswith("RO Owner[0] HB Offset 3440640 ")


def test_pasted_esxi7_session_names_files_host_and_skips_pager_noise():
    facts = parse_file(None, sample("vmkfstools-session-esxi7.txt"))  # every vmware parser, as a run reads it
    assert rows(facts, "vmfs-lock", "file", "disk", "mode", "owner_mac") == [
        (8, "/vmfs/volumes/ds-prod-01/app01/app01-000001-delta.vmdk", "app01-000001", 1, "00:50:56:0a:03:01"),
        # Relative path: joined with the folder the prompt shows. Mode 0 keeps the stale owner
        # in the slot but names no holder.
        (15, "/vmfs/volumes/ds-prod-01/app01/app01-flat.vmdk", "app01", 0, "00:50:56:0a:01:01")]
    assert rows(facts, "vmfs-lock-holder", "disk", "mac", "role") == [
        (8, "app01-000001", "00:50:56:0a:03:01", "owner")]
    # The NIC listing and active hosts pasted in the same session are read too.
    assert rows(facts, "vmfs-active-host", "datastore", "mac") == [
        (21, "ds-prod-01", "00:50:56:0a:01:01"), (22, "ds-prod-01", "00:50:56:0a:02:01"),
        (23, "ds-prod-01", "00:50:56:0a:03:01")]
    assert rows(facts, "host-nic", "name", "mac", "mtu", "source") == [
        (26, "vmnic0", "00:50:56:0a:01:01", 1500, "esxcfg-nics"),
        (28, "vmnic1", "00:50:56:0a:01:02", 1500, "esxcfg-nics")]
    # No folder says which host this is, so the prompt does.
    assert {f.host for f in facts} == {"esx01"}


def test_prompt_does_not_override_the_host_the_folder_gives():
    text = sample("vmkfstools-session-esxi7.txt").read_text()
    facts = parse_text(PARSER, text, name="session.txt", host="esx01.lab.example")
    assert {f.host for f in facts} == {"esx01.lab.example"}


def test_esxi5_session_with_kernel_log_tail_and_quoted_relative_path():
    facts = parse_file(None, sample("vmkfstools-session-esxi5.txt"))  # every vmware parser
    assert rows(facts, "vmfs-lock", "file", "disk", "mode", "variant") == [
        (3, "/vmfs/volumes/ds-prod-01/tmpl01/tmpl01.vmdk", "tmpl01", 0, "4.x"),
        (8, "tmpl01.vmdk", "tmpl01", 0, "vmkernel"),
        (14, "/vmfs/volumes/5f8e1a00-6c2d4b11-33aa-0050560a0101/app05/app05 (old)-flat.vmdk",
         "app05 (old)", 1, "4.x")]
    assert rows(facts, "vmfs-lock-holder", "mac", "role") == [(14, "00:50:56:0a:02:01", "owner")]


def test_utf16le_bom_and_crlf_give_the_same_facts():
    path = sample("vmkfstools-session-esxi7.txt")
    plain = parse_file(None, path)  # every vmware parser: the session's NIC listings are theirs
    text = path.read_text()
    for data in (text.replace("\n", "\r\n").encode(),
                 b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")):
        again = parse_bytes(None, data, name=path.name)
        assert [(f.type, f.line, dict(f.slots), f.text) for f in again] == \
            [(f.type, f.line, dict(f.slots), f.text) for f in plain]
    assert len(plain) == 8


def test_vmkernel_frame_interleaved_with_another_world():
    text = "\n".join([
        "2026-11-20T09:12:45.001Z cpu3:2099401)FS3: 171: <START app09-flat.vmdk>",
        "2026-11-20T09:12:45.001Z cpu3:2099401)Lock [type 10c00001 offset 1 v 2, hb offset 3",
        "2026-11-20T09:12:45.001Z cpu7:2097999)Tcpip_Vmk: 1059: Affinitizing 192.0.2.11 to world 2097999",
        "2026-11-20T09:12:45.001Z cpu3:2099401)gen 4, mode 1, owner 5f8e1e90-2d6f7a13-04bc-0050560a0301 mtime 5",
        "2026-11-20T09:12:45.001Z cpu3:2099401)num 0 gblnum 0 gblgen 0 gblbrk 0]",
        "2026-11-20T09:12:45.001Z cpu3:2099401)FS3: 173: <END app09-flat.vmdk>",
    ])
    facts = parse_text(logs.PARSERS[0], text, name="vmkernel.log")
    assert rows(facts, "vmfs-lock", "file", "disk", "mode", "owner_mac", "variant") == [
        (4, "app09-flat.vmdk", "app09", 1, "00:50:56:0a:03:01", "vmkernel")]


def test_reader_is_shared_and_keeps_no_state_between_artifacts():
    reader = LockDumpReader()
    lines = sample("vmkfstools-D-5x.txt").read_text().splitlines()
    facts = [f for n, line in enumerate(lines, 1) for f in reader.feed(n, line)] + reader.close()
    assert [f.type for f in facts] == ["vmfs-lock", "vmfs-lock-holder"]
    assert LockDumpReader().close() == []


def test_cut_off_dump_is_a_parse_error():
    with pytest.raises(ParseError, match="line 2: lock header is cut off"):
        parse_text(PARSER, "[root@esx01:~] vmkfstools -D /vmfs/volumes/ds/a/a.vmdk\n"
                           "Lock [type 10c00001 offset 1 v 2, hb offset 3\n"
                           "gen 4, mode 1, owner 5f8e1e90-2d6f7a13-04bc-0050560a0301 mtime 5\n")


def test_header_without_mode_is_a_parse_error():
    with pytest.raises(ParseError, match="no mode and owner"):
        parse_text(PARSER, "Lock [type 10c00001 offset 1 v 2, hb offset 3 gen 4]\n")


def test_header_that_never_closes_is_a_parse_error():
    text = "Lock [type 10c00001 offset 1 v 2, hb offset 3\n" + "gen 4, mode 1\n" * 6
    with pytest.raises(ParseError, match="line 1: lock header does not end within 5 lines"):
        parse_text(PARSER, text)


def test_one_bad_dump_does_not_hide_the_good_ones():
    text = sample("vmkfstools-D-5x.txt").read_text() + "Lock [type 10c00001 offset 1 v 2, hb offset 3\n"
    facts = parse_text(PARSER, text)
    assert rows(facts, "vmfs-lock", "mode") == [(2, 1)]


ROUTING = {
    "vmkfstools-D-5x.txt": "vmware-vmkfstools",
    "vmkfstools-D-4x.txt": "vmware-vmkfstools",
    "vmkfstools-D-oneline-multiwriter.txt": "vmware-vmkfstools",
    "vmkfstools-D-readonly.txt": "vmware-vmkfstools",
    "vmkfstools-session-esxi7.txt": "vmware-vmkfstools",
    "vmkfstools-session-esxi5.txt": "vmware-vmkfstools",
    "vmkernel.log": "vmware-logs",
    "messages-esx35": "vmware-logs",
    "hostd-6.5.log": "vmware-logs",
    "hostd-7.0.log": "vmware-logs",
    "hostd-8.0.log": "vmware-logs",
    "hostd-4.1.log": "vmware-logs",
    "vmware.log": "vmware-logs",
    "vmware-8.0.log": "vmware-logs",
    "esxcfg-nics-l.txt": "vmware-nics",
    "esxcli-network-nic-list.txt": "vmware-nics",
    "esxcli-ip-interface-session.txt": "vmware-nics",
    "esxcfg-vmknic-l.txt": "vmware-nics",
    "vmkfstools-activehosts.txt": "vmware-nics",
    "vmhost-nics.csv": "vmware-nics",
    "vmhost-vmknics-usecult.csv": "vmware-nics",
}


@pytest.mark.parametrize("name,expected", sorted(ROUTING.items()))
def test_each_sample_goes_to_one_parser_by_content(name, expected, tmp_path):
    # Renamed to a name that says nothing: recognition must come from the content.
    anonymous = tmp_path / "pasted.txt"
    anonymous.write_bytes(sample(name).read_bytes())
    text, _, binary, data = head_text(anonymous)
    parser, problems = choose_parser(Head("pasted.txt", text, data, binary),
                                     vmkfstools.PARSERS + logs.PARSERS + nics.PARSERS)
    assert problems == []
    assert parser is not None and parser.name == expected


def test_every_sample_is_listed_in_the_routing_table_and_readme():
    names = {p.name for p in sample("").iterdir() if p.is_file() and p.name != "README.md"}
    assert names == set(ROUTING)
    readme = sample("README.md").read_text()
    assert all(f"`{name}`" in readme for name in names)


# --- the example bundles ----------------------------------------------------------------------


def expected_parser(name, example):
    if name == "vmkfstools-session.txt":  # the lock dump, then --activehosts (a NIC listing)
        return "vmware-vmkfstools" if example == "locked-vmdk-readonly" else "vmware-vmkfstools, vmware-nics"
    return "vmware-logs" if name.endswith(".log") else "vmware-nics"


def facts_of(example):
    case = diagnose([str(EXAMPLES / example)])
    statuses = {a.artifact.name: (a.status, a.parser) for a in case.artifacts}
    readme = statuses.pop(f"{EXAMPLES / example}/README.md")
    assert readme[0] == "skipped"
    assert statuses and all(value == ("parsed", expected_parser(name.rsplit("/", 1)[-1], example))
                            for name, value in statuses.items()), statuses
    assert case.errors == []
    return case.facts


def macs_of(facts, host_prefix):
    return {f.slots["mac"] for f in facts if f.type == "host-nic" and (f.host or "").startswith(host_prefix)}


def test_locked_vmdk_example_holds_the_story():
    facts = facts_of("locked-vmdk")
    session = [f for f in facts if f.type == "vmfs-lock" and f.artifact.endswith("vmkfstools-session.txt")]
    assert [(f.host, f.slots["file"], f.slots["mode"], f.slots["owner_mac"]) for f in session] == [
        # the prompt says esx01, its vm-support folder esx01.lab.example: one host, one name
        ("esx01.lab.example", "/vmfs/volumes/ds-prod-01/app01/app01-000001-delta.vmdk", 1, "00:50:56:0a:03:01")]
    owners = {f.host for f in facts if f.type == "host-nic" and f.slots["mac"] == "00:50:56:0a:03:01"}
    assert owners == {"esx03"}
    assert macs_of(facts, "esx02") == {f"00:50:56:0a:02:0{i}" for i in range(1, 5)}
    symptoms = {(f.slots["kind"], f.slots["disk"], f.slots["vm"], f.host) for f in facts
                if f.type == "vm-log-event" and f.slots["disk"]}
    assert ("lock-failed", "app01-000001", "app01", "esx01.lab.example") in symptoms
    assert ("lock-busy", "app01-000001", "app01", "esx01.lab.example") in symptoms
    assert ("consolidation-failed", "", "app01") in {(f.slots["kind"], f.slots["disk"], f.slots["vm"])
                                                    for f in facts if f.type == "vm-log-event"}


def test_healthy_example_has_no_symptom_and_only_its_own_host_locking():
    facts = facts_of("locked-vmdk-healthy")
    assert [f for f in facts if f.type == "vm-log-event"] == []
    held = {(f.slots["disk"], f.slots["mac"]) for f in facts if f.type == "vmfs-lock-holder"}
    assert held == {("app01", "00:50:56:0a:01:01")}
    assert "00:50:56:0a:01:01" in macs_of(facts, "esx01")


def test_readonly_example_has_two_read_only_holders_on_esx02_and_esx03():
    facts = facts_of("locked-vmdk-readonly")
    assert rows(facts, "vmfs-lock", "file", "mode") == [(15, "/vmfs/volumes/ds-prod-01/tmpl01/tmpl01.vmdk", 2)]
    holders = [f.slots["mac"] for f in facts if f.type == "vmfs-lock-holder" and f.slots["role"] == "read-only"]
    assert holders == ["00:50:56:0a:02:01", "00:50:56:0a:03:01"]
    hosts = {f.slots["mac"]: f.host for f in facts if f.type == "host-nic" and f.slots["mac"] in holders}
    assert hosts == {"00:50:56:0a:02:01": "esx02", "00:50:56:0a:03:01": "esx03"}
    failed = {(f.slots["log"], f.slots["vm"]) for f in facts
              if f.type == "vm-log-event" and f.slots["kind"] == "lock-failed" and f.slots["disk"] == "tmpl01"}
    assert failed == {("hostd", "tmpl01"), ("vmware", "tmpl01")}


def test_unknown_owner_example_names_a_mac_no_listing_has():
    facts = facts_of("locked-vmdk-unknown-owner")
    owner_macs = {f.slots["owner_mac"] for f in facts if f.type == "vmfs-lock"}
    assert owner_macs == {"00:50:56:0a:09:09"}
    assert "00:50:56:0a:09:09" not in {f.slots["mac"] for f in facts if f.type == "host-nic"}
    assert "00:50:56:0a:09:09" in {f.slots["mac"] for f in facts if f.type == "vmfs-active-host"}
