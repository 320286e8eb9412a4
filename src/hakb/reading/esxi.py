r"""ESXi's structured text: ``esxcli --formatter=keyvalue`` and vim-cmd / VMODL data-object dumps.

**keyvalue** (shape ``keyvalue``): every line is ``Structure.Field.type=value``
(``PhysicalNic.Name.string=vmnic0``, ``VirtualSwitch.Uplinks.string[]=vmnic0,vmnic1``), list
outputs possibly prefixed ``structure[N].``, list items possibly one per line (``string[0]=``). The
leading structure name becomes ``type_name``, the type suffix is dropped, nested fields keep
their dots (``Structure.Outer.Inner.string`` -> ``Outer.Inner``), list values give ``items``
(split on ``,``). A new record starts when a field repeats or the structure name changes.

**VMODL** (shape ``vmodl``): what ``vim-cmd`` prints for data objects::

    (vim.vm.Summary) {
       runtime = (vim.vm.RuntimeInfo) {
          host = 'vim.HostSystem:ha-host',
          powerState = "poweredOn",
       },
    }

One record per top-level object (or per object of a top-level array), ``type_name`` its VMODL
type; nested objects are flattened (``runtime.powerState``; the parent's own value is its
``name`` member, else its type), arrays of scalars give ``items`` (value: the items joined by
``, ``), arrays of objects flattened ``device[0].key``. Strings lose their quotes, managed-object
references (``'vim.HostSystem:ha-host'``) keep their text, numbers and ``true``/``false`` stay as
printed, ``<unset>`` and ``(type) null`` are ``""``. Lines before the first object (vim-cmd's
``Listsummary:``) are skipped.

A synthetic ``vim-cmd vmsvc/get.summary 1`` (abridged):

>>> record = next(read_vmodl(enumerate([
...     '(vim.vm.Summary) {', '   runtime = (vim.vm.RuntimeInfo) {',
...     "      host = 'vim.HostSystem:ha-host',", '      powerState = "poweredOn",', '   },',
...     '   config = (vim.vm.Summary.ConfigSummary) {', '      name = "app01",', '   },', '}'], start=1)))
>>> record.type_name, record.get("runtime.powerState"), record.line("config.name")
('vim.vm.Summary', 'poweredOn', 7)
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from hakb.reading.record import Line, Record, clean_text, key

KEYVALUE_SHAPE = "keyvalue"
VMODL_SHAPE = "vmodl"
#: Nesting of VMODL objects taken as hostile.
MAX_DEPTH = 100
#: Lines one quoted VMODL string may span.
MAX_STRING_LINES = 1000

_TYPES = r"(?:string|integer|long|boolean|bool|int|float|double|structure|uuid)"
_KEYVALUE = re.compile(rf"^(?:structure\[(?P<index>\d+)\]\.)?(?P<path>[A-Za-z_]\w*(?:\.[\w -]+?)*)"
                       rf"\.(?P<type>{_TYPES})(?P<list>\[(?P<item>\d*)\])?=(?P<value>.*)$", re.I)
_VMODL_OPEN = re.compile(r"^\s*\([A-Za-z_][\w.]*\)\s*[{\[]\s*$")


# --- esxcli --formatter=keyvalue -------------------------------------------------------------


def looks_like_keyvalue(head_lines: list[str]) -> bool:
    """True when the first line is an ``X.Field.type=value`` line.

    >>> looks_like_keyvalue(['PhysicalNic.Name.string=vmnic0']), looks_like_keyvalue(['Name: vmnic0'])
    (True, False)
    """
    lines = [clean_text(line).strip() for line in head_lines]
    lines = [line for line in lines if line]
    return bool(lines) and _KEYVALUE.match(lines[0]) is not None


def read_keyvalue(lines: Iterable[Line]) -> Iterator[Record]:
    """One record per structure; values keep their own lines.

    A new record starts at a new ``structure[N].`` index, a new structure name, or a field seen
    already in the current record. List items come as one ``type[]=a,b`` line or as indexed
    ``type[0]=a``, ``type[1]=b`` lines; both give ``items``. Raises :class:`ValueError` for a
    line that is not ``key.type=value`` (naming the line).

    >>> rows = list(read_keyvalue(enumerate(['PhysicalNic.Name.string=vmnic0',
    ...     'PhysicalNic.MTU.integer=1500', 'PhysicalNic.Name.string=vmnic1'], start=1)))
    >>> [(r.type_name, r.get("Name"), r.line("Name")) for r in rows]
    [('PhysicalNic', 'vmnic0', 1), ('PhysicalNic', 'vmnic1', 3)]
    """
    record: Record | None = None
    index: str | None = None
    lists: dict[str, list[str]] = {}  # indexed list values being gathered in this record
    for number, raw in lines:
        text = clean_text(raw)
        stripped = text.strip()
        if not stripped:
            continue
        match = _KEYVALUE.match(stripped)
        if not match:
            raise ValueError(f"line {number}: not an esxcli key-value line: {stripped[:80]}")
        structure, _, name = match["path"].partition(".")
        if not name:  # a bare ``Field.type=value`` answer: no structure name
            structure, name = "", structure
        item = match["item"]
        gathering = bool(item) and item != "0" and key(name) in lists
        if record is not None and not gathering and (
                record.type_name != structure or key(name) in record.keys()
                or (match["index"] is not None and match["index"] != index)):
            yield record
            record = None
        if record is None:
            record = Record(shape=KEYVALUE_SHAPE, type_name=structure)
            index = match["index"]
            lists = {}
        value = match["value"]
        if item:  # one item of an indexed list
            items = lists.setdefault(key(name), [])
            items.append(value)
            first = record.line(name) if name in record else number
            first_text = record.text(name) if name in record else text
            record.set(name, ", ".join(items), first, first_text, items=list(items))
        elif match["list"]:
            items = [part for part in value.split(",") if part] if value else []
            record.set(name, ", ".join(items), number, text, items=items)
        else:
            record.set(name, value, number, text)
    if record is not None:
        yield record


# --- vim-cmd / VMODL data objects ------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | \((?P<type>[A-Za-z_][\w.\[\]]*)\)
  | (?P<dquote>"(?:[^"\\]|\\.)*")
  | (?P<squote>'(?:[^'\\]|\\.)*')
  | (?P<unset><unset>)
  | (?P<punct>[{}\[\],=])
  | (?P<word>[^\s{}\[\],=()"']+)
  | (?P<open>")
""", re.X)
_ESCAPES = re.compile(r"\\(.)")


