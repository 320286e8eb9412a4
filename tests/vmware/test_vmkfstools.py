"""vmkfstools -D lock dumps in every shape, pasted sessions, routing, and the example bundles."""

import pytest

from hakb import ParseError
from hakb.diagnosis import diagnose
from hakb.plugins.vmware import vmkfstools
from hakb.plugins.vmware.vmkfstools import LockDumpReader
from hakb.testing import parse_file, parse_text

from .conftest import EXAMPLES, read, read_bytes, read_facts, read_text, rows, sample

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
    facts = read_facts(sample("vmkfstools-session-esxi7.txt"))
    assert rows(facts, "vmfs-lock", "file", "disk", "mode", "owner_mac") == [
        (8, "/vmfs/volumes/ds-prod-01/app01/app01-000001-delta.vmdk", "app01-000001", 1, "00:50:56:0a:03:01"),
        # Relative path: joined with the folder the prompt shows. Mode 0 keeps the stale owner
        # in the slot but names no holder.
        (15, "/vmfs/volumes/ds-prod-01/app01/app01-flat.vmdk", "app01", 0, "00:50:56:0a:01:01")]
    assert rows(facts, "vmfs-lock-holder", "disk", "mac", "role") == [
        (8, "app01-000001", "00:50:56:0a:03:01", "owner")]
    # The NIC listing and active hosts pasted in the same session are read by their parsers.
    assert rows(facts, "vmfs-active-host", "datastore", "mac") == [
        (21, "ds-prod-01", "00:50:56:0a:01:01"), (22, "ds-prod-01", "00:50:56:0a:02:01"),
        (23, "ds-prod-01", "00:50:56:0a:03:01")]
    assert rows(facts, "host-nic", "name", "mac", "mtu", "source") == [
        (26, "vmnic0", "00:50:56:0a:01:01", 1500, "esxcfg-nics"),
        (28, "vmnic1", "00:50:56:0a:01:02", 1500, "esxcfg-nics")]
    # No folder says which host this is, so the prompt does.
    assert {f.host for f in facts} == {"esx01"}


def test_each_section_of_a_session_goes_to_its_parser():
    result = read(sample("vmkfstools-session-esxi7.txt"))
    assert [(s.command.split()[0] if s.command else "", s.parsers) for s in result.sections] == [
        ("", []),  # the login banner; `cd` and `exit` printed nothing and are no sections
        ("vmkfstools", ["vmware-vmkfstools"]), ("vmkfstools", ["vmware-vmkfstools"]),
        ("vmkfstools", ["vmware-activehosts"]), ("esxcfg-nics", ["vmware-nics"])]


def test_esxi5_session_with_kernel_log_tail_and_quoted_relative_path():
    facts = read_facts(sample("vmkfstools-session-esxi5.txt"))
    assert rows(facts, "vmfs-lock", "file", "disk", "mode", "variant") == [
        (3, "/vmfs/volumes/ds-prod-01/tmpl01/tmpl01.vmdk", "tmpl01", 0, "4.x"),
        # The tail of vmkernel.log is a log: its dump is read by the embedded parser.
        (8, "tmpl01.vmdk", "tmpl01", 0, "vmkernel"),
        (14, "/vmfs/volumes/5f8e1a00-6c2d4b11-33aa-0050560a0101/app05/app05 (old)-flat.vmdk",
         "app05 (old)", 1, "4.x")]
    assert rows(facts, "vmfs-lock-holder", "mac", "role") == [(14, "00:50:56:0a:02:01", "owner")]


def test_utf16le_bom_and_crlf_give_the_same_facts():
    path = sample("vmkfstools-session-esxi7.txt")
    plain = read_facts(path)
    text = path.read_text()
    for data in (text.replace("\n", "\r\n").encode(),
                 b"\xff\xfe" + text.replace("\n", "\r\n").encode("utf-16-le")):
        again = read_bytes(data, name=path.name).facts
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
    facts = read_text(text, name="vmkernel.log")
    assert rows(facts, "vmfs-lock", "file", "disk", "mode", "owner_mac", "variant") == [
        (4, "app09-flat.vmdk", "app09", 1, "00:50:56:0a:03:01", "vmkernel")]


