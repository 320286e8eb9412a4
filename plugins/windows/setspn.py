"""``setspn`` output: which service principal names are registered on which account, and what a
query or duplicate check answered.

Every shape setspn prints is read, so that one file may hold the listing of the alternate service
account (``-L``), a query for one name across the domain or forest (``-Q``), the duplicate check
(``-X``) and an add that was refused (``-S``)::

    Registered ServicePrincipalNames for CN=EXCHASA,CN=Computers,DC=example,DC=com:
            exchangeMDB/outlook.example.com
    Checking domain DC=example,DC=com
    CN=CAS02,CN=Computers,DC=example,DC=com
            exchangeAB/outlook.example.com
    Existing SPN found!
    exchangeMDB/outlook.example.com is registered on these accounts:
            CN=EXCHASA,CN=Computers,DC=example,DC=com
    found 1 group of duplicate SPNs.

Every (name, account) pair becomes a ``spn-registration`` fact; a name on two accounts is two
facts. The verdict lines (``Existing SPN found!``, ``No such SPN found.``, ``found N group(s) of
duplicate SPNs.``, ``Duplicate SPN found, aborting operation!``) become a ``spn-query`` fact, so an
answer of "not registered anywhere" is known too; the name asked for comes from the command line.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser
from hakb.sections import command_matches, command_segments

_LISTING = re.compile(r"^\s*(?:Registered ServicePrincipalNames|Registrierte\s.*?)\s+(?:for|für)\s+"
                      r"(?P<account>.+?):?\s*$", re.I)
_DUPLICATE = re.compile(r"^\s*(?P<spn>\S+/\S+)\s+is registered on these accounts:?\s*$", re.I)
_ACCOUNT = re.compile(r"^\s*(?P<account>CN=.+?)\s*$", re.I)
_SPN = re.compile(r"^\s+(?P<spn>[A-Za-z][\w.-]*/[^\s/]+(?:/\S+)?)\s*$")
_FOUND = re.compile(r"^\s*(?:Existing SPN found!|Vorhandener SPN gefunden!?)\s*$", re.I)
_NOT_FOUND = re.compile(r"^\s*(?:No such SPN found\.?|Kein solcher SPN gefunden\.?)\s*$", re.I)
_GROUPS = re.compile(r"^\s*found\s+(?P<n>\d+)\s+groups?\s+of\s+duplicate\s+SPNs?\.?\s*$", re.I)
_REFUSED = re.compile(r"^\s*Duplicate SPN found, aborting operation!?\s*$", re.I)
_OPTIONS = set("QXLSAFTDUP")
_VERDICT = re.compile(r"Existing SPN found|No such SPN found|groups? of duplicate SPN|Duplicate SPN found"
                      r"|Vorhandener SPN gefunden|Kein solcher SPN gefunden", re.I)


def split_spn(spn: str) -> tuple[str, str, int | None]:
    """(service class lower case, target host lower case, port or None).

    >>> split_spn("exchangeMDB/outlook.example.com")
    ('exchangemdb', 'outlook.example.com', None)
    >>> split_spn("MSSQLSvc/sql01.example.com:1433")
    ('mssqlsvc', 'sql01.example.com', 1433)
    """
    service, _, rest = spn.partition("/")
    target = rest.split("/", 1)[0]
    port = None
    if ":" in target:
        target, _, digits = target.partition(":")
        port = int(digits) if digits.isdigit() else None
    return service.lower(), target.lower().rstrip("."), port


def asked(command: str) -> tuple[str, str]:
    """(option, SPN) of a setspn command line: ``setspn -Q http/mail`` -> ("-Q", "http/mail").

    >>> asked("setspn -Q exchangeAB/outlook.example.com"), asked("setspn.exe -X -F")
    (('-Q', 'exchangeAB/outlook.example.com'), ('-X', ''))
    """
    for words in command_segments(command):
        if words[0].lower() != "setspn":
            continue
        option = next((w for w in words[1:] if len(w) == 2 and w[0] in "-/" and w[1].upper() in _OPTIONS), "")
        spn = next((w for w in words[1:] if "/" in w and w[:1] not in "-/"), "")
        return "-" + option[1:].upper() if option else "", spn
    return "", ""


def recognise(head: Head) -> int:
    text = head.text
    if command_matches(head.command, "setspn"):
        return 100
    if re.search(r"Registered ServicePrincipalNames for|is registered on these accounts", text, re.I) \
            or _VERDICT.search(text):
        return 100
    if re.search(r"^Checking (?:domain|forest) DC=", text, re.M | re.I):
        return 80
    if re.search(r"^\s+(?:exchangeMDB|exchangeRFR|exchangeAB|http)/\S+\s*$", text, re.M | re.I):
        return 50
    return 0


def _registration(spn: str, account: str, number: int, text: str) -> Fact:
    service, target, port = split_spn(spn)
    return Fact("spn-registration", {"spn": spn, "service_class": service, "target": target, "port": port,
                                     "account": account}, line=number, text=text)


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    section = artifact.section
    option, queried = asked(section.command) if section is not None else ("", "")
    account = ""
    duplicate_spn = ""
    accounts: set[str] = set()
    for number, raw in lines:
        text = raw.rstrip()
        if not text.strip():
            duplicate_spn = ""
            continue
        verdict = None
        if _FOUND.match(text):
            verdict = (True, len(accounts), option or "-Q")
        elif _NOT_FOUND.match(text):
            verdict = (False, 0, option or "-Q")
        elif _REFUSED.match(text):
            verdict = (True, len(accounts), option or "-S")
        elif match := _GROUPS.match(text):
            verdict = (int(match.group("n")) > 0, int(match.group("n")), option or "-X")
        if verdict is not None:
            found, count, used = verdict
            yield Fact("spn-query", {"spn": queried, "option": used, "found": found, "count": count},
                       line=number, text=text)
            accounts.clear()
            continue
        match = _LISTING.match(text)
        if match:
            account, duplicate_spn = match.group("account"), ""
            continue
        match = _DUPLICATE.match(text)
        if match:
            duplicate_spn = match.group("spn")
            continue
        match = _ACCOUNT.match(text)
        if match:
            if duplicate_spn:
                yield _registration(duplicate_spn, match.group("account"), number, text)
            else:
                account = match.group("account")  # setspn -Q names the account, then its SPNs
                accounts.add(account)
            continue
        match = _SPN.match(text)
        if match and account and not duplicate_spn:
            yield _registration(match.group("spn"), account, number, text)


PARSERS = [
    Parser("setspn", recognise, parse,
           "setspn -L / -Q / -X / -S output: SPNs, the accounts holding them, and each query's answer"),
]
