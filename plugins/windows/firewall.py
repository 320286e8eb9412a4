"""Windows Firewall listings: ``netsh advfirewall firewall show rule name=all`` and
``netsh advfirewall show allprofiles`` (English or German output).

    Rule Name:                            Inbound SMTP (TCP 25)
    ----------------------------------------------------------------------
    Enabled:                              Yes
    Direction:                            In
    Protocol:                             TCP
    LocalPort:                            25
    Action:                               Allow

Each rule becomes a ``firewall-rule`` fact, each profile's default policy (``Firewall Policy
BlockInbound,AllowOutbound``) a ``firewall-policy`` fact, so rules can decide whether a flow
an Exchange role needs is open.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb import Artifact, Fact, Head, Parser

#: Field names (English and German netsh) -> our key.
FIELDS = {
    "rule name": "name", "regelname": "name",
    "enabled": "enabled", "aktiviert": "enabled",
    "direction": "direction", "richtung": "direction",
    "profiles": "profiles", "profile": "profiles",
    "grouping": "group", "gruppierung": "group",
    "localip": "local_ip", "lokale ip": "local_ip",
    "remoteip": "remote_ip", "remote-ip": "remote_ip",
    "protocol": "protocol", "protokoll": "protocol",
    "localport": "local_ports", "lokaler port": "local_ports",
    "remoteport": "remote_ports",
    "action": "action", "aktion": "action",
    "program": "program", "programm": "program",
}
_YES = {"yes", "ja", "true"}
_DIRECTIONS = {"in": "in", "eingang": "in", "eingehend": "in", "out": "out", "ausgang": "out",
               "ausgehend": "out"}
_ACTIONS = {"allow": "allow", "zulassen": "allow", "block": "block", "blockieren": "block",
            "bypass": "bypass", "umgehen": "bypass"}
_FIELD = re.compile(r"^(?P<name>[A-Za-z][A-Za-z -]*?):\s*(?P<value>.*)$")
_PROFILE = re.compile(r"^(?P<profile>Domain|Private|Public|Domäne|Privat|Öffentlich)\w*\s+"
                      r"(?:Profile Settings|profileinstellungen|-Profileinstellungen)", re.I)
_PROFILE_NAMES = {"domäne": "Domain", "privat": "Private", "öffentlich": "Public"}
_POLICY = re.compile(r"^(?:Firewall Policy|Firewallrichtlinie)\s+(?P<inbound>\w+),(?P<outbound>\w+)", re.I)
_STATE = re.compile(r"^(?:State|Status)\s+(?P<state>ON|OFF|EIN|AUS)\s*$", re.I)


def recognise(head: Head) -> int:
    text = head.text
    if re.search(r"^(?:Rule Name|Regelname):", text, re.M) and re.search(
            r"^(?:LocalPort|Lokaler Port|Action|Aktion):", text, re.M):
        return 100
    if re.search(r"^(?:Firewall Policy|Firewallrichtlinie)\s+\w+,\w+", text, re.M):
        return 90
    return 0


_ANY = {"any", "beliebig", "alle"}


def _any(value: str) -> str:
    return "Any" if value.strip().lower() in _ANY else value.strip()


def _ports(value: str) -> list[str]:
    return [_any(p) for p in value.split(",") if p.strip()]


def _rule_fact(fields: dict[str, str], line: int, text: str) -> Fact:
    direction = fields.get("direction", "").strip().lower()
    action = fields.get("action", "").strip().lower()
    profiles = [p.strip() for p in fields.get("profiles", "").split(",") if p.strip()]
    return Fact("firewall-rule", {
        "name": fields.get("name", ""),
        "enabled": fields.get("enabled", "").strip().lower() in _YES,
        "direction": _DIRECTIONS.get(direction, direction),
        "profiles": profiles,
        "action": _ACTIONS.get(action, action),
        "protocol": _any(fields.get("protocol", "Any")) or "Any",
        "local_ports": _ports(fields.get("local_ports", "Any")) or ["Any"],
        "remote_ports": _ports(fields.get("remote_ports", "Any")) or ["Any"],
        "local_ip": _any(fields.get("local_ip", "")), "remote_ip": _any(fields.get("remote_ip", "")),
        "program": fields.get("program", ""), "group": fields.get("group", ""),
    }, line=line, text=text)


def parse(lines: Iterable[tuple[int, str]], artifact: Artifact) -> Iterator[Fact]:
    fields: dict[str, str] | None = None
    start, start_text = 0, ""
    profile, state = "", ""
    for number, raw in lines:
        text = raw.strip()
        header = _PROFILE.match(text)
        if header:
            if fields is not None:
                yield _rule_fact(fields, start, start_text)
                fields = None
            name = header.group("profile")
            profile, state = _PROFILE_NAMES.get(name.lower(), name.capitalize()), ""
            continue
        match = _STATE.match(text)
        if match and profile:
            state = {"ein": "on", "aus": "off"}.get(match.group("state").lower(), match.group("state").lower())
            continue
        match = _POLICY.match(text)
        if match and profile:
            yield Fact("firewall-policy", {
                "profile": profile, "state": state,
                "inbound": match.group("inbound").lower().replace("inbound", "") or "block",
                "outbound": match.group("outbound").lower().replace("outbound", "") or "allow",
            }, line=number, text=raw)
            continue
        match = _FIELD.match(text)
        if not match:
            continue
        key = FIELDS.get(match.group("name").strip().lower())
        if key is None:
            continue
        if key == "name":
            if fields is not None:
                yield _rule_fact(fields, start, start_text)
            fields, start, start_text, profile = {}, number, raw, ""
        if fields is not None:
            fields[key] = match.group("value").strip()
    if fields is not None:
        yield _rule_fact(fields, start, start_text)


PARSERS = [
    Parser("netsh-advfirewall", recognise, parse,
           "netsh advfirewall rule listings and profile policies (English, German)"),
]
