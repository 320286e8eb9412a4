"""Pasted shell sessions and transcripts: prompts, the commands after them, sections between them.

Helpdesks paste what they ran together with its output, and PowerShell transcripts record many
commands in one file. The prompt in front of a command tells which host it ran on, in which
folder, and what the output below it is; so before any parser sees an artifact, the core splits
it at prompt lines into :class:`Section` objects (:func:`find_sections`), each going to the
parser that knows its output best. Recognised prompts:

* PowerShell ``PS C:\\> Get-X``, ``PS>Get-X``, the Exchange shell's ``[PS] C:\\Windows\\system32>``,
  remote sessions ``[EX01]: PS C:\\> Get-X`` (the host is EX01), provider paths ``PS HKLM:\\> ``;
* ``cmd.exe`` ``C:\\>portqry -n edge01 -e 50636``;
* ESXi / ESX ``[root@esx01:~] esxcfg-nics -l``, ``[root@esx01 ~]# ...``, ``~ # ...``,
  ``/vmfs/volumes/ds01 # ...``, and Linux ``user@host:~$ ...``.

A PowerShell transcript header (``Windows PowerShell transcript start`` ... ``Machine: EX01 (...)``)
names the machine every section of the transcript ran on (:func:`transcript_header`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]")
_MORE = re.compile(r"-+\s*More\s*-+(?:\s*\(\d+%\))?")
_BACKSPACED = re.compile(r"[^\x08]\x08")
#: (shell, pattern): each names its groups host, cwd, cmd where the prompt shows them.
_PROMPTS = (
    # PowerShell, optionally in a remote session: [EX01]: PS C:\Users\me> Get-X ; PS>Get-X
    ("powershell", re.compile(r"^(?:\[(?P<host>[\w.-]+)\]:\s*)?(?:\[PS\]\s*)?PS(?:\s+(?P<cwd>[^>\n]*?))?>\s?(?P<cmd>.*)$")),
    # Exchange Management Shell: [PS] C:\Windows\system32>Get-X
    ("powershell", re.compile(r"^\[PS\]\s+(?P<cwd>[A-Za-z]:\\[^>\n]*)>\s?(?P<cmd>.*)$")),
    # cmd.exe: C:\>cmd, C:\Windows\system32>setspn -Q http/*
    ("cmd", re.compile(r"^(?P<cwd>[A-Za-z]:\\[^>\n<|\"]*)>\s?(?P<cmd>.*)$")),
    # ESXi 6.0 and later: [root@esx01:~] vmkfstools -D ...
    ("esxi", re.compile(r"^\[(?P<user>[\w.-]+)@(?P<host>[\w.-]+):(?P<cwd>[^\]]*)\]\s?(?P<cmd>.*)$")),
    # ESX classic service console, RHEL-style: [root@esx01 ~]# ...
    ("esxi", re.compile(r"^\[(?P<user>[\w.-]+)@(?P<host>[\w.-]+)\s+(?P<cwd>[^\]]*)\][#$]\s?(?P<cmd>.*)$")),
    # Linux / SUSE: admin@host:~$ ... ; root@host:/tmp# ...
    ("linux", re.compile(r"^(?P<user>[\w.-]+)@(?P<host>[\w.-]+):(?P<cwd>[^\s#$]*)[#$]\s?(?P<cmd>.*)$")),
    # ESXi 4.x / 5.x busybox shell: ~ # ...   /vmfs/volumes/ds01 # ...
    ("esxi", re.compile(r"^(?P<cwd>~|/[^\s#]*)\s+#\s?(?P<cmd>.*)$")),
    # A bare "# cmd" or "esx01 # cmd": a lower-case command and words no prose has (no capital
    # or parenthesis starting a word), so a Markdown heading is not taken for a prompt.
    ("esxi", re.compile(r"^(?:(?P<host>[A-Za-z][\w.-]*)\s*)?#\s+(?P<cmd>[a-z/.][\w./-]*(?:\s+[^\sA-Z(][^\s]*)*)\s*$")),
)


def clean_line(text: str) -> str:
    """A pasted line without terminal noise: ANSI escapes, ``--More--`` pager marks, backspaces.

    >>> clean_line("\\x1b[7m--More--\\x1b[m vmnic1  0000:02:00.1")
    'vmnic1  0000:02:00.1'
    """
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if "More" in text:
        text = _MORE.sub("", text).strip() if _MORE.search(text) else text
    if "\x08" in text:
        while "\x08" in text:
            new = _BACKSPACED.sub("", text, count=1)
            if new == text:
                text = text.replace("\x08", "")
                break
            text = new
    return text.rstrip()


class Prompt(NamedTuple):
    """A shell prompt line split up; host and cwd are "" when the prompt does not show them."""

    host: str
    cwd: str
    command: str
    shell: str = ""


#: First characters a prompt line can start with: a cheap test before the patterns run.
_PROMPT_START = frozenset("P[~/#C" + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def parse_prompt(text: str) -> Prompt | None:
    """The shell prompt at the start of ``text``, or None.

    >>> parse_prompt("[root@esx01:~] vmkfstools -D /vmfs/volumes/ds01/a/a.vmdk")
    Prompt(host='esx01', cwd='~', command='vmkfstools -D /vmfs/volumes/ds01/a/a.vmdk', shell='esxi')
    >>> parse_prompt("~ # esxcfg-nics -l").command
    'esxcfg-nics -l'
    >>> parse_prompt("[EX01]: PS C:\\\\Users\\\\admin> Get-ExchangeServer | fl").host
    'EX01'
    >>> parse_prompt("[PS] C:\\\\Windows\\\\system32>Get-DatabaseAvailabilityGroup -Status").command
    'Get-DatabaseAvailabilityGroup -Status'
    >>> parse_prompt("C:\\\\>portqry -n edge01 -e 50636").shell
    'cmd'
    >>> parse_prompt("gen 7, mode 1, owner x") is None
    True
    """
    if not text or text[0] not in _PROMPT_START:
        return None
    for shell, pattern in _PROMPTS:
        match = pattern.match(text)
        if match:
            groups = match.groupdict()
            return Prompt(groups.get("host") or "", (groups.get("cwd") or "").strip(),
                          match.group("cmd").strip(), shell)
    return None


# --- commands ----------------------------------------------------------------------------------


def head_command(head) -> str:
    """The command a :class:`hakb.Head`'s output came from: its section's, or (a parser used on
    its own, the whole paste in one head) the command of a prompt on its first line."""
    if head.command:
        return head.command
    first = next((line for line in head.text.splitlines() if line.strip()), "")
    prompt = parse_prompt(first)
    return prompt.command if prompt else ""


def command_segments(command: str) -> list[list[str]]:
    """The words of each pipeline segment of a command line (quotes respected, program paths
    reduced to their names, ``.exe`` dropped).

    >>> command_segments('Get-ClusterResource "SQL IP" | Get-ClusterParameter')
    [['Get-ClusterResource', 'SQL IP'], ['Get-ClusterParameter']]
    >>> command_segments("/sbin/vmkfstools -D /vmfs/volumes/ds01/a.vmdk")
    [['vmkfstools', '-D', '/vmfs/volumes/ds01/a.vmdk']]
    """
    segments: list[list[str]] = []
    for part in _split_pipeline(command):
        words = [w[1:-1] if len(w) > 1 and w[0] == w[-1] and w[0] in "'\"" else w
                 for w in re.findall(r"\"[^\"]*\"|'[^']*'|\S+", part)]
        if not words:
            continue
        program = words[0].replace("\\", "/").rsplit("/", 1)[-1]
        if program.lower().endswith(".exe"):
            program = program[:-4]
        segments.append([program] + words[1:])
    return segments


def _split_pipeline(command: str) -> list[str]:
    parts, current, quote = [], [], ""
    for ch in command:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "|":
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return parts


#: Pipeline stages that format, filter, sort or save objects without changing what they are.
_PASS_THROUGH = frozenset({
    "format-list", "fl", "format-table", "ft", "format-wide", "fw", "format-custom", "fc",
    "select-object", "select", "where-object", "where", "?", "sort-object", "sort", "export-csv",
    "epcsv", "convertto-csv", "convertto-json", "convertto-xml", "export-clixml", "out-file",
    "out-string", "out-host", "out-default", "out-gridview", "ogv", "tee-object", "tee",
    "more", "less", "head", "tail", "grep", "egrep", "findstr", "clip", "set-clipboard"})


def producer(command: str) -> str:
    """The pipeline stage whose objects a command prints: the last one that is no formatter,
    filter or exporter.

    >>> producer("Get-VM app01 | Get-Snapshot | Format-Table -AutoSize")
    'Get-Snapshot'
    >>> producer("esxcli network nic list | grep vmnic")
    'esxcli network nic list'
    """
    segments = command_segments(command)
    for words in reversed(segments):
        if words[0].lower() not in _PASS_THROUGH:
            return " ".join(words)
    return " ".join(segments[0]) if segments else ""


def command_matches(command: str, pattern: str) -> bool:
    """True when a pipeline segment of ``command`` runs ``pattern``: same program (case does not
    matter) and the pattern's other words in order among its words (options may come between).

    >>> command_matches("esxcli --formatter=csv network nic list", "esxcli network nic list")
    True
    >>> command_matches("Get-ClusterResource | get-clusterparameter", "Get-ClusterParameter")
    True
    >>> command_matches("esxcli network nic get -n vmnic0", "esxcli network nic list")
    False
    """
    wanted = [w.lower() for w in pattern.split()]
    if not wanted:
        return False
    for words in command_segments(command):
        lowered = [w.lower() for w in words]
        if lowered[0] != wanted[0]:
            continue
        position = 1
        for word in wanted[1:]:
            try:
                position = lowered.index(word, position) + 1
            except ValueError:
                break
        else:
            return True
    return False


#: A shell prompt in front of a pasted command: ESXi 6+ ``[user@host:cwd]``, ESXi 5 ``cwd #``,
#: a Linux ``user@host:cwd$`` or a bare ``#``/``$``.
_PROMPT = re.compile(r"""^\s*(?:
      \[[^@\]\s]+@[^:\]\s]+:(?P<cwd1>[^\]]*)\]\s*[#$]?\s*
    | (?P<cwd2>~|/[^\s#$]*)\s+[#$]\s+
    | [\w.-]+@[\w.-]+:(?P<cwd3>[^\s#$]*)\s*[#$]\s*
    | [#$>]\s+
    )?""", re.X)


def split_command(line: str, commands: tuple[str, ...]) -> tuple[str, list[str]] | None:
    """(prompt folder, words) when ``line`` is a pasted command starting with one of ``commands``.

    >>> split_command("[root@esx01:/vmfs/volumes/ds01/app01] ls -lh", ("ls",))
    ('/vmfs/volumes/ds01/app01', ['ls', '-lh'])
    >>> split_command("~ # df -h", ("df",))
    ('~', ['df', '-h'])
    >>> split_command("total 12", ("ls",)) is None
    True
    """
    match = _PROMPT.match(line)
    rest = line[match.end():] if match else line
    words = rest.split()
    if not words or words[0].rsplit("/", 1)[-1] not in commands:
        return None
    cwd = ""
    if match:
        cwd = match.group("cwd1") or match.group("cwd2") or match.group("cwd3") or ""
    return cwd.strip(), words


# --- sections ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """Lines ``start``..``end`` of an artifact (1-based, inclusive). A section after a prompt
    starts at the prompt line and carries its ``command``; the part before the first prompt has
    none. ``host`` is the host the prompt or the transcript header names, "" when neither does."""

    start: int
    end: int
    command: str = ""
    shell: str = ""
    host: str = ""
    cwd: str = ""
    header: bool = False  # a transcript header: read by the core, not by parsers

    def describe(self) -> str:
        where = f"lines {self.start}-{self.end}" if self.end > self.start else f"line {self.start}"
        return f"{where} ({self.command})" if self.command else where


#: The rule of stars framing transcript headers and command blocks: no output of its own.
_STARS = re.compile(r"^\s*\*{3,}\s*$")
_TRANSCRIPT_START = re.compile(r"^\s*Windows PowerShell transcript start\s*$", re.I)
_TRANSCRIPT_FIELD = re.compile(r"^\s*(?P<name>Start time|Machine|Username|RunAs User|Host Application"
                               r"|Process ID|PSVersion|End time)\s*:\s*(?P<value>.*?)\s*$", re.I)


@dataclass(frozen=True)
class TranscriptHeader:
    """What a PowerShell transcript header says: the machine, and when the transcript started."""

    machine: str = ""
    start_time: str = ""   # as written: 20201120091500
    machine_line: int = 0
    start_line: int = 0


def transcript_header(lines: Sequence[tuple[int, str]]) -> TranscriptHeader | None:
    """The header of a PowerShell transcript among ``lines`` (its first lines), or None.

    >>> head = [(1, "**********************"), (2, "Windows PowerShell transcript start"),
    ...         (3, "Start time: 20201120091500"), (4, "Machine: EX01 (Microsoft Windows NT 6.1.7601)")]
    >>> transcript_header(head)
    TranscriptHeader(machine='EX01', start_time='20201120091500', machine_line=4, start_line=3)
    """
    seen = False
    machine = start = ""
    machine_line = start_line = 0
    for number, text in lines:
        if _TRANSCRIPT_START.match(text):
            seen = True
            continue
        if not seen:
            continue
        field = _TRANSCRIPT_FIELD.match(text)
        if field:
            name = field.group("name").lower()
            if name == "machine" and not machine:
                machine, machine_line = field.group("value").split(" (")[0].strip(), number
            elif name == "start time" and not start:
                start, start_line = field.group("value"), number
        elif parse_prompt(text):
            break
    return TranscriptHeader(machine, start, machine_line, start_line) if seen else None


def find_sections(lines: Iterable[tuple[int, str]]) -> list[Section]:
    """Split an artifact's lines into sections at prompt lines.

    The part before the first prompt is a section without a command (left out when it is
    empty); a transcript's header block is marked ``header``. A transcript's machine becomes
    the host of every section whose prompt names none.

    >>> text = ["PS C:\\\\> Get-ExchangeServer", "Name : EX01", "", "PS C:\\\\> Get-FederationTrust | fl",
    ...         "Name : Microsoft Federation Gateway"]
    >>> [(s.start, s.end, s.command) for s in find_sections(enumerate(text, 1))]
    [(1, 3, 'Get-ExchangeServer'), (4, 5, 'Get-FederationTrust | fl')]
    """
    sections: list[Section] = []
    current: dict | None = None
    last = 0
    content = False
    machine = ""
    in_header = False
    for number, raw in lines:
        last = number
        text = clean_line(raw) if ("\x1b" in raw or "\x08" in raw) else raw.rstrip()
        if _TRANSCRIPT_START.match(text):
            # the transcript header: its own section, read by the core
            if current is not None and content and not current.get("header"):
                _close(sections, current, number - 1)
                current = None
            current = current or {"start": number}
            current["header"] = in_header = True
            content = True
            continue
        if in_header:
            field = _TRANSCRIPT_FIELD.match(text)
            if field and field.group("name").lower() == "machine" and not machine:
                machine = field.group("value").split(" (")[0].strip()
        prompt = parse_prompt(text)
        if prompt is None:
            if text.strip() and not _STARS.match(text):
                content = True
            if current is None:
                current = {"start": number}
            continue
        in_header = False
        if current is not None and (content or current.get("command")):
            _close(sections, current, number - 1)
        current = {"start": number, "command": prompt.command, "shell": prompt.shell,
                   "host": prompt.host, "cwd": prompt.cwd}
        content = False
    if current is not None and (content or current.get("command")):
        _close(sections, current, last)
    if machine:
        sections = [s if s.host or s.shell not in ("powershell", "") or s.header
                    else Section(s.start, s.end, s.command, s.shell, machine, s.cwd) for s in sections]
    return sections


def _close(sections: list[Section], current: dict, end: int) -> None:
    if end < current["start"]:
        return
    sections.append(Section(current["start"], end, current.get("command", ""), current.get("shell", ""),
                            current.get("host", ""), current.get("cwd", ""), current.get("header", False)))
