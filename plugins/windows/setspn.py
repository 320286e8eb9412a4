"""``setspn`` output: which service principal names are registered on which account.

Three shapes are read, so that one file may hold the listing of the alternate service account
(``-L``), a query for one name across the domain (``-Q``) and the duplicate check (``-X``)::

    Registered ServicePrincipalNames for CN=EXCHASA,CN=Computers,DC=example,DC=com:
            exchangeMDB/outlook.example.com
    Checking domain DC=example,DC=com
    exchangeMDB/outlook.example.com is registered on these accounts:
            CN=EXCHASA,CN=Computers,DC=example,DC=com
            CN=CAS01,CN=Computers,DC=example,DC=com

Every (name, account) pair becomes a ``spn-registration`` fact; a name on two accounts is two facts.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser

_LISTING = re.compile(r"^\s*(?:Registered ServicePrincipalNames|Registrierte\s.*?)\s+(?:for|für)\s+"
                      r"(?P<account>.+?):?\s*$", re.I)
_DUPLICATE = re.compile(r"^\s*(?P<spn>\S+/\S+)\s+is registered on these accounts:?\s*$", re.I)
_ACCOUNT = re.compile(r"^\s*(?P<account>CN=.+?)\s*$", re.I)
_SPN = re.compile(r"^\s+(?P<spn>[A-Za-z][\w.-]*/[^\s/]+(?:/\S+)?)\s*$")


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


def recognise(head: Head) -> int:
    text = head.text
    if re.search(r"Registered ServicePrincipalNames for|is registered on these accounts", text, re.I):
        return 100
    if re.search(r"^Checking domain DC=", text, re.M | re.I):
        return 80
    if re.search(r"^\s+(?:exchangeMDB|exchangeRFR|exchangeAB|http)/\S+\s*$", text, re.M | re.I):
        return 50
    return 0


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    account = ""
    duplicate_spn = ""
    for number, raw in lines:
        text = raw.rstrip()
        if not text.strip():
            duplicate_spn = ""
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
                service, target, port = split_spn(duplicate_spn)
                yield Fact("spn-registration", {
                    "spn": duplicate_spn, "service_class": service, "target": target, "port": port,
                    "account": match.group("account")}, line=number, text=text)
            else:
                account = match.group("account")  # setspn -Q names the account, then its SPNs
            continue
        match = _SPN.match(text)
        if match and account and not duplicate_spn:
            spn = match.group("spn")
            service, target, port = split_spn(spn)
            yield Fact("spn-registration", {
                "spn": spn, "service_class": service, "target": target, "port": port,
                "account": account}, line=number, text=text)


PARSERS = [
    Parser("setspn", recognise, parse, "setspn -L / -Q / -X output: SPNs and the accounts holding them"),
]