class _Token:
    __slots__ = ("kind", "text", "line")

    def __init__(self, kind: str, text: str, line: Line):
        self.kind, self.text, self.line = kind, text, line


def _tokens(lines: Iterable[Line]) -> Iterator[_Token]:
    pending: tuple[Line, str, int] | None = None  # a string still open: its line, text so far
    for number, raw in lines:
        text = clean_text(raw)
        if pending is not None:
            start, joined, count = pending
            joined += "\n" + text
            match = re.match(r'"(?:[^"\\]|\\.)*"', joined, re.S)
            if match is None:
                if count >= MAX_STRING_LINES:
                    raise ValueError(f"line {start[0]}: string not closed within {MAX_STRING_LINES} lines")
                pending = (start, joined, count + 1)
                continue
            pending = None
            yield _Token("dquote", match.group(0), start)
            text = joined[match.end():]
            line = start
        else:
            line = (number, text)
        position = 0
        while position < len(text):
            match = _TOKEN.match(text, position)
            if match is None:  # a lone quote or parenthesis: a word of its own
                yield _Token("word", text[position], line)
                position += 1
                continue
            kind = match.lastgroup
            if kind == "open":
                pending = (line, text[position:], 1)
                break
            if kind != "space":
                yield _Token(kind, match.group(0) if kind != "type" else match["type"], line)
            position = match.end()
    if pending is not None:
        raise ValueError(f"line {pending[0][0]}: string not closed")


def looks_like_vmodl(head_lines: list[str]) -> bool:
    """True when one of the first lines opens a VMODL object or array (``(vim.vm.Summary) {``).

    >>> looks_like_vmodl(['Listsummary:', '(vim.vm.Summary) {']), looks_like_vmodl(['{'])
    (True, False)
    """
    lines = [clean_text(line) for line in head_lines]
    lines = [line for line in lines if line.strip()][:3]
    return any(_VMODL_OPEN.match(line) for line in lines)


