"""Facts files: JSON lines of facts, as `hakb parse` and `hakb show CASE --facts` print them.

One object per line::

    {"type": "host-nic", "host": "esx03", "artifact": "esx03/nics.txt", "line": 2,
     "slots": {"name": "vmnic0", "mac": "00:50:56:0a:03:01"}, "text": "vmnic0 ..."}

This lets a collector script hand hakb structured facts directly, and lets a case's facts be
diagnosed again (with newer knowledge) without the original bundle. The fact keeps its original
host, and its evidence text is the original line; the evidence location is the line of the
facts file, whose record names the original file and line.
"""

from __future__ import annotations

import json

from hakb import Fact, ParseError, Parser, hookimpl


def _record(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, dict) and isinstance(value.get("type"), str) and isinstance(value.get("slots"), dict):
        return value
    return None


def recognise(head) -> int:
    first = next((line for line in head.lines if line.strip()), "")
    return 100 if first.lstrip().startswith("{") and _record(first) else 0


def parse(lines, artifact):
    for number, text in lines:
        if not text.strip():
            continue
        record = _record(text)
        if record is None:
            raise ParseError(f"line {number} is not a fact record (JSON with \"type\" and \"slots\")")
        host = record.get("host")
        yield Fact(record["type"], record["slots"], line=number,
                   text=str(record.get("text") or text), host=host if isinstance(host, str) else None)


@hookimpl
def hakb_parsers():
    return [Parser("jsonfacts", recognise=recognise, parse=parse,
                   description="facts as JSON lines (hakb parse / hakb show --facts output)")]
