"""``nslookup`` output (Windows): which addresses a name resolves to, asked of which DNS server.

    C:\\>nslookup outlook.example.com
    Server:  dc01.example.com
    Address:  192.0.2.10

    Name:    outlook.example.com
    Address:  198.51.100.20

Several lookups may follow one another in a file (the same name asked of two DNS servers shows
whether a change has replicated). Each answer becomes a ``dns-lookup`` fact.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser

_SERVER = re.compile(r"^(?:Server|Serveur):\s*(?P<value>\S+)", re.I)
_NAME = re.compile(r"^(?:Name|Nom):\s*(?P<value>\S+)", re.I)
_ADDRESS = re.compile(r"^(?:Address(?:es)?|Adresse[ns]?):\s*(?P<value>.*)$", re.I)
_ALIASES = re.compile(r"^(?:Aliases|Alias):\s*(?P<value>.*)$", re.I)
_IP = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+)$")


def recognise(head: Head) -> int:
    text = head.text
    if re.search(r"^(?:Server|Serveur):\s*\S+\s*\n(?:Address|Adresse):", text, re.M | re.I) and \
            re.search(r"^(?:Name|Nom):\s*\S+", text, re.M | re.I):
        return 90
    return 0


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    server, server_address = "", ""
    answer: dict | None = None
    section = ""  # server | answer | aliases

    def flush():
        if answer and answer["addresses"]:
            yield Fact("dns-lookup", {
                "name": answer["name"], "addresses": answer["addresses"], "aliases": answer["aliases"],
                "dns_server": server, "dns_server_address": server_address,
            }, line=answer["line"], text=answer["text"])

    for number, raw in lines:
        text = raw.strip()
        if not text:
            continue
        match = _SERVER.match(text)
        if match:
            yield from flush()
            answer, server, server_address, section = None, match.group("value"), "", "server"
            continue
        match = _NAME.match(text)
        if match:
            yield from flush()
            answer = {"name": match.group("value").lower().rstrip("."), "addresses": [], "aliases": [],
                      "line": number, "text": raw}
            section = "answer"
            continue
        match = _ADDRESS.match(text)
        if match:
            value = match.group("value").strip()
            if section == "server" and not server_address:
                server_address = value
            elif answer is not None:
                answer["addresses"].extend(v for v in value.split() if _IP.match(v))
                section = "answer"
            continue
        match = _ALIASES.match(text)
        if match and answer is not None:
            answer["aliases"].append(match.group("value").strip().lower().rstrip("."))
            section = "aliases"
            continue
        if raw[:1].isspace() and answer is not None and section in ("answer", "aliases"):
            value = text.lower().rstrip(".")
            if section == "answer" and _IP.match(text):
                answer["addresses"].append(text)
            elif section == "aliases":
                answer["aliases"].append(value)
    yield from flush()


PARSERS = [
    Parser("nslookup", recognise, parse, "Windows nslookup output: names, addresses and the DNS server asked"),
]
