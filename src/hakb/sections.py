"""Pasted shell sessions: prompts, the commands after them, and the words of a command.

Helpdesks paste what they ran together with its output, so the prompt in front of a command
tells which host it ran on, in which folder, and what the output below it is.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]")
_MORE = re.compile(r"-+\s*More\s*-+(?:\s*\(\d+%\))?")
_BACKSPACED = re.compile(r"[^\x08]\x08")
_PROMPTS = (
    # ESXi 6.0 and later: [root@esx01:~] vmkfstools -D ...
    re.compile(r"^\[(?P<user>[\w.-]+)@(?P<host>[\w.-]+):(?P<cwd>[^\]]*)\]\s?(?P<cmd>.*)$"),
    # ESX classic service console: [root@esx01 ~]# ...
    re.compile(r"^\[(?P<user>[\w.-]+)@(?P<host>[\w.-]+)\s+(?P<cwd>[^\]]*)\][#$]\s?(?P<cmd>.*)$"),
    # ESXi 4.x / 5.x busybox shell: ~ # ...   /vmfs/volumes/ds01 # ...
    re.compile(r"^(?P<cwd>~|/[^\s#]*)\s+#\s?(?P<cmd>.*)$"),
    # A bare "# cmd" or "esx01 # cmd".
    re.compile(r"^(?:(?P<host>[A-Za-z][\w.-]*)\s*)?#\s+(?P<cmd>.*)$"),
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


def parse_prompt(text: str) -> Prompt | None:
    """The ESXi / ESX shell prompt at the start of ``text``, or None.

    >>> parse_prompt("[root@esx01:~] vmkfstools -D /vmfs/volumes/ds01/a/a.vmdk")
    Prompt(host='esx01', cwd='~', command='vmkfstools -D /vmfs/volumes/ds01/a/a.vmdk')
    >>> parse_prompt("~ # esxcfg-nics -l").command
    'esxcfg-nics -l'
    >>> parse_prompt("gen 7, mode 1, owner x") is None
    True
    """
    for pattern in _PROMPTS:
        match = pattern.match(text)
        if match:
            groups = match.groupdict()
            return Prompt(groups.get("host") or "", (groups.get("cwd") or "").strip(),
                          match.group("cmd").strip())
    return None



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
