r"""regedit exports (``.reg``) as records: one per key, one value per registry value.

Both export versions are read: ``REGEDIT4`` (ANSI) and ``Windows Registry Editor Version 5.00``
(UTF-16LE on disk). Strings stored as hex (``hex(2)``, ``hex(7)``, ``hex(1)``) are UTF-16LE in
version 5 exports and the ANSI code page in REGEDIT4 ones, which is why the header matters; an
export without a header has the encoding guessed from the bytes.

Each key heading ``[HKEY_...]`` gives a record (shape ``reg``) whose ``type_name`` is the key path
as written between the brackets, so a deleted key ``[-HKEY_...]`` keeps regedit's leading ``-``
(:func:`key_path` splits it off). Each value is named by its value name (the default value ``@=``
as ``@``); its text is the decoded value (a DWORD or QWORD as a decimal number, a multi-string's
items joined by ``; `` with ``items`` set, raw bytes as hex); its ``meta`` holds what rebuilds the
value exactly: ``reg_type`` (``REG_SZ``, ``REG_DWORD`` ...), ``form`` (``string``, ``dword``,
``hex``, ``hex(7)`` ...), ``literal`` (normalised .reg text after ``=``), ``deleted``, ``version``
(``5``, ``4`` or ``""``), and when they apply ``number``, ``data`` (hex digits) and ``decoded``
(text found inside ``REG_BINARY``/``REG_NONE`` bytes, as MAPI profiles store strings).
:func:`value_slots` gives all of that as one dict; :func:`render_literal` turns it back into .reg
syntax.

A synthetic export:

>>> key = next(read(enumerate([
...     'Windows Registry Editor Version 5.00', '',
...     r'[HKEY_CURRENT_USER\Software\Microsoft\Transporter\Preferences]',
...     '"ImapFetchBatchSize"=dword:000001f4',
...     '"Servers"=hex(7):65,00,78,00,30,00,31,00,00,00,00,00'], start=1)))
>>> key.type_name
'HKEY_CURRENT_USER\\Software\\Microsoft\\Transporter\\Preferences'
>>> key.get("ImapFetchBatchSize"), key.line("ImapFetchBatchSize"), key.values("Servers")
('500', 4, ['ex01'])
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator, Mapping

from hakb.reading.record import Line, Record, Value, clean_text

SHAPE = "reg"
V5_HEADER = "Windows Registry Editor Version 5.00"
V4_HEADER = "REGEDIT4"
#: Lines a string value holding line breaks may span before the export is taken as broken.
MAX_STRING_LINES = 1000

HIVES = {
    "HKEY_LOCAL_MACHINE": "HKLM", "HKEY_CURRENT_USER": "HKCU", "HKEY_USERS": "HKU",
    "HKEY_CLASSES_ROOT": "HKCR", "HKEY_CURRENT_CONFIG": "HKCC",
    "HKLM": "HKLM", "HKCU": "HKCU", "HKU": "HKU", "HKCR": "HKCR", "HKCC": "HKCC",
}

TYPE_NAMES = {
    0x0: "REG_NONE", 0x1: "REG_SZ", 0x2: "REG_EXPAND_SZ", 0x3: "REG_BINARY", 0x4: "REG_DWORD",
    0x5: "REG_DWORD_BIG_ENDIAN", 0x6: "REG_LINK", 0x7: "REG_MULTI_SZ", 0x8: "REG_RESOURCE_LIST",
    0x9: "REG_FULL_RESOURCE_DESCRIPTOR", 0xA: "REG_RESOURCE_REQUIREMENTS_LIST", 0xB: "REG_QWORD",
}
_TEXT_TYPES = {0x1, 0x2, 0x6}          # NUL-terminated strings in the file's string encoding
_HEX_FORM = re.compile(r"^hex(?:\((?P<code>[0-9a-fA-F]{1,8})\))?:(?P<bytes>.*)$", re.S)
_DWORD = re.compile(r"^dword:(?P<digits>[0-9a-fA-F]{1,8})$")
_PROMPT = re.compile(r"^\s*(?:PS\s+)?[A-Za-z]:\\[^>]*>")
_VALUE_LINE = re.compile(r'^\s*(?:"(?:[^"\\]|\\.)*"|@)\s*=')
_KEY_LINE = re.compile(r"^\s*\[-?(?:HKEY_[A-Z_]+|HK(?:LM|CU|U|CR|CC))(?:\\[^\]]*)?\]\s*$", re.I)


def _encoding(version: str) -> str:
    return "cp1252" if version == "4" else "utf-16-le"


def _looks_utf16(data: bytes) -> bool:
    return len(data) >= 2 and len(data) % 2 == 0 and data[1::2].count(0) >= len(data) // 4


def split_key(key: str) -> tuple[str, str, str]:
    r"""(hive abbreviation, user, subkey) of a key path.

    >>> split_key(r"HKEY_USERS\S-1-5-21-1\Software\Microsoft")
    ('HKU', 'S-1-5-21-1', 'Software\\Microsoft')
    >>> split_key(r"HKEY_CURRENT_USER\Software\Microsoft\Transporter")
    ('HKCU', '', 'Software\\Microsoft\\Transporter')
    """
    root, _, rest = key.partition("\\")
    hive = HIVES.get(root.upper(), root.upper())
    user = ""
    if hive == "HKU":
        user, _, rest = rest.partition("\\")
    return hive, user, rest


def key_path(record: Record) -> tuple[str, bool]:
    r"""(key path, deleted) of a key record: a ``[-HKEY_...]`` heading is a deleted key.

    >>> key_path(Record(shape=SHAPE, type_name=r"-HKEY_CURRENT_USER\Software\Old"))
    ('HKEY_CURRENT_USER\\Software\\Old', True)
    """
    name = record.type_name
    return (name[1:], True) if name.startswith("-") else (name, False)


def reg_values(record: Record) -> list[Value]:
    """The record's values with their ``meta``, in file order."""
    return [value for value in map(record.value, record.names()) if value is not None]