class _Parser:
    """Recursive descent over VMODL tokens, one top-level value at a time."""

    def __init__(self, tokens: Iterator[_Token]):
        self.tokens = tokens
        self.ahead: list[_Token] = []  # pushed back, the next one last

    def peek(self) -> _Token | None:
        if not self.ahead:
            token = next(self.tokens, None)
            if token is None:
                return None
            self.ahead.append(token)
        return self.ahead[-1]

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise ValueError("VMODL output ends inside an object")
        return self.ahead.pop()

    def push(self, token: _Token) -> None:
        self.ahead.append(token)

    def expect(self, text: str) -> _Token:
        token = self.take()
        if token.kind != "punct" or token.text != text:
            raise ValueError(f"line {token.line[0]}: expected {text!r} in VMODL output, found {token.text[:40]!r}")
        return token

    # A value is ("object", type, members, line) | ("array", type, elements, line) | ("scalar", text, line)

    def value(self, depth: int) -> tuple:
        if depth > MAX_DEPTH:
            raise ValueError(f"VMODL objects nested deeper than {MAX_DEPTH}")
        token = self.take()
        type_name = ""
        if token.kind == "type":
            type_name = token.text
            following = self.peek()
            if following is not None and following.kind == "punct" and following.text in "{[":
                token = self.take()
            elif following is not None and following.kind in ("word", "dquote", "squote", "unset"):
                token = self.take()  # ``(vim.Foo) null`` or a typed scalar
            else:
                return ("scalar", "", token.line)
        if token.kind == "punct" and token.text == "{":
            return ("object", type_name, self.members(depth), token.line)
        if token.kind == "punct" and token.text == "[":
            return ("array", type_name, self.elements(depth), token.line)
        if token.kind == "punct":
            raise ValueError(f"line {token.line[0]}: unexpected {token.text!r} in VMODL output")
        return ("scalar", _scalar(token), token.line)

    def members(self, depth: int) -> list[tuple[str, Line, tuple]]:
        members = []
        while True:
            token = self.peek()
            if token is None:
                raise ValueError("VMODL output ends inside an object")
            if token.kind == "punct" and token.text == "}":
                self.take()
                return members
            if token.kind == "punct" and token.text == ",":
                self.take()
                continue
            name = self.take()
            if name.kind != "word":
                raise ValueError(f"line {name.line[0]}: expected a property name in VMODL output, "
                                 f"found {name.text[:40]!r}")
            self.expect("=")
            members.append((name.text, name.line, self.value(depth + 1)))

    def elements(self, depth: int) -> list[tuple]:
        elements = []
        while True:
            token = self.peek()
            if token is None:
                raise ValueError("VMODL output ends inside an array")
            if token.kind == "punct" and token.text == "]":
                self.take()
                return elements
            if token.kind == "punct" and token.text == ",":
                self.take()
                continue
            elements.append(self.value(depth + 1))


def _scalar(token: _Token) -> str:
    if token.kind == "dquote":
        return _ESCAPES.sub(r"\1", token.text[1:-1])
    if token.kind == "squote":
        return _ESCAPES.sub(r"\1", token.text[1:-1])
    if token.kind == "unset" or token.text == "null":
        return ""
    return token.text


def _readable(value: tuple) -> str:
    if value[0] == "scalar":
        return value[1]
    if value[0] == "object":
        for name, _, member in value[2]:
            if name == "name" and member[0] == "scalar":
                return member[1]
        return value[1]
    return ", ".join(_readable(v) for v in value[2])


def _flatten(record: Record, prefix: str, members: list) -> None:
    for name, (number, text), value in members:
        full = prefix + name
        if value[0] == "scalar":
            record.set(full, value[1], number, text)
        elif value[0] == "object":
            record.set(full, _readable(value), number, text)
            _flatten(record, full + ".", value[2])
        else:
            items = [_readable(v) for v in value[2]]
            record.set(full, ", ".join(items), number, text, items=items)
            for index, element in enumerate(value[2]):
                if element[0] == "object":
                    _flatten(record, f"{full}[{index}].", element[2])


def _object_record(value: tuple) -> Record:
    record = Record(shape=VMODL_SHAPE, type_name=value[1])
    _flatten(record, "", value[2])
    if not record.first_line:
        record.first_line = value[3][0]
    return record


def read_vmodl(lines: Iterable[Line]) -> Iterator[Record]:
    """One record per top-level VMODL object (or per object of a top-level array).

    Raises :class:`ValueError` for output cut short, unbalanced braces, or a string never closed.

    >>> [r.get("name") for r in read_vmodl(enumerate(['(vim.Datastore.Summary) [',
    ...     '   (vim.Datastore.Summary) {', '      name = "ds01",', '   },',
    ...     '   (vim.Datastore.Summary) {', '      name = "ds02",', '   }', ']'], start=1))]
    ['ds01', 'ds02']
    """
    parser = _Parser(_tokens(lines))
    while (token := parser.peek()) is not None:
        if token.kind != "type":
            parser.take()  # text before the object (``Listsummary:``) or between objects
            continue
        parser.take()
        opening = parser.peek()
        if opening is None or opening.kind != "punct" or opening.text not in "{[":
            continue
        parser.push(token)  # let value() read the type and what it opens
        try:
            value = parser.value(0)
        except RecursionError:
            raise ValueError(f"line {token.line[0]}: VMODL objects nested too deeply") from None
        if value[0] == "object":
            yield _object_record(value)
        else:
            for element in value[2]:
                if element[0] == "object":
                    yield _object_record(element)