def test_vmkernel_log_dumps_are_read_by_the_embedded_parser():
    result = read(sample("vmkernel.log"))
    assert result.parser == "vmware-logs, vmware-vmkfstools"
    facts = result.facts
    assert rows(facts, "vmfs-lock", "file", "mode", "owner_mac", "variant") == [
        (6, "app01-000001.vmdk", 0, "", "vmkernel"),
        # Header split by a line of another world (line 11).
        (12, "app01-000001-delta.vmdk", 1, "00:50:56:0a:03:01", "vmkernel"),
        # DLX liveness dump: no file in the dump, named by the failure of the same world (line 23).
        (20, "app01-000001-delta.vmdk", 1, "00:50:56:0a:03:01", "vmkernel"),
    ]
    assert rows(facts, "vmfs-lock-holder", "disk", "mac", "role") == [
        (12, "app01-000001", "00:50:56:0a:03:01", "owner"),
        (20, "app01-000001", "00:50:56:0a:03:01", "owner")]


READ_ONLY_IN_VMKERNEL = "\n".join([
    "2026-11-20T10:02:30.220Z cpu1:2097221)vmw_ahci[00000017]: scsiDiscover:the device is not sata.",
    "2026-11-20T10:02:44.702Z cpu4:2100610)FS3: 1583: vol 'ds-prod-01', lock at 189628416: [Req mode 1] Checking liveness:",
    "2026-11-20T10:02:44.702Z cpu4:2100610)FS3: 168: <START tmpl01.vmdk>",
    "2026-11-20T10:02:44.702Z cpu4:2100610)Lock [type 10c00001 offset 189628416 v 2334, hb offset 3469312",
    "2026-11-20T10:02:44.702Z cpu4:2100610)gen 2681, mode 2, owner 00000000-00000000-0000-000000000000 mtime 25867",
    "2026-11-20T10:02:44.702Z cpu4:2100610)num 2 gblnum 0 gblgen 0 gblbrk 0]",
    "2026-11-20T10:02:44.702Z cpu4:2100610)RO Owner[0] HB Offset 3440640 5f8e1d7b-51c0a2e4-91aa-0050560a0201",
    "2026-11-20T10:02:44.702Z cpu4:2100610)RO Owner[1] HB Offset 3444736 5f8e1e90-2d6f7a13-04bc-0050560a0301",
    "2026-11-20T10:02:44.702Z cpu4:2100610)Addr <4, 80, 12>, gen 2311, links 1, type reg, flags 0x0, uid 0, "
    "gid 0, mode 600 len 16794112, nb 9 tbz 0, cow 0, newSinceEpoch 9, zla 3 bs 65536",
    "2026-11-20T10:02:44.702Z cpu4:2100610)FS3: 170: <END tmpl01.vmdk>",
    "2026-11-20T10:03:00.118Z cpu7:2097999)Tcpip_Vmk: 1059: Affinitizing 192.0.2.11 to world 2097999, Success",
])


def test_read_only_holders_of_a_lock_dump_inside_vmkernel_log():
    """Issue 9: the kernel's FS3 block with RO Owner lines, inside a log, names both holders."""
    result = read_bytes(READ_ONLY_IN_VMKERNEL.encode(), name="vmkernel.log")
    assert "vmware-vmkfstools" in result.parser
    assert rows(result.facts, "vmfs-lock", "file", "mode", "owner_uuid") == [(5, "tmpl01.vmdk", 2, "")]
    assert rows(result.facts, "vmfs-lock-holder", "disk", "mac", "role") == [
        (7, "tmpl01", "00:50:56:0a:02:01", "read-only"), (8, "tmpl01", "00:50:56:0a:03:01", "read-only")]


def test_esx35_syslog_split_headers_read_by_the_embedded_parser():
    facts = read_facts(sample("messages-esx35"))
    swap = "/volumes/4a15b3a2-77e2c1d0-1f2e-0050560a0101/app35/app35-6a0c6b1e.vswp"
    assert rows(facts, "vmfs-lock", "file", "mode", "owner_mac", "variant") == [
        (4, swap, 1, "00:50:56:0a:02:01", "esx3.5"),
        (6, swap, 1, "00:50:56:0a:02:01", "esx3.5"),
        (12, "app35.vmdk", 0, "", "esx3.5")]


def test_a_log_whose_dump_is_cut_off_is_no_error():
    text = ("2026-11-20T09:12:45.001Z cpu3:2099401)Lock [type 10c00001 offset 1 v 2, hb offset 3\n"
            "2026-11-20T09:12:45.002Z cpu3:2099401)FSS: 6739: Failed to open file 'a.vmdk'; Requested "
            "flags 0x40001, world: 1 [vpxa-worker] (Existing flags 0x4008, world: 2 [vmx]): Busy\n")
    result = read_bytes(text.encode(), name="vmkernel.log")
    assert (result.status, result.message) == ("parsed", None)
    assert [f.type for f in result.facts] == ["vm-log-event"]


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


