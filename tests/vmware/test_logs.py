"""hostd.log, vmware.log, vmkernel.log and ESX 3.5 syslog: symptom events (the lock dumps in
them are read by the embedded vmkfstools parser: test_vmkfstools.py)."""

import itertools
import time

from hakb.model import Artifact, Head
from hakb.plugins.vmware import logs
from hakb.plugins.vmware.logs import MAX_MESSAGE, kinds_of
from hakb.testing import parse_bytes, parse_file, parse_text

from .conftest import rows, sample

PARSER = logs.PARSERS[0]
EVENT = ("kind", "file", "vm", "datastore")
APP01_DISK = "/vmfs/volumes/ds-prod-01/app01/app01-000001.vmdk"


def parse(name, host=None):
    return parse_file(PARSER, sample(name), host=host)


def test_hostd_65_consolidation_failing_on_a_locked_disk():
    facts = parse("hostd-6.5.log")
    assert rows(facts, "vm-log-event", *EVENT) == [
        (4, "lock-failed", "", "app01", "ds-prod-01"),
        (4, "consolidation-failed", "", "app01", "ds-prod-01"),
        # The continuation line names the disk; the event keeps the first line as evidence.
        (5, "lock-failed", APP01_DISK, "app01", "ds-prod-01"),
        (5, "disk-open-failed", APP01_DISK, "app01", "ds-prod-01"),
        (5, "consolidation-failed", APP01_DISK, "app01", "ds-prod-01"),
        # The task line names no VM: its opID was seen with app01's .vmx.
        (8, "consolidation-failed", "", "app01", "ds-prod-01"),
        (9, "lock-failed", APP01_DISK, "app01", "ds-prod-01"),
        (19, "consolidation-needed", "", "app01", "ds-prod-01"),
    ]
    by_line = {f.line: f for f in facts}
    assert by_line[5].text.endswith("An error occurred while consolidating disks: Failed to lock the file.")
    assert by_line[5].slots["message"].endswith("or one of the snapshot disks it depends on.")
    assert by_line[9].slots["disk"] == "app01-000001"
    assert 'file = "/vmfs/volumes/ds-prod-01/app01/app01-000001.vmdk"' in by_line[9].slots["message"]
    assert by_line[4].slots["log"] == "hostd" and by_line[4].slots["time"] == "2026-11-20T09:12:02.331Z"


def test_hostd_70_space_and_question_events():
    facts = parse("hostd-7.0.log")
    assert rows(facts, "vm-log-event", *EVENT) == [
        (2, "out-of-space", "db01-000002.vmdk", "db01", "ds-prod-02"),
        (2, "vm-question", "db01-000002.vmdk", "db01", "ds-prod-02"),
        (4, "vm-question", "web02.vmdk", "web02", "ds-prod-02"),
        (5, "vm-question", "", "", ""),
        (6, "vm-question", "", "", ""),
        (11, "out-of-space", "/vmfs/volumes/ds-prod-01/app04/app04-000003.vmdk", "app04", "ds-prod-01"),
    ]
    # A consolidation that ends "Status success" is not a symptom (lines 7-10 yield nothing).


def test_hostd_80_levels_and_prefixed_continuations():
    facts = parse("hostd-8.0.log")
    assert rows(facts, "vm-log-event", *EVENT) == [
        (7, "lock-failed", APP01_DISK, "app01", "ds-prod-01"),
        (7, "consolidation-failed", APP01_DISK, "app01", "ds-prod-01"),
        (10, "consolidation-failed", "", "app01", "ds-prod-01"),
    ]
    first = facts[0]
    assert first.text.startswith("2026-11-20T09:14:57.103Z Er(163) Hostd[2099915]: ")
    assert "msg.fileio.lock" in first.slots["message"]


def test_hostd_41_bracketed_format():
    facts = parse("hostd-4.1.log")
    uuid = "4d2f1c3a-5e6b7c8d-1a2b-0050560a0101"
    assert rows(facts, "vm-log-event", *EVENT, "disk", "time") == [
        (2, "lock-failed", f"/vmfs/volumes/{uuid}/app41/app41.vmdk", "app41", uuid, "app41",
         "2011-03-14 10:12:01.123")]