def value_slots(value: Value) -> dict:
    """Everything known of one registry value as one dict: ``name`` (``""`` for the default
    value), ``value``, ``items`` (multi-strings) and the ``meta`` entries."""
    slots: dict = {"name": "" if value.name == "@" else value.name, "value": value.value}
    if value.items is not None:
        slots["items"] = list(value.items)
    slots.update(value.meta or {})
    return slots


def _read_quoted(text: str, start: int) -> tuple[str, int] | None:
    """The unescaped string starting at the quote ``text[start]`` and the index after its end."""
    out = []
    i = start + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    return None


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _printable_text(data: bytes) -> str:
    """A NUL-terminated printable text stored as bytes (ANSI or UTF-16LE), else ""."""
    if len(data) < 2 or not data.endswith(b"\x00"):
        return ""
    candidates = []
    if _looks_utf16(data) and data.endswith(b"\x00\x00"):
        candidates.append(data.decode("utf-16-le", errors="replace"))
    candidates.append(data.decode("cp1252", errors="replace"))
    for text in candidates:
        body = text.rstrip("\x00")
        if body and "\x00" not in body and all(ch.isprintable() for ch in body) and "\ufffd" not in body:
            return body
    return ""


def encode_text(text: str, encoding: str) -> bytes:
    return (text + "\x00").encode(encoding, errors="replace")


def encode_multi(items: Iterable[str], encoding: str) -> bytes:
    return "".join(f"{item}\x00" for item in items).encode(encoding, errors="replace") + \
        "\x00".encode(encoding)


def _decode_hex(code: int, data: bytes, encoding: str) -> dict:
    """Typed slots for a hex(N) value."""
    slots: dict = {"data": data.hex()}
    if code in _TEXT_TYPES:
        text = data.decode(encoding, errors="replace")
        slots["value"] = text[:-1] if text.endswith("\x00") else text
    elif code == 0x7:
        text = data.decode(encoding, errors="replace")
        items = text.split("\x00")
        while items and items[-1] == "":
            items.pop()
        slots["items"] = items
        slots["value"] = "; ".join(items)
    elif code in (0x4, 0x5) and len(data) == 4:
        slots["number"] = int.from_bytes(data, "little" if code == 0x4 else "big")
        slots["value"] = str(slots["number"])
    elif code == 0xB and len(data) == 8:
        slots["number"] = int.from_bytes(data, "little")
        slots["value"] = str(slots["number"])
    else:
        slots["value"] = data.hex()
        if code in (0x0, 0x3):
            slots["decoded"] = _printable_text(data)
    return slots


def _typed_bytes(form: str, slots: Mapping, encoding: str) -> bytes | None:
    """The bytes a hex form's decoded slots stand for, or None when they carry no typed value."""
    code = int(form[4:-1], 16) if form.startswith("hex(") else 0x3
    if code in _TEXT_TYPES and slots.get("value") is not None:
        return encode_text(str(slots["value"]), encoding)
    if code == 0x7 and slots.get("items") is not None:
        return encode_multi(slots["items"], encoding)
    if code in (0x4, 0x5) and isinstance(slots.get("number"), int):
        return int(slots["number"]).to_bytes(4, "little" if code == 0x4 else "big")
    if code == 0xB and isinstance(slots.get("number"), int):
        return int(slots["number"]).to_bytes(8, "little")
    return None


