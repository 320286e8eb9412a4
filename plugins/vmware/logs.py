"""ESXi host and VM logs: the lines showing a disk that cannot be locked, opened or consolidated.

Reads hostd.log (5.x-6.5 ``hostd[<hex>]``, 6.7-7.0 ``hostd[<pid>]``, 8.0+ ``Er(163) Hostd[<pid>]:``
and the older ``[<date> <thread> <level> 'vm:...']`` form), vmware.log (``<time>| vcpu-0| ...``,
``| vmx| I125: ...`` and the 8.0 ``In(05) vmx - ...`` form) and vmkernel.log (``cpu<n>:<world>)``,
also inside ESX 3.5 syslog ``messages``). For example::

    2026-11-20T09:14:57.103Z warning hostd[2099915] [Originator@6876 sub=Vmsvc.vm:/vmfs/volumes/ds01/app01/app01.vmx opID=5f3a] Failed to lock the file

becomes a ``vm-log-event`` of kind ``lock-failed`` for VM app01 on datastore ds01. hostd's ``-->``
continuation lines are joined into the event they continue (the evidence line is the first).
Lines that are not symptoms yield nothing. The log is streamed: only the current event and a small,
bounded map of operation ids to VMs are kept. Lock dumps the kernel writes into vmkernel.log
(``FS3: <START file>`` blocks) are not read here: the ``vmware-vmkfstools`` parser reads them
as an embedded parser, wherever they are.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser
from hakb.plugins.vmware.common import datastore_of, disk_key, vm_of_vmx, volume_parts

_ISO = r"\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?"
_HOSTD = re.compile(
    rf"^(?P<time>{_ISO})\s+(?:(?:verbose|info|warning|error|trivia|panic)\s+hostd\[[0-9A-Fa-f]+\]"
    r"|(?:Em|Al|Cr|Er|Wa|No|In|Db)\(\d+\)\s+Hostd\[\d+\]:)\s*(?:\[(?P<ctx>[^\]]*)\]\s?)?(?P<msg>.*)$")
_HOSTD_OLD = re.compile(r"^\[(?P<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\s+(?P<ctx>[^\]]*)\]\s?(?P<msg>.*)$")
_VMWARE = re.compile(rf"^(?P<time>{_ISO})\|\s*(?P<thread>[\w-]+)\|\s*(?:[A-Z]\d{{3}}:\s*)?(?P<msg>.*)$")
_VMWARE8 = re.compile(rf"^(?P<time>{_ISO})\s+[A-Z][a-z]\(\d+\)\s+"
                      r"(?P<thread>vmx|vcpu-\d+|mks|svga|worker-\d+|vmx-[\w-]+)\s+-\s+(?P<msg>.*)$")
_VMWARE_OLD = re.compile(r"^(?P<time>[A-Z][a-z]{2}\s+\d{1,2}\s+\d\d:\d\d:\d\d\.\d+):\s+"
                         r"(?P<thread>vmx|vcpu-\d+|mks|svga|worker-\d+)\|\s*(?P<msg>.*)$")
_VMKERNEL = re.compile(rf"^(?P<time>{_ISO})\s+(?:[A-Z][a-z]\(\d+\)\s+vmk\w*:\s+)?"
                       r"cpu\d+:(?P<world>\d+)(?:\s+opID=[^)]*)?\)(?P<msg>.*)$")
_SYSLOG = re.compile(r"^(?P<time>[A-Z][a-z]{2}\s+\d{1,2}\s+\d\d:\d\d:\d\d)\s+(?:(?P<host>[^\s:]+)\s+)?"
                     r"(?P<proc>vmk\w*|[Hh]ostd)(?:\[\d+\])?:\s*(?P<msg>.*)$")
_SYSLOG_KERNEL_PREFIX = re.compile(r"^(?:\d+:\d\d:\d\d:\d\d\.\d+\s+)?cpu\d+:\d+\)")

#: (format name, pattern, value of the event's ``log`` slot)
FORMATS = (
    ("hostd", _HOSTD, "hostd"),
    ("vmkernel", _VMKERNEL, "vmkernel"),
    ("vmware", _VMWARE, "vmware"),
    ("vmware8", _VMWARE8, "vmware"),
    ("hostd-old", _HOSTD_OLD, "hostd"),
    ("vmware-old", _VMWARE_OLD, "vmware"),
    ("syslog", _SYSLOG, ""),
)

_SUB_VMX = re.compile(r"\bsub=Vmsvc\.vm:(?P<vmx>.+?\.vmx)(?=\s|$)|'vm:(?P<old>[^']+?\.vmx)'")
_OPID = re.compile(r"\bopID=(?P<op>[^\s\]]+)")
_WORLD_VM = re.compile(r"\[(?:vmx|vmx-[\w-]+|vmm\d+|vcpu-\d+|mks|svga):(?P<vm>[^\]]+)\]")
_DISPLAY_NAME = re.compile(r"\bdisplayName\s*=\s*\"(?P<name>[^\"]*)\"")
_VMX_PATH = re.compile(r"(?P<vmx>/vmfs/volumes/[^'\"\s]+?\.vmx)\b")
_DLX_VOLUME = re.compile(r"\bDLX: \d+: vol '(?P<ds>[^']+)'")
_LOG_FOLDER = re.compile(r"volumes/(?P<ds>[^/]+)/(?P<vm>[^/]+)/vmware(?:-\d+)?\.log$", re.I)

#: Lower-case words one of which every symptom contains: a cheap test before the patterns run.
_HINTS = ("lock", "busy", "cannot open the disk", "onsolidat", "outofspace", "no more space",
          "no space left", "question", "askonpermanent", "answer")
_LOCK_FAILED = re.compile(r"Failed to lock the file|msg\.fileio\.lock|\blocked \(try \d+\)|"
                          r"vim\.fault\.FileLocked|Lock was not free|since it is locked|\bDISKLOCKED\b",
                          re.I)
_LOCK_BUSY = re.compile(r"\bFailed to open file\b.*\)\s*:\s*Busy\b")
_DISK_OPEN_FAILED = re.compile(r"Cannot open the disk\b", re.I)
_CONSOLIDATION_STATE = re.compile(r"consolidationNeeded\s*=\s*\w+", re.I)
# "consolidateDisks-1139 Status error", "Consolidation failed", "An error occurred while
# consolidating disks", "Unable to consolidate disk": a failure word near the consolidation.
_CONSOLIDATION_FAILED = re.compile(
    r"consolidat\w*[^.;]{0,120}?\b(?:error|failed|failure)\b|"
    r"\b(?:error|failed|failure|unable|cannot|could not)\b[^.;]{0,60}?\bconsolidat", re.I)
_CONSOLIDATION_NEEDED = re.compile(r"consolidationNeeded\s*=\s*true|consolidation (?:is )?(?:needed|required)|"
                                   r"needs? (?:disk )?consolidation|DiskConsolidationNeeded", re.I)
_OUT_OF_SPACE = re.compile(r"msg\.hbacommon\.outofspace|There is no more space for virtual disk", re.I)
_NO_SPACE = re.compile(r"No space left on device", re.I)
_VM_QUESTION = re.compile(r"msg\.hbacommon\.askonpermanentdeviceloss|\bMsg_Question\b|\bQuestion info\b|"
                          r"question pending|\bAnswer(?:ed|ing)? (?:the )?question\b|"
                          r"vim\.VirtualMachine\.answer|\bAnswerVM\b", re.I)

_QUOTED = re.compile(r"'(?P<a>[^'\n]{1,512})'|\"(?P<b>[^\"\n]{1,512})\"")
_VM_FILE = re.compile(r"[^/\s]\.(?:vmdk|vmx|vswp|vmsn|vmem|vmss|nvram|vmsd|vmxf)$", re.I)
_UNQUOTED = re.compile(r"(?:/vmfs)?/volumes/[^\s'\",;()]+|[^\s'\",;()/]+\.vmdk\b")

#: Continuation lines kept of one event, and characters of its message: a runaway dump is cut.
MAX_PARTS = 200
MAX_MESSAGE = 16384
#: Operation ids remembered with their VM (hostd task lines name no VM; their opID does).
MAX_OPIDS = 4096
#: Kernel worlds remembered with the volume their last DLX line named, and for how many lines.
MAX_WORLDS = 256
VOLUME_WINDOW = 50


@dataclass
class _Event:
    line: int
    text: str
    time: str
    log: str
    vm: str = ""
    datastore: str = ""
    world_vm: str = ""
    ctx: str = ""
    world: int | None = None
    host: str | None = None
    parts: list[str] = field(default_factory=list)
    size: int = 0

    def add(self, part: str) -> None:
        if len(self.parts) < MAX_PARTS and self.size < MAX_MESSAGE:
            self.parts.append(part)
            self.size += len(part)


def _file_of(message: str) -> str:
    """The VM file a message names: quoted paths first, a .vmdk preferred over other files."""
    found = []
    for match in _QUOTED.finditer(message):
        value = (match.group("a") or match.group("b") or "").strip()
        if value.startswith(("/vmfs/", "/volumes/")) or _VM_FILE.search(value):
            found.append(value)
    if not found:
        found = [m.group(0).rstrip(".:") for m in _UNQUOTED.finditer(message)]
    for value in found:
        if value.lower().endswith(".vmdk"):
            return value
    return found[0] if found else ""


def _hinted(message: str) -> bool:
    lowered = message.lower()
    return any(word in lowered for word in _HINTS)


def kinds_of(message: str, file: str) -> list[str]:
    """The symptom kinds a (joined) log message shows, in a fixed order; [] for normal lines.

    >>> kinds_of("An error occurred while consolidating disks: Failed to lock the file", "")
    ['lock-failed', 'consolidation-failed']
    """
    if not _hinted(message):
        return []
    kinds = []
    if _LOCK_FAILED.search(message):
        kinds.append("lock-failed")
    if _LOCK_BUSY.search(message):
        kinds.append("lock-busy")
    if _DISK_OPEN_FAILED.search(message):
        kinds.append("disk-open-failed")
    if _CONSOLIDATION_FAILED.search(_CONSOLIDATION_STATE.sub("", message)):
        kinds.append("consolidation-failed")
    if _CONSOLIDATION_NEEDED.search(message):
        kinds.append("consolidation-needed")
    if _OUT_OF_SPACE.search(message) or (file and _NO_SPACE.search(message)):
        kinds.append("out-of-space")
    if _VM_QUESTION.search(message):
        kinds.append("vm-question")
    return kinds


class LogEventReader:
    """Turns log lines into ``vm-log-event`` facts; feed every line, then call :meth:`close`."""

    def __init__(self, artifact_name: str = "", host_from_content: bool = False) -> None:
        self.formats = list(FORMATS)
        self.event: _Event | None = None
        self.opids: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self.volumes: OrderedDict[int, tuple[str, int]] = OrderedDict()  # world -> (volume, line)
        self.host_from_content = host_from_content
        folder = _LOG_FOLDER.search((artifact_name or "").replace("\\", "/"))
        self.log_vm = folder.group("vm") if folder else ""
        self.log_ds = folder.group("ds") if folder else ""
        self.named = False  # log_vm came from the VM's own displayName

    def feed(self, number: int, raw: str) -> list[Fact]:
        if raw.startswith("-->"):
            if self.event is not None:
                self.event.add(raw[3:].strip())
            return []
        found = None
        for at, (name, pattern, log) in enumerate(self.formats):
            match = pattern.match(raw)
            if match:
                if at:  # the format most lines share is tried first
                    self.formats.insert(0, self.formats.pop(at))
                found = (name, match, log)
                break
        if found and found[2] == "hostd" and found[1].group("msg").startswith("-->"):
            # 8.0 and later write the prefix on continuation lines too.
            if self.event is not None:
                self.event.add(found[1].group("msg")[3:].strip())
            return []
        out = self.close()
        if found:
            self._start(number, raw, *found)
        return out

    def close(self) -> list[Fact]:
        event, self.event = self.event, None
        return self._facts(event) if event is not None else []

    # -- helpers ------------------------------------------------------------------------------

    def _start(self, number: int, raw: str, name: str, match: re.Match, log: str) -> None:
        message = match.group("msg")
        host = None
        if name == "syslog":
            proc = match.group("proc").lower()
            log = "hostd" if proc == "hostd" else "vmkernel"
            message = _SYSLOG_KERNEL_PREFIX.sub("", message)
            host = match.group("host") if self.host_from_content else None
        event = _Event(number, raw, match.group("time"), log, host=host)
        event.add(message)
        if log == "hostd":
            event.ctx = match.groupdict().get("ctx") or ""
            sub = _SUB_VMX.search(event.ctx) if "vm:" in event.ctx else None
            if sub:
                vmx = sub.group("vmx") or sub.group("old")
                event.vm, event.datastore = vm_of_vmx(vmx), datastore_of(vmx)
                opid = _OPID.search(event.ctx)
                if opid:
                    self.opids[opid.group("op")] = (event.vm, event.datastore)
                    self.opids.move_to_end(opid.group("op"))
                    if len(self.opids) > MAX_OPIDS:
                        self.opids.popitem(last=False)
        elif log == "vmware":
            self._learn_vm(message)
        elif log == "vmkernel":
            world = _WORLD_VM.search(message) if "[" in message else None
            event.world_vm = world.group("vm") if world else ""
            kernel_world = match.groupdict().get("world")
            if kernel_world:
                event.world = int(kernel_world)
                if "DLX" in message:
                    self._learn_volume(event.world, number, message)
        self.event = event

    def _learn_volume(self, world: int, number: int, message: str) -> None:
        """A DLX line names the volume a kernel world is locking on; its next lines may not."""
        volume = _DLX_VOLUME.search(message)
        if volume:
            self.volumes[world] = (volume.group("ds"), number)
            self.volumes.move_to_end(world)
            if len(self.volumes) > MAX_WORLDS:
                self.volumes.popitem(last=False)

    def _learn_vm(self, message: str) -> None:
        """vmware.log names its VM in its header (displayName, the .vmx path)."""
        if "displayName" in message:
            shown = _DISPLAY_NAME.search(message)
            if shown and shown.group("name"):
                self.log_vm, self.named = shown.group("name"), True
        if ".vmx" in message and not self.named:
            path = _VMX_PATH.search(message)
            if path:
                self.log_vm = vm_of_vmx(path.group("vmx"))
                self.log_ds = datastore_of(path.group("vmx"))

    def _facts(self, event: _Event) -> list[Fact]:
        message = event.parts[0] if len(event.parts) == 1 else " ".join(p for p in event.parts if p)
        if not _hinted(message):
            return []
        if not event.vm and event.ctx:  # a task line: its operation id was seen with the VM
            opid = _OPID.search(event.ctx)
            if opid and opid.group("op") in self.opids:
                event.vm, event.datastore = self.opids[opid.group("op")]
        file = _file_of(message)
        kinds = kinds_of(message, file)
        if not kinds:
            return []
        # ESX 3.5 names files /volumes/<ds>/...; read them as /vmfs/volumes paths.
        datastore, folder, _ = volume_parts("/vmfs" + file if file.startswith("/volumes/") else file)
        vm = event.vm or (self.log_vm if event.log == "vmware" else "") or folder or event.world_vm
        if not vm:
            path = _VMX_PATH.search(message)
            vm = vm_of_vmx(path.group("vmx")) if path else ""
        datastore = datastore or event.datastore or \
            (self.log_ds if event.log == "vmware" else "")
        if not datastore and event.world in self.volumes:
            volume, seen = self.volumes[event.world]
            datastore = volume if event.line - seen <= VOLUME_WINDOW else ""
        slots = {"file": file, "disk": disk_key(file) if file else "", "vm": vm,
                 "datastore": datastore, "log": event.log, "time": event.time, "message": message}
        return [Fact("vm-log-event", {**slots, "kind": kind}, line=event.line, text=event.text,
                     host=event.host) for kind in kinds]


def _log_line(line: str) -> bool:
    return line.startswith("-->") or any(pattern.match(line) for _, pattern, _ in FORMATS)


_LOG_NAME = re.compile(
    r"^(?:hostd|vmkernel|vmkwarning|vmware|messages|syslog)(?:[-.]\d+)?(?:\.log)?(?:\.\d+)?$", re.I)


def recognise(head: Head) -> int:
    """100 when most lines are ESXi log lines, 60 when some are; 10 for a log's name alone."""
    hits = nonblank = 0
    for line in head.lines[:2000]:
        if not line.strip():
            continue
        nonblank += 1
        hits += _log_line(line)
    if hits and (hits * 2 >= nonblank or hits >= 200):
        return 100
    if hits:
        return 60
    return 10 if _LOG_NAME.match(head.name or "") else 0


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    own_host = artifact.host is None
    events = LogEventReader(artifact.name, host_from_content=own_host)
    for number, text in lines:
        yield from events.feed(number, text)
    yield from events.close()


#: What the core's scanner must give this parser of a log (every other line yields nothing):
#: lines with a symptom word and the lines the reader learns from (DLX volume lines, vmware.log's
#: displayName), each with its whole hostd record (the word may be on a ``-->`` line). Lock dumps
#: are the embedded vmkfstools parser's. Not given, so not learnt from: a hostd line naming a VM
#: for an operation id, when no symptom is on it (a later task line of that operation then names
#: no VM), and a .vmx path in a vmware.log that has no displayName line.
SIGNATURES = _HINTS + ("DLX", "displayName")
#: A line continuing the event before it, as :meth:`LogEventReader.feed` joins them.
CONTINUATION = "-->|" + _HOSTD.pattern.lstrip("^").replace("(?P<msg>.*)$", "-->")

PARSERS = [
    Parser("vmware-logs", recognise, parse,
           "hostd.log, vmware.log, vmkernel.log and ESX syslog -> vm-log-event (lock, disk, "
           "consolidation, space and question symptoms)",
           signatures=SIGNATURES, context=5, context_before=MAX_PARTS, continuation=CONTINUATION),
]