def test_vmware_log_names_its_vm_from_the_display_name():
    facts = parse("vmware.log")
    template = "/vmfs/volumes/ds-prod-01/tmpl01/tmpl01.vmdk"
    assert rows(facts, "vm-log-event", *EVENT, "disk") == [
        (11, "lock-failed", template, "app02 (linked clone)", "ds-prod-01", "tmpl01"),
        (12, "lock-failed", template, "app02 (linked clone)", "ds-prod-01", "tmpl01"),
        (13, "lock-failed", template, "app02 (linked clone)", "ds-prod-01", "tmpl01"),
        (15, "disk-open-failed", "/vmfs/volumes/ds-prod-01/app02/app02.vmdk", "app02 (linked clone)",
         "ds-prod-01", "app02"),
    ]
    assert {f.slots["log"] for f in facts} == {"vmware"}


def test_vmware_80_log_takes_vm_and_datastore_from_its_folder():
    text = sample("vmware-8.0.log").read_text()
    facts = parse_text(PARSER, text, name="esx-esx02-2026-11-20--12.00-1/vmfs/volumes/ds-prod-01/app03/vmware.log")
    assert rows(facts, "vm-log-event", *EVENT) == [
        (4, "lock-failed", "/vmfs/volumes/ds-prod-01/app03/app03-000001.vmdk", "app03", "ds-prod-01"),
        (5, "vm-question", "", "app03", "ds-prod-01"),
        (6, "out-of-space", "app03-000001.vmdk", "app03", "ds-prod-01"),
    ]


def test_vmkernel_log_events():
    facts = parse("vmkernel.log")
    assert rows(facts, "vm-log-event", *EVENT, "disk") == [
        (17, "lock-busy", "app01-000001-delta.vmdk", "app01", "", "app01-000001"),
        # The volume comes from the DLX line the same kernel world wrote just before.
        (23, "lock-failed", "app01-000001-delta.vmdk", "", "ds-prod-01", "app01-000001"),
        (25, "out-of-space", "/vmfs/volumes/ds-prod-02/db01/db01-5a1b2c3d.vswp", "db01", "ds-prod-02",
         "db01-5a1b2c3d.vswp"),
    ]
    # Lock dumps are not this parser's: one reader per format.
    assert {f.type for f in facts} == {"vm-log-event"}
    assert {f.slots["log"] for f in facts} == {"vmkernel"}


def test_esx35_syslog_events_and_the_host_it_names():
    facts = parse("messages-esx35")
    swap = "/volumes/4a15b3a2-77e2c1d0-1f2e-0050560a0101/app35/app35-6a0c6b1e.vswp"
    assert rows(facts, "vm-log-event", *EVENT, "time") == [
        (7, "lock-failed", swap, "app35", "4a15b3a2-77e2c1d0-1f2e-0050560a0101", "Nov 20 09:31:20")]
    assert facts[0].host == "esx35a"
    # A folder naming the host wins over the syslog host.
    assert {f.host for f in parse("messages-esx35", host="esx35a.lab.example")} == {"esx35a.lab.example"}


def test_signatures_cover_every_symptom_line():
    """The scanning prefilter gives this parser only lines holding a signature (any case): every
    line that makes an event in the samples holds one."""
    signatures = [s.lower() for s in PARSER.signatures]
    for name in ("hostd-6.5.log", "hostd-7.0.log", "hostd-8.0.log", "hostd-4.1.log", "vmware.log",
                 "vmware-8.0.log", "vmkernel.log", "messages-esx35"):
        lines = sample(name).read_text().splitlines()
        for fact in parse(name):
            record = [fact.text]  # the event's line and its "-->" continuation lines
            for line in lines[fact.line:]:
                if "-->" not in line[:80]:
                    break
                record.append(line)
            assert any(sig in text.lower() for sig in signatures for text in record), (name, fact.line)


def test_utf16le_bom_and_crlf_hostd():
    path = sample("hostd-8.0.log")
    plain = parse_file(PARSER, path)
    text = path.read_text().replace("\n", "\r\n")
    for data in (text.encode(), b"\xff\xfe" + text.encode("utf-16-le")):
        again = parse_bytes(PARSER, data, name="hostd.log")
        assert [(f.line, dict(f.slots), f.text) for f in again] == [(f.line, dict(f.slots), f.text) for f in plain]
    assert len(plain) == 3