LOCKS, LOGS, NICS, ACTIVE = "vmware-vmkfstools", "vmware-logs", "vmware-nics", "vmware-activehosts"
ROUTING = {
    "vmkfstools-D-5x.txt": [LOCKS],
    "vmkfstools-D-4x.txt": [LOCKS],
    "vmkfstools-D-oneline-multiwriter.txt": [LOCKS],
    "vmkfstools-D-readonly.txt": [LOCKS],
    "vmkfstools-session-esxi7.txt": [LOCKS, ACTIVE, NICS],
    "vmkfstools-session-esxi5.txt": [LOCKS, LOGS],  # the tail of vmkernel.log is a log
    "vmkernel.log": [LOGS, LOCKS],  # its lock dumps: the embedded parser
    "messages-esx35": [LOGS, LOCKS],
    "hostd-6.5.log": [LOGS],
    "hostd-7.0.log": [LOGS],
    "hostd-8.0.log": [LOGS],
    "hostd-4.1.log": [LOGS],
    "vmware.log": [LOGS],
    "vmware-8.0.log": [LOGS],
    "esxcfg-nics-l.txt": [NICS],
    "esxcli-network-nic-list.txt": [NICS],
    "esxcli-ip-interface-session.txt": [NICS],
    "esxcfg-vmknic-l.txt": [NICS],
    "vmkfstools-activehosts.txt": [ACTIVE],
    "vmhost-nics.csv": [NICS],
    "vmhost-vmknics-usecult.csv": [NICS],
}


@pytest.mark.parametrize("name,expected", sorted(ROUTING.items()))
def test_each_sample_goes_to_its_parsers_by_content(name, expected):
    # Renamed to a name that says nothing: recognition must come from the content.
    result = read_bytes(sample(name).read_bytes(), name="pasted.txt")
    assert result.status == "parsed", result.message
    assert result.parser.split(", ") == expected


def test_every_sample_is_listed_in_the_routing_table_and_readme():
    names = {p.name for p in sample("").iterdir() if p.is_file() and p.name != "README.md"}
    assert names == set(ROUTING)
    readme = sample("README.md").read_text()
    assert all(f"`{name}`" in readme for name in names)


# --- the example bundles ----------------------------------------------------------------------


def expected_parser(name, example):
    if name == "vmkfstools-session.txt":  # the lock dump, then --activehosts
        return [LOCKS] if example == "locked-vmdk-readonly" else [LOCKS, ACTIVE]
    if name == "vmkernel.log" and example == "locked-vmdk-healthy":  # the kernel dumped a lock
        return [LOGS, LOCKS]
    return [LOGS] if name.endswith(".log") else [NICS]


def facts_of(example):
    case = diagnose([str(EXAMPLES / example)])
    statuses = {a.artifact.name: (a.status, a.parser) for a in case.artifacts}
    readme = statuses.pop(f"{EXAMPLES / example}/README.md")
    assert readme[0] == "skipped"
    assert statuses and all(value == ("parsed", ", ".join(expected_parser(name.rsplit("/", 1)[-1], example)))
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


def test_a_streamed_log_is_scanned_once_for_its_parser_and_the_embedded_one(monkeypatch):
    from hakb import parsing, textio

    in_memory = read(sample("vmkernel.log")).facts
    scans = []
    real = textio.scan_lines

    def counting(path, selection, *args, **kwargs):
        scans.append(selection)
        return real(path, selection, *args, **kwargs)

    monkeypatch.setattr(parsing, "SECTION_SCAN_BYTES", 0)  # read it as a big log is read
    monkeypatch.setattr(textio, "scan_lines", counting)
    streamed = read(sample("vmkernel.log"))
    assert len(scans) == 1 and {"[type", "RO Owner", "DLX"} <= set(scans[0].signatures)
    assert [(f.type, f.line, dict(f.slots)) for f in streamed.facts] == \
        [(f.type, f.line, dict(f.slots)) for f in in_memory]
    assert streamed.parser == "vmware-logs, vmware-vmkfstools"
    # Too many lines to keep: the embedded parser scans the file itself, with the same facts.
    monkeypatch.setattr(parsing, "MAX_SHARED_LINES", 3)
    scans.clear()
    again = read(sample("vmkernel.log"))
    assert len(scans) == 2 and [dict(f.slots) for f in again.facts] == [dict(f.slots) for f in in_memory]
