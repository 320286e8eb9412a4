"""What an Exchange cmdlet's command line says about its output.

A table cut by ``Format-Table`` may hide a copy's server (``DB01\\EX0...``), but the command that
printed it often names it: ``Get-MailboxDatabaseCopyStatus -Server EX02`` or ``... DB01\\EX02``.
And ``Get-ExchangeServer $env:COMPUTERNAME`` describes the machine the shell ran on, the one case
where an Exchange server listing names the host of the artifact for certain (a plain
``Get-ExchangeServer`` lists every server of the organisation).

>>> argument("Get-MailboxDatabaseCopyStatus -Server EX02 | ft", "Get-MailboxDatabaseCopyStatus", "Server")
'EX02'
>>> argument("Get-MailboxDatabaseCopyStatus DB01\\\\EX02 | fl", "Get-MailboxDatabaseCopyStatus", "Identity", 0)
'DB01\\\\EX02'
>>> names_local_machine("Get-ExchangeServer $env:COMPUTERNAME | fl Name,AdminDisplayVersion", "Get-ExchangeServer")
True
>>> names_local_machine("Get-ExchangeServer | fl", "Get-ExchangeServer")
False
"""

from __future__ import annotations

import re

from hakb.sections import command_segments

#: How a PowerShell command line names the machine it runs on.
_LOCAL = re.compile(r"^\$?\(?\s*(?:\$env:computername|\[(?:system\.)?environment\]::machinename|hostname"
                    r"|\[(?:system\.)?net\.dns\]::gethostname\(\))\s*\)?$", re.I)
#: Where-Object spellings, whose filter may compare Name or Fqdn with the local machine.
_WHERE = {"where-object", "where", "?"}


def _segment(command: str, cmdlet: str) -> list[str] | None:
    for words in command_segments(command or ""):
        if words[0].lower() == cmdlet.lower():
            return words
    return None


def _is_parameter(word: str) -> bool:
    return len(word) > 1 and word[0] == "-" and word[1].isalpha()


#: Switch parameters of the cmdlets read here (they take no value, so the word after one is
#: positional): ``Get-ExchangeServer -Status EX01``.
SWITCHES = frozenset({"status", "active", "local", "connectionstatus", "extendederrorinfo",
                      "useservercache", "outputobjects", "monitoringcontext"})


def _arguments(words: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """(named, positional) arguments of one pipeline segment's words (the cmdlet first)."""
    named: list[tuple[str, str]] = []
    positional: list[str] = []
    index = 1
    while index < len(words):
        word = words[index]
        if _is_parameter(word):
            name, colon, inline = word[1:].partition(":")
            switch = any(s.startswith(name.lower()) for s in SWITCHES) and len(name) >= 2
            takes = (not colon and not switch and index + 1 < len(words)
                     and not _is_parameter(words[index + 1]))
            named.append((name.lower(), inline if colon else (words[index + 1] if takes else "")))
            index += 2 if takes else 1
            continue
        positional.append(word)
        index += 1
    return named, positional


def _given(words: list[str], parameter: str, position: int | None) -> str:
    named, positional = _arguments(words)
    wanted = parameter.lower()
    for name, value in named:
        if len(name) >= 2 and wanted.startswith(name):
            return value
    if position is not None and position < len(positional):
        return positional[position]
    return ""


def argument(command: str, cmdlet: str, parameter: str, position: int | None = None) -> str:
    """The value ``cmdlet`` was given for ``parameter`` on ``command`` (``-Server EX02``,
    ``-Serv:EX02``; with ``position``, also the n-th positional argument), or "" when the
    command does not give one, or gives a variable or expression instead of a name."""
    words = _segment(command, cmdlet)
    found = _given(words, parameter, position) if words else ""
    return found if found and found[0] not in "$(@{" else ""


def names_local_machine(command: str, cmdlet: str) -> bool:
    """True when ``command`` asks ``cmdlet`` about the machine it runs on: its identity is
    ``$env:COMPUTERNAME`` (or ``hostname``, ``[Environment]::MachineName``), or a Where-Object
    after it compares with one of those."""
    words = _segment(command, cmdlet)
    if words is None:
        return False
    identity = _given(words, "Identity", 0)
    if identity and _LOCAL.match(identity):
        return True
    for segment in command_segments(command or ""):
        if segment[0].lower() in _WHERE:
            text = " ".join(segment[1:]).lower()
            if ("-eq" in text and "-or" not in text
                    and any(s in text for s in ("$env:computername", "machinename", "hostname"))):
                return True
    return False