def render_literal(slots: Mapping, version: str = "5", prefer_data: bool = True) -> str:
    """A value's .reg literal (what follows ``=``) rebuilt from its decoded slots.

    Strings and DWORDs come from ``value``/``number``; hex forms from the typed slots (text,
    items, number) and, for raw bytes or data the typed slots cannot reproduce exactly (a
    multi-string without its final terminator), from ``data`` unless ``prefer_data`` is False.

    >>> render_literal({"form": "dword", "number": 500})
    'dword:000001f4'
    >>> render_literal({"form": "hex(7)", "items": ["a"]}, version="4")
    'hex(7):61,00,00'
    """
    if slots.get("deleted"):
        return "-"
    form = slots.get("form") or "string"
    if form == "string":
        return f'"{_escape(str(slots.get("value") or ""))}"'
    if form == "dword":
        return f"dword:{int(slots['number']):08x}"
    encoding = _encoding(version)
    typed = _typed_bytes(form, slots, encoding)
    data = bytes.fromhex(slots["data"]) if slots.get("data") is not None else None
    if typed is None or (prefer_data and data is not None and typed != data):
        raw = data if data is not None else b""
    else:
        raw = typed
    return f"{form}:" + ",".join(f"{b:02x}" for b in raw)


def normalise_literal(literal: str) -> str:
    """A literal as compared in round trips: hex digits lower case, blanks and line joins dropped.

    >>> normalise_literal('hex:01,02,\\\\\\n  0A')
    'hex:01,02,0a'
    """
    literal = literal.strip()
    if literal.startswith('"'):
        return literal
    return re.sub(r"\s+", "", literal.replace("\\\n", "")).lower()


def parse_value_line(text: str, version: str) -> tuple[str, dict] | None:
    """(name, slots) of one logical value line (continuations joined), None if it is not one.

    Raises :class:`ValueError` for a string value not closed or hex data that is not hex.
    """
    stripped = text.strip()
    if stripped.startswith("@"):
        name, rest = "", stripped[1:].lstrip()
    elif stripped.startswith('"'):
        quoted = _read_quoted(stripped, 0)
        if quoted is None:
            return None
        name, end = quoted
        rest = stripped[end:].lstrip()
    else:
        return None
    if not rest.startswith("="):
        return None
    literal = rest[1:].strip()
    slots: dict = {"name": name}
    if literal == "-":
        slots.update(deleted=True, literal="-", form="", reg_type="", value="")
        return name, slots
    if literal.startswith('"'):
        quoted = _read_quoted(literal, 0)
        if quoted is None or literal[quoted[1]:].strip():
            raise ValueError(f"string value {name!r} is not closed: {literal[:60]}")
        slots.update(reg_type="REG_SZ", value=quoted[0], form="string", literal=literal)
        return name, slots
    match = _DWORD.match(literal.lower())
    if match:
        number = int(match.group("digits"), 16)
        slots.update(reg_type="REG_DWORD", value=str(number), number=number, form="dword",
                     literal=literal.lower())
        return name, slots
    match = _HEX_FORM.match(literal)
    if match:
        digits = re.sub(r"\s+", "", match.group("bytes"))
        pieces = [p for p in digits.split(",") if p]
        try:
            data = bytes(int(p, 16) for p in pieces)
        except ValueError:
            raise ValueError(f"value {name!r}: not hex bytes: {literal[:60]}") from None
        code = int(match.group("code"), 16) if match.group("code") else 0x3
        form = f"hex({match.group('code').lower()})" if match.group("code") else "hex"
        if version not in ("4", "5"):  # no header: guess the string encoding from the bytes
            version = "5" if _looks_utf16(data) or not data else "4"
        slots.update(reg_type=TYPE_NAMES.get(code, f"hex({code:x})"), form=form,
                     literal=f"{form}:{digits.lower()}")
        slots.update(_decode_hex(code, data, _encoding(version)))
        return name, slots
    slots.update(reg_type="unknown", value=literal, form="", literal=literal)
    return name, slots


def _string_closed(logical: str) -> bool:
    """False only for a value line whose quoted string data has not ended yet."""
    text = logical.strip()
    if text.startswith('"'):
        quoted = _read_quoted(text, 0)
        if quoted is None:
            return True  # the name itself is broken: let parse_value_line decide
        text = text[quoted[1]:].lstrip()
    elif text.startswith("@"):
        text = text[1:].lstrip()
    else:
        return True
    if not text.startswith("="):
        return True
    literal = text[1:].strip()
    return not literal.startswith('"') or _read_quoted(literal, 0) is not None


