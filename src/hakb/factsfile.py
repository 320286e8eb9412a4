"""Facts files: JSON lines of facts, as `hakb parse` and `hakb show CASE --facts` print them.

One object per line::

    {"type": "host-nic", "host": "esx03", "artifact": "esx03/nics.txt", "line": 2,
     "slots": {"name": "vmnic0", "mac": "00:50:56:0a:03:01"}, "text": "vmnic0 ..."}

This lets a collector script hand hakb structured facts directly, and lets a case's facts be
diagnosed again (with newer knowledge) without the original bundle. The fact keeps its original
host, and its evidence text is the original line; the evidence location is the line of the
facts file, whose record names the original file and line.

Lines that are not fact records (a pasted prompt, pager noise) are skipped, as every parser
skips noise. Unlike other parsers, the input names its own fact types, so this one is built with the
schemas in play and refuses a record that does not fit them: a facts file that says something hakb
cannot take is an error, not half a case. That includes values the engine cannot hold (integers
beyond 64 bits, text with lone surrogates): the error names the line, and the rest of the case
goes on.
"""

from __future__ import annotations

import json
from functools import partial

from hakb.engine import slot_values
from hakb.model import Fact, ParseError, Parser


def _record(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if isinstance(value, dict) and isinstance(value.get("type"), str) and isinstance(value.get("slots"), dict):
        return value
    return None


def _check_unicode(record: dict, number: int) -> None:
    """Refuse a record holding text that is not valid Unicode: JSON can spell a lone surrogate
    (``"\\ud800"``), which no database, terminal or engine can take."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ParseError(f"line {number}: the record holds text that is not valid Unicode "
                         f"(a lone surrogate, {exc.object[exc.start]!a})") from None


def recognise(head) -> int:
    first = next((line for line in head.lines if line.strip()), "")
    return 100 if first.lstrip().startswith("{") and _record(first) else 0


def parse(schemas, lines, artifact):
    for number, text in lines:
        if not text.strip():
            continue
        record = _record(text)
        if record is None:
            continue  # noise around the records
        schema = schemas.get(record["type"])
        if schema is None:
            raise ParseError(f"line {number}: fact type {record['type']!r} is not declared by any "
                             "loaded plugin (`hakb schemas` lists them)")
        _check_unicode(record, number)
        host = record.get("host")
        fact = Fact(record["type"], record["slots"], line=number,
                    text=str(record.get("text") or text), host=host if isinstance(host, str) else None)
        try:
            slot_values(schema, fact, 0)
        except (ValueError, TypeError) as exc:
            raise ParseError(f"line {number}: {exc}") from exc
        yield fact


def facts_file_parser(schemas) -> Parser:
    """The core's parser for facts files, checking records against ``schemas`` (every type in play)."""
    return Parser("jsonfacts", recognise=recognise, parse=partial(parse, schemas),
                   description="facts as JSON lines (hakb parse / hakb show --facts output)")
