"""`vmkfstools -D` lock dumps: which host holds a lock on a VMFS file.

A lock's owner UUID ends in the MAC address of the holding host's management NIC, so a dump
joined with the hosts' NIC listings names the host that keeps a disk locked::

    [root@esx01:~] vmkfstools -D /vmfs/volumes/ds01/app01/app01-000001-delta.vmdk
    Lock [type 10c00001 offset 48226304 v 2334, hb offset 3469312
    gen 2681, mode 1, owner 4ba0f8ec-6bc3a80e-fd3c-0050560a0301 mtime 1197830
    num 0 gblnum 0 gblgen 0 gblbrk 0]
    Addr <4, 80, 12>, gen 2311, links 1, type reg, flags 0, uid 0, gid 0, mode 600
    len 16794112, nb 9 tbz 0, cow 0, newSinceEpoch 9, zla 3, bs 65536

A line format, read by :class:`LockDumpReader` one line at a time in every shape: bare output,
a pasted session's section (its command names the file, its prompt's folder completes a relative
path), the vmkernel.log copy framed by ``FS3: <START file>`` / ``<END file>``, the kernel's
``DLX ... Checking liveness`` dumps and ESX 3.5 syslog lines. The parser is also *embedded*: the
core hands it the lines of any other section (a vmkernel.log read by the logs parser, a
``tail`` of it in a pasted session) where one of :data:`SIGNATURES` occurs, with
:data:`CONTEXT` lines after each, so a dump inside a log yields its holders too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, ParseError, Parser
from hakb.plugins.vmware.common import datastore_of, disk_key, mac_from_uuid
from hakb.sections import clean_line, command_segments

# 2012-07-31T10:05:00.366Z cpu6:5140275)   and ESXi 8: ...Z In(182) vmkernel: cpu6:5140275)
_ISO_PREFIX = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)\s+"
    r"(?:[A-Z][a-z]\(\d+\)\s+vmk\w*:\s+)?cpu\d+:(?P<world>\d+)(?:\s+opID=[^)]*)?\)")
# Nov 10 13:45:02 esx01 vmkernel: 1:02:03:04.567 cpu2:1038)   (continuations lack the cpu part)
_SYSLOG_PREFIX = re.compile(
    r"^(?P<time>[A-Z][a-z]{2}\s+\d{1,2}\s+\d\d:\d\d:\d\d)\s+(?:(?P<host>[^\s:]+)\s+)?vmk\w*:\s*"
    r"(?:(?:\d+:\d\d:\d\d:\d\d\.\d+\s+)?cpu\d+:(?P<world>\d+)\))?")
_HEADER_TYPE = re.compile(r"\[type\s+[0-9a-fA-F]+\s+offset\s+\d+")
_HEADER_FIELDS = re.compile(
    r"\bmode\s+(?P<mode>\d+)\s*,?\s*owner\s+(?P<owner>[0-9a-fA-F]+(?:-[0-9a-fA-F]+){3})")
_RO_OWNER = re.compile(r"^\s*RO\s+Owner\[\s*\d+\s*\]\s+HB\s+Offset\s+\d+\s+"
                       r"(?P<uuid>[0-9a-fA-F]+(?:-[0-9a-fA-F]+){3})")
_ADDR_OR_LEN = re.compile(r"^\s*(?:Addr\s*<|len\s+\d+)")
_START = re.compile(r"\bFS3:\s*\d+:\s*<START\s+(?P<name>.+?)>\s*$")
_END = re.compile(r"\bFS3:\s*\d+:\s*<END\b")
# A command line typed without a prompt in front of the dump (``vmkfstools -D file``).
_BARE_COMMAND = re.compile(r"^\s*(?:/\S*/)?vmkfstools\s")
_BARE_HEADER = re.compile(r"^\s*Lock \[type [0-9a-fA-F]+ offset \d+")
# A kernel line naming the file whose lock was just dumped ("Failed to open swap file '...':
# Lock was not free"); used for dumps that do not name their file.
_NAMED_FAILURE = re.compile(r"Lock was not free|Failed to open|\bBusy\b|\blocked\b", re.I)
_QUOTED_PATH = re.compile(r"'(?P<path>[^']*(?:/|\.vmdk|\.vswp|\.vmx|\.vmsn|\.vmem|\.nvram)[^']*)'")

#: Lines after an unnamed dump within which a failure line of the same world may name its file.
NAME_LOOKAHEAD = 40
#: Header lines a dump may span before it is given up as unreadable.
MAX_HEADER_LINES = 5
#: Kernel worlds with an open <START> frame, and problems, remembered at most.
MAX_WORLDS = 256
MAX_PROBLEMS = 100


@dataclass
class _Dump:
    world: int | None
    variant: str          # "vmkernel", "esx3.5" or "" for bare output (decided from the header)
    file: str
    first: int
    parts: list[tuple[int, str, str]] = field(default_factory=list)  # (line, raw, body)
    closed: bool = False  # the header's "]" was seen
    readonly: list[tuple[int, str, str]] = field(default_factory=list)  # (line, raw, uuid)
    deadline: int = 0


class LockDumpReader:
    """Reads lock dumps from a stream of lines; feed every line, then call :meth:`close`.

    Keeps only the dumps in progress (one per kernel world) and, for dumps that do not name their
    file, a few lines of look-ahead; memory does not grow with the length of the log.
    ``command`` and ``cwd`` are the section's: the command line names the dumped file, the
    prompt's folder completes a relative path.
    """

    def __init__(self, command: str = "", cwd: str = "") -> None:
        self.cwd = cwd
        self.command_file = dump_path(command, cwd)  # file named by the vmkfstools -D command
        self.kernel = False                          # a kernel-prefixed (log) line was read
        self.names: dict[int | None, str] = {}   # world -> file of an open <START> frame
        self.open: dict[int | None, _Dump] = {}  # world -> dump being read
        self.pending: list[_Dump] = []            # finished dumps waiting for a file name
        self.world: int | None = None             # world of the last prefixed line
        self.problems: list[tuple[int, str]] = []
        self.locks = 0                            # vmfs-lock facts produced

    # -- public -------------------------------------------------------------------------------

    def feed(self, number: int, raw: str) -> list[Fact]:
        if not (self.open or self.pending or self.command_file) and "[type" not in raw \
                and "<START" not in raw and "<END" not in raw and "vmkfstools" not in raw:
            return []
        text = clean_line(raw)
        body, world, variant = self._split(text)
        self.kernel = self.kernel or variant is not None
        if variant and world is not None:
            self.world = world
            key = world
        else:
            key = self.world
        out = self._read(number, raw, text, body, key, variant)
        if self.pending:  # after _read: a dump this line ended may be named by it too
            out += self._resolve_pending(number, key, body, variant is not None and world is not None)
        return out

    def close(self) -> list[Fact]:
        out: list[Fact] = []
        for key in list(self.open):
            out += self._finish(key, 0, final=True)
        for dump in self.pending:
            out += self._facts(dump)
        self.pending.clear()
        return out

    # -- helpers ------------------------------------------------------------------------------

    def _read(self, number: int, raw: str, text: str, body: str, key: int | None,
              variant: str | None) -> list[Fact]:
        out: list[Fact] = []
        if variant is None and self._command(text, out, number):
            return out
        start = _START.search(body)
        if start:
            out += self._finish(key, number)
            self.names.pop(key, None)
            self.names[key] = start.group("name").strip()
            if len(self.names) > MAX_WORLDS:  # frames whose END never came
                self.names.pop(next(iter(self.names)))
            return out
        if _END.search(body):
            out += self._finish(key, number)
            self.names.pop(key, None)
            return out
        header_at = self._header_at(body)
        dump = self.open.get(key)
        if dump is not None and header_at < 0:
            if not dump.closed:
                dump.parts.append((number, raw, body))
                if "]" in body:
                    dump.closed = True
                elif len(dump.parts) >= MAX_HEADER_LINES:
                    self._problem(dump.first, f"lock header does not end within {MAX_HEADER_LINES} lines")
                    del self.open[key]
                return out
            ro = _RO_OWNER.match(body)
            if ro:
                dump.readonly.append((number, raw, ro.group("uuid")))
                return out
            if _ADDR_OR_LEN.match(body):
                return out
            out += self._finish(key, number)
            return out
        if header_at >= 0:
            out += self._finish(key, number)
            if variant is None:
                file = self.command_file or self.names.get(key, "")
                kind = ""
            else:
                file, kind = self.names.get(key, ""), variant
            dump = _Dump(world=key, variant=kind, file=file, first=number)
            header = body[header_at + 1:]
            dump.parts.append((number, raw, header))
            dump.closed = "]" in header
            self.open[key] = dump
        return out

    def _problem(self, line: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append((line, message))

    @staticmethod
    def _split(text: str) -> tuple[str, int | None, str | None]:
        """(body, world, variant) of a line: the kernel's prefix taken off when there is one."""
        match = _ISO_PREFIX.match(text)
        if match:
            return text[match.end():], int(match.group("world")), "vmkernel"
        match = _SYSLOG_PREFIX.match(text)
        if match:
            world = match.group("world")
            return text[match.end():], (int(world) if world else None), "esx3.5"
        return text, None, None

    @staticmethod
    def _header_at(body: str) -> int:
        """Index of the ``[`` opening a lock header in ``body``, or -1."""
        at = body.find("[type")
        if at < 0 or not _HEADER_TYPE.match(body, at):
            return -1
        before = body[:at].rstrip()
        if not before or before.endswith(("Lock", "lock", "liveness:")):
            return at
        return -1

    def _command(self, text: str, out: list[Fact], number: int) -> bool:
        """A command line typed without a prompt (the core splits prompted ones into sections);
        True when the line was one."""
        if not _BARE_COMMAND.match(text):
            return False
        for key in list(self.open):
            out += self._finish(key, number)
        self.world = None
        self.command_file = dump_path(text.strip(), self.cwd)
        return True

    def _resolve_pending(self, number: int, key: int | None, body: str, prefixed: bool) -> list[Fact]:
        out: list[Fact] = []
        named = None
        if prefixed and _NAMED_FAILURE.search(body):
            match = _QUOTED_PATH.search(body)
            named = match.group("path") if match else None
        keep = []
        for dump in self.pending:
            if named and dump.world == key:
                dump.file = named
                out += self._facts(dump)
            elif number > dump.deadline:
                out += self._facts(dump)
            else:
                keep.append(dump)
        self.pending = keep
        return out

    def _finish(self, key: int | None, number: int, final: bool = False) -> list[Fact]:
        dump = self.open.pop(key, None)
        if dump is None:
            return []
        if not dump.closed:
            self._problem(dump.first, "lock header is cut off")
            return []
        if not dump.file and dump.variant and not final:
            dump.deadline = number + NAME_LOOKAHEAD
            self.pending.append(dump)
            return []
        return self._facts(dump)

    def _facts(self, dump: _Dump) -> list[Fact]:
        header = " ".join(body for _, _, body in dump.parts)
        fields = _HEADER_FIELDS.search(header)
        if not fields:
            self._problem(dump.first, "lock header has no mode and owner")
            return []
        mode = int(fields.group("mode"))
        owner = fields.group("owner").lower()
        owner_mac = mac_from_uuid(owner)
        if not owner_mac:
            owner = ""
        variant = dump.variant or ("5.x" if "gblnum" in header else
                                   "4.x" if re.search(r"nHld|n\s?Ovf", header) else "3.x")
        line, text = next(((n, raw) for n, raw, body in dump.parts if _HEADER_FIELDS.search(body)),
                          dump.parts[0][:2])
        file = dump.file
        disk = disk_key(file) if file else ""
        self.locks += 1
        facts = [Fact("vmfs-lock", {"file": file, "disk": disk, "mode": mode, "owner_uuid": owner,
                                    "owner_mac": owner_mac, "variant": variant,
                                    "datastore": datastore_of(file)},
                      line=line, text=text)]

        def holder(uuid: str, role: str, n: int, raw: str) -> Fact:
            return Fact("vmfs-lock-holder", {"file": file, "disk": disk, "mac": mac_from_uuid(uuid),
                                             "uuid": uuid.lower(), "role": role},
                        line=n, text=raw)

        if mode in (1, 3) and owner:
            facts.append(holder(owner, "owner", line, text))
        if mode != 0:
            readonly = [(n, raw, uuid) for n, raw, uuid in dump.readonly if mac_from_uuid(uuid)]
            facts += [holder(uuid, "read-only", n, raw) for n, raw, uuid in readonly]
            if mode == 2 and not readonly and owner:
                facts.append(holder(owner, "read-only", line, text))
        return facts