def looks_like(head_lines: list[str]) -> bool:
    r"""True for an export header (after a pasted prompt), or a key heading with values near it.

    >>> looks_like(['C:\\>reg export HKCU\\Software\\Example x.reg', 'REGEDIT4'])
    True
    >>> looks_like(['[HKEY_CURRENT_USER\\Software\\Example]', '"A"="b"']), looks_like(['[root@esx01:~]'])
    (True, False)
    """
    lines = [clean_text(line).strip() for line in head_lines]
    lines = [line for line in lines if line]
    for line in lines[:20]:
        if _PROMPT.match(line):
            continue
        if line in (V5_HEADER, V4_HEADER):
            return True
        break
    return any(_KEY_LINE.match(line) for line in lines) and any(_VALUE_LINE.match(line) for line in lines)


def _value_meta(slots: dict, version: str) -> dict:
    meta = {"reg_type": slots.get("reg_type", ""), "form": slots.get("form", ""),
            "literal": slots.get("literal", ""), "deleted": bool(slots.get("deleted")),
            "version": version}
    for name in ("number", "data", "decoded"):
        if name in slots:
            meta[name] = slots[name]
    return meta


def read(lines: Iterable[Line]) -> Iterator[Record]:
    """One record per key heading, holding that key's values (one key in memory at a time).

    Raises :class:`ValueError` naming the line for a value before any key heading, a string
    value never closed, or hex data that is not hex.

    >>> [(r.type_name, r.names()) for r in read(enumerate(['REGEDIT4', '',
    ...     r'[-HKEY_CURRENT_USER\\Software\\Old]', r'[HKEY_CURRENT_USER\\Software\\New]', '@="x"'], 1))]
    [('-HKEY_CURRENT_USER\\\\Software\\\\Old', []), ('HKEY_CURRENT_USER\\\\Software\\\\New', ['@'])]
    """
    version = ""
    record: Record | None = None
    pending: tuple[int, str, str] | None = None  # (line, first text, joined text) of a hex value continued
    in_string: tuple[int, str, str, int] | None = None  # a string value spanning lines
    seen_content = False

    def add_value(number: int, first: str, logical: str) -> None:
        try:
            parsed = parse_value_line(logical, version)
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
        if parsed is None:
            return
        name, slots = parsed
        if record is None:
            raise ValueError(f"line {number}: value {name!r} before any [key] heading")
        record.set(name or "@", str(slots.get("value", "")), number, first,
                   items=slots.get("items"), meta=_value_meta(slots, version))

    for number, raw in lines:
        raw = clean_text(raw)
        text = raw.rstrip()
        if in_string is not None:
            start, first, joined, count = in_string
            joined = joined + "\n" + raw
            if _string_closed(joined):
                in_string = None
                add_value(start, first, joined)
            elif count >= MAX_STRING_LINES:
                raise ValueError(f"line {start}: string value is not closed within {MAX_STRING_LINES} lines")
            else:
                in_string = (start, first, joined, count + 1)
            continue
        if pending is not None:
            start, first, joined = pending
            if text.endswith("\\"):
                pending = (start, first, joined + text[:-1].strip())
                continue
            pending = None
            add_value(start, first, joined + text.strip())
            continue
        stripped = text.strip()
        if not stripped or stripped.startswith(";"):
            continue
        if not version and not seen_content:
            if stripped in (V5_HEADER, V4_HEADER):
                version = "5" if stripped == V5_HEADER else "4"
                continue
            if _PROMPT.match(stripped) or not stripped.startswith(("[", '"', "@")):
                continue  # a pasted prompt or command line before the export
        seen_content = True
        if stripped.startswith("[") and stripped.endswith("]"):
            if record is not None:
                yield record
            record = Record(shape=SHAPE, type_name=stripped[1:-1])
            record.first_line = number
            continue
        if stripped in (V5_HEADER, V4_HEADER):
            version = "5" if stripped == V5_HEADER else "4"  # a second export appended
            continue
        if stripped.endswith("\\") and not stripped.endswith('"'):
            pending = (number, text, stripped[:-1].strip())
            continue
        if not _string_closed(stripped):
            in_string = (number, text, stripped, 1)  # a REG_SZ holding line breaks
            continue
        add_value(number, text, stripped)
    if pending is not None:
        start, first, joined = pending
        add_value(start, first, joined)
    if in_string is not None:
        raise ValueError(f"line {in_string[0]}: string value is not closed")
    if record is not None:
        yield record