def test_kinds_keep_states_and_successes_apart():
    assert kinds_of("Runtime changed: consolidationNeeded = true, powerState = failed", "") == \
        ["consolidation-needed"]
    assert kinds_of("consolidationNeeded = false", "") == []
    assert kinds_of("Task Completed : haTask-9-vim.VirtualMachine.consolidateDisks-2260 Status success", "") == []
    assert kinds_of("Result: (vmodl.fault.ManagedObjectNotFound) { obj = 'vim.Task:haTask-4-vim."
                    "VirtualMachine.consolidateDisks-1' }", "") == []
    assert kinds_of("No space left on device", "") == []
    assert kinds_of("No space left on device", "/vmfs/volumes/ds/a/a.vswp") == ["out-of-space"]
    assert kinds_of("AIOMGR: AIOMgr_OpenWithRetry: Descriptor file 'a.vmdk' locked (try 3)", "a.vmdk") == \
        ["lock-failed"]


# --- streaming -------------------------------------------------------------------------------

NORMAL = ("2026-11-20T09:00:05.331Z info hostd[2099931] [Originator@6876 sub=Vimsvc.TaskManager "
          "opID=HB-host-1021@2790-2f1e3d4c-01 user=vpxuser] Task Completed : haTask--vim.SearchIndex."
          "findByUuid-{n} Status success")
SYMPTOM = ("2026-11-20T09:14:57.103Z warning hostd[2099915] [Originator@6876 sub=Vmsvc.vm:/vmfs/volumes/"
           "ds-prod-01/app01/app01.vmx opID=7d1c] Failed to lock the file")


def test_parser_consumes_a_huge_log_lazily():
    pulled = 0

    def lines():
        nonlocal pulled
        for n in range(1, 200_001):
            pulled += 1
            yield n, SYMPTOM if n in (10, 150_000) else NORMAL.format(n=n)

    artifact = Artifact(name="hostd.log", path=None)
    stream = PARSER.parse(lines(), artifact)
    first = next(stream)
    # The event is complete when the next line starts; nothing beyond that was read.
    assert (first.line, first.slots["kind"]) == (10, "lock-failed")
    assert pulled == 11
    started = time.perf_counter()
    rest = list(stream)
    assert [(f.line, f.slots["kind"]) for f in rest] == [(150_000, "lock-failed")]
    assert pulled == 200_000
    assert time.perf_counter() - started < 20


def test_runaway_continuation_is_cut_not_kept():
    def lines():
        yield 1, SYMPTOM
        for n in range(2, 100_002):
            yield n, "-->    " + "x" * 200
        yield 100_002, NORMAL.format(n=1)

    (fact,) = PARSER.parse(lines(), Artifact(name="hostd.log", path=None))
    assert fact.line == 1 and len(fact.slots["message"]) <= MAX_MESSAGE + 300


# --- recognition -----------------------------------------------------------------------------


def head(text, name="pasted.txt"):
    return Head(name, text, text.encode())


def test_recognise_scores():
    hostd = sample("hostd-6.5.log").read_text()
    assert PARSER.recognise(head(hostd)) == 100
    # A few log lines pasted among other text: a claim, but a weaker one.
    assert PARSER.recognise(head("notes\n" * 10 + hostd.splitlines()[0])) == 60
    assert PARSER.recognise(head("", "hostd.log")) == 10
    assert PARSER.recognise(head("", "vmkernel.1")) == 10
    assert PARSER.recognise(head(sample("esxcfg-nics-l.txt").read_text())) == 0
    assert PARSER.recognise(head(sample("vmkfstools-D-5x.txt").read_text())) == 0


def test_normal_lines_yield_nothing():
    lines = [NORMAL.format(n=n) for n in range(50)]
    lines += ["2026-11-20T09:10:03.512Z cpu5:2098311)NMP: nmp_ThrottleLogForDevice:3788: Cmd 0x85 failed",
              "2026-11-20T09:20:00.101Z| vmx| I125: Log for VMware ESX pid=2100451 version=7.0.3",
              "random text", "", "--> orphan continuation"]
    assert parse_text(PARSER, "\n".join(lines), name="mixed.log") == []


def test_syslog_lines_of_other_daemons_are_ignored():
    text = "\n".join(itertools.repeat("Nov 20 09:31:21 esx35a sshd[2211]: Failed to lock the file", 3))
    assert parse_text(PARSER, text) == []