def dump_path(command: str, cwd: str = "") -> str:
    """The file a ``vmkfstools -D <file>`` command line dumps (joined with the prompt's folder
    when relative), "" for other commands.

    >>> dump_path("vmkfstools -D app01-flat.vmdk", "/vmfs/volumes/ds01/app01")
    '/vmfs/volumes/ds01/app01/app01-flat.vmdk'
    >>> dump_path("/sbin/vmkfstools -v 10 -D '/vmfs/volumes/ds01/a b/a b.vmdk'")
    '/vmfs/volumes/ds01/a b/a b.vmdk'
    """
    for words in command_segments(command or ""):
        if words[0] != "vmkfstools":
            continue
        for option, path in zip(words[1:], words[2:]):
            if option in ("-D", "--dump") or option.startswith("--dumpfile"):
                if not path.startswith("/") and cwd.startswith("/"):
                    path = cwd.rstrip("/") + "/" + path
                return path
    return ""


def recognise(head: Head) -> int:
    """95 for a section run by ``vmkfstools -D``, 90 for a bare dump; kernel logs go to the logs
    parser (this one reads the dumps in them as an embedded parser)."""
    if dump_path(head.command):
        return 95
    score = 0
    for line in head.lines[:5000]:
        text = clean_line(line)
        if _BARE_COMMAND.match(text) and dump_path(text.strip()):
            return 95
        if _BARE_HEADER.match(text):
            score = 90
    return score


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    section = artifact.section
    locks = LockDumpReader(section.command if section is not None else "",
                           section.cwd if section is not None else "")
    produced = 0
    for number, text in lines:
        for fact in locks.feed(number, text):
            produced += 1
            yield fact
    for fact in locks.close():
        produced += 1
        yield fact
    # A dump pasted or saved on its own that cannot be read is an error; a log's dump cut short
    # (the log rotated in the middle of it) is not.
    if not produced and locks.problems and not locks.kernel:
        line, problem = locks.problems[0]
        raise ParseError(f"line {line}: {problem}")


#: What the core scans other sections for: lock headers, kernel frames, RO holders, and the
#: failure lines that name an unnamed dump (:data:`NAME_LOOKAHEAD`).
SIGNATURES = ("[type", "<START", "<END", "RO Owner", "vmkfstools", "Lock was not free",
              "Failed to open", "Busy", "locked")
#: Lines given after each signature: the rest of a header split over lines, Addr and len.
CONTEXT = 6

PARSERS = [
    Parser("vmware-vmkfstools", recognise, parse,
           "vmkfstools -D lock dumps (bare, pasted, or inside vmkernel.log and ESX syslog) -> "
           "vmfs-lock, vmfs-lock-holder",
           signatures=SIGNATURES, context=CONTEXT, embedded=True),
]
