r"""XML objects: PowerShell ``Export-Clixml`` and ``esxcli --formatter=xml``, as records.

Both are read by one streaming tree builder on :mod:`xml.parsers.expat` that refuses any
``DOCTYPE`` or entity declaration (so an entity bomb cannot expand) and notes the line of every
element; only one top-level object is held in memory at a time (at most :data:`MAX_OBJECT`
characters).

* **Clixml** (``<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">``):
  one record (shape ``clixml``) per top-level ``<Obj>``; ``type_name`` is its first ``<T>``
  (``<TNRef>`` resolved); ``<Props>`` and ``<MS>`` members become values. ``<B>`` gives
  ``True``/``False``, ``<C>`` the character, ``<Nil>`` ``""``, ``<S>`` the string with its
  ``_x000A_`` escapes decoded; other primitives (``<I32>``, ``<DT>``, ``<G>``, ``<Db>`` ...) their
  text as written. A nested ``<Obj N=..>`` has its ``<ToString>`` as value (enums too), its members
  flattened as ``Parent.Child``, a ``<LST>``/``<IE>``/``<STK>``/``<QUE>`` as ``items`` (objects in
  it flattened as ``Parent[0].Child``), a ``<DCT>``'s entries as ``Parent.Key``; ``<Ref RefId>``
  gives the referenced object's text.
* **esxcli** (``<output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli"><root>``): one
  record (shape ``esxcli-xml``) per ``<structure>`` of the root list (or the root's single
  structure), ``type_name`` its ``typeName``; ``<list>`` fields give ``items`` (value: the items
  joined by ``, ``, as esxcli prints them), nested structures are flattened.

A synthetic ``Get-Service ClusSvc | Export-Clixml`` (abridged):

>>> records = list(read(enumerate('''<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">
...   <Obj RefId="0">
...     <TN RefId="0"><T>System.ServiceProcess.ServiceController</T><T>System.Object</T></TN>
...     <ToString>System.ServiceProcess.ServiceController</ToString>
...     <Props>
...       <S N="Name">ClusSvc</S>
...       <Obj N="Status" RefId="1"><TN RefId="1"><T>System.ServiceProcess.ServiceControllerStatus</T></TN>
...         <ToString>Running</ToString><I32>4</I32></Obj>
...     </Props>
...   </Obj>
... </Objs>'''.splitlines(), start=1)))
>>> records[0].type_name, records[0].get("Status"), records[0].line("Status")
('System.ServiceProcess.ServiceController', 'Running', 7)
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator
from xml.parsers import expat

from hakb.reading.record import Line, Record, clean_text

CLIXML_SHAPE = "clixml"
ESXCLI_SHAPE = "esxcli-xml"
#: Characters of one top-level object held in memory before the reader gives up.
MAX_OBJECT = 16 * 1024 * 1024
#: Element nesting taken as hostile.
MAX_DEPTH = 100
#: Lines kept for evidence while no object is open (a tag may span a few lines).
_WINDOW = 1000

_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_COLLECTIONS = {"LST", "IE", "STK", "QUE"}
_STRINGS = {"S", "URI", "XD", "SBK"}


def looks_like(head_lines: list[str]) -> bool:
    """True when the first lines open a Clixml ``<Objs>`` or an esxcli ``<output>`` document.

    >>> looks_like(['<?xml version="1.0" encoding="utf-8"?>',
    ...             '<output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli">'])
    True
    >>> looks_like(['<html><body>'])
    False
    """
    lines = [clean_text(line).strip() for line in head_lines]
    lines = [line for line in lines if line][:5]
    if not lines or not lines[0].startswith("<"):
        return False
    return any(re.search(r"<(?:\w+:)?(?:Objs|output)[\s>]", line) for line in lines)


class Element:
    """One XML element as the streaming readers build it (Clixml, esxcli XML, event exports):
    its tag, attributes, first line, children and text."""

    __slots__ = ("tag", "attrs", "line", "children", "parts")

    def __init__(self, tag: str, attrs: dict[str, str], line: Line):
        self.tag, self.attrs, self.line = tag, attrs, line
        self.children: list[Element] = []
        self.parts: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def child(self, tag: str) -> Element | None:
        return next((c for c in self.children if c.tag == tag), None)


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def hardened_parser(builder, namespace_separator: str | None = None, *, refuse_doctype, refuse_entity):
    """An expat parser feeding ``builder``'s ``_start``, ``_end`` and ``_data``, that never reads
    external entities and calls the ``refuse_*`` handlers (which raise) on any DOCTYPE or entity
    declaration: bundle XML may be written to expand without bound."""
    parser = expat.ParserCreate(namespace_separator=namespace_separator)
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.StartElementHandler = builder._start
    parser.EndElementHandler = builder._end
    parser.CharacterDataHandler = builder._data
    return parser


class _Builder:
    """Builds one top-level object at a time from fed lines; finished ones wait in ``ready``."""

    def __init__(self, first_number: int):
        self.parser = hardened_parser(self, refuse_doctype=self._refuse_doctype,
                                      refuse_entity=self._refuse_entity)
        self.stack: list[Element] = []
        self.ready: list[Element] = []
        self.root = ""
        self.done = False
        self.lines: dict[int, Line] = {}
        self.fed = 0
        self.pruned = 1  # the lowest line index still in ``lines``
        self.first_number = first_number
        self.open_record: int | None = None  # stack index of the object being built
        self.object_size = 0

    # -- expat handlers ---------------------------------------------------------------------

    def _refuse_doctype(self, *_args) -> None:
        raise ValueError(f"line {self._line()[0]}: XML DOCTYPE refused (entities could expand without bound)")

    def _refuse_entity(self, *_args) -> None:
        raise ValueError(f"line {self._line()[0]}: XML entity declaration refused")

    def _line(self) -> Line:
        index = self.parser.CurrentLineNumber
        return self.lines.get(index) or self.lines.get(self.fed) or (self.first_number, "")

    def _is_record(self, tag: str) -> bool:
        depth = len(self.stack)
        if self.root == "Objs":
            return depth == 1 and tag == "Obj"
        if self.root == "output" and tag == "structure":
            path = [e.tag for e in self.stack]
            return path == ["output", "root"] or path == ["output", "root", "list"]
        return False

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        element = Element(tag, attrs, self._line())
        if not self.stack:
            if tag not in ("Objs", "output"):
                raise ValueError(f"line {element.line[0]}: XML root <{tag}> is neither a Clixml "
                                 "<Objs> nor an esxcli <output> document")
            self.root = tag
        elif len(self.stack) >= MAX_DEPTH:
            raise ValueError(f"line {element.line[0]}: XML nested deeper than {MAX_DEPTH} elements")
        if self.open_record is None and self._is_record(tag):
            self.open_record = len(self.stack)
            self.object_size = 0
        self.stack.append(element)

    def _end(self, _name: str) -> None:
        element = self.stack.pop()
        depth = len(self.stack)
        if self.open_record is not None and depth == self.open_record:
            self.ready.append(element)
            self.open_record = None
        elif self.open_record is not None and depth > self.open_record:
            self.stack[-1].children.append(element)
        # anything else outside an object (the <Objs> root, a top-level <S>, esxcli's scalar
        # answers) names nothing and is dropped
        if not self.stack:
            self.done = True

    def _data(self, data: str) -> None:
        if self.open_record is not None and len(self.stack) > self.open_record:
            self.stack[-1].parts.append(data)

    # -- feeding ------------------------------------------------------------------------------

    def feed(self, number: int, text: str) -> None:
        self.fed += 1
        self.lines[self.fed] = (number, text)
        if self.open_record is None:
            while self.pruned < self.fed - _WINDOW:
                self.lines.pop(self.pruned, None)
                self.pruned += 1
        else:
            self.object_size += len(text) + 1
            if self.object_size > MAX_OBJECT:
                raise ValueError(f"line {number}: XML object larger than {MAX_OBJECT // (1024 * 1024)} MiB")
        self._parse(text + "\n", False)

    def close(self) -> None:
        self._parse("", True)

    def _parse(self, data: str, final: bool) -> None:
        try:
            self.parser.Parse(data, final)
        except expat.ExpatError as exc:
            number = self.lines.get(exc.lineno, (self.first_number, ""))[0]
            raise ValueError(f"line {number}: not well-formed XML: {expat.ErrorString(exc.code)}") from None


# --- Clixml ----------------------------------------------------------------------------------


class _Clixml:
    """What later objects may refer back to: type names and object texts by RefId."""

    def __init__(self) -> None:
        self.types: dict[str, list[str]] = {}
        self.objects: dict[str, str] = {}

    def _register_types(self, obj: Element) -> None:
        """Note every ``<TN RefId>`` in the object, in document order, for later ``<TNRef>``."""
        pending = [obj]
        while pending:
            element = pending.pop()
            if element.tag == "TN" and "RefId" in element.attrs:
                self.types[element.attrs["RefId"]] = [_unescape(t.text) for t in element.children
                                                      if t.tag == "T"]
            pending.extend(reversed(element.children))

    def type_names(self, obj: Element) -> list[str]:
        tn = obj.child("TN")
        if tn is not None:
            names = [_unescape(t.text) for t in tn.children if t.tag == "T"]
            if "RefId" in tn.attrs:
                self.types[tn.attrs["RefId"]] = names
            return names
        ref = obj.child("TNRef")
        if ref is not None:
            return self.types.get(ref.attrs.get("RefId", ""), [])
        return []

    def record(self, obj: Element) -> Record:
        self._register_types(obj)
        names = self.type_names(obj)
        record = Record(shape=CLIXML_SHAPE, type_name=names[0] if names else "")
        self._members(record, "", obj, 0)
        dct = obj.child("DCT")
        if dct is not None:
            self._dictionary(record, "", dct, 0)
        self._remember(obj, record)
        if not record.first_line:
            record.first_line = obj.line[0]
        return record

    def _remember(self, obj: Element, record: Record | None = None, text: str | None = None) -> None:
        if "RefId" in obj.attrs:
            if text is None:
                text = self.readable(obj)
                if not text and record is not None:
                    text = record.get("Name") or ""
            self.objects[obj.attrs["RefId"]] = text

    def readable(self, obj: Element) -> str:
        """An object's text: its ToString, else its primitive's, else its collection's."""
        to_string = obj.child("ToString")
        if to_string is not None:
            return _unescape(to_string.text)
        for child in obj.children:
            if child.tag in ("TN", "TNRef", "ToString", "Props", "MS", "DCT") or child.tag in _COLLECTIONS:
                continue
            return self.scalar(child)
        for child in obj.children:
            if child.tag in _COLLECTIONS:
                return "{" + ", ".join(self.item_text(i) for i in child.children) + "}"
        return ""

    def item_text(self, element: Element) -> str:
        if element.tag == "Obj":
            text = self.readable(element)
            if not text:
                props = element.child("Props") or element.child("MS")
                name = next((c for c in (props.children if props else []) if c.attrs.get("N") == "Name"), None)
                text = self.scalar(name) if name is not None else ""
            return text
        return self.scalar(element)

    def scalar(self, element: Element) -> str:
        tag = element.tag
        if tag == "Nil":
            return ""
        if tag == "B":
            return {"true": "True", "false": "False"}.get(element.text.strip().lower(), element.text.strip())
        if tag == "C":
            code = element.text.strip()
            return chr(int(code)) if code.isdigit() and int(code) < 0x110000 else code
        if tag == "Ref":
            return self.objects.get(element.attrs.get("RefId", ""), "")
        if tag == "Obj":
            return self.readable(element)
        if tag in _STRINGS:
            return _unescape(element.text)
        return element.text.strip()

    def _members(self, record: Record, prefix: str, obj: Element, depth: int) -> None:
        for group in ("Props", "MS"):
            for member in (c for c in obj.children if c.tag == group):
                for child in member.children:
                    name = _unescape(child.attrs.get("N", ""))
                    if name:
                        self._value(record, prefix + name, child, depth)

    def _value(self, record: Record, name: str, element: Element, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise ValueError(f"line {element.line[0]}: Clixml objects nested deeper than {MAX_DEPTH}")
        number, text = element.line
        if element.tag != "Obj":
            record.set(name, self.scalar(element), number, text)
            return
        self.type_names(element)  # registers a TN later objects may refer to
        collection = next((c for c in element.children if c.tag in _COLLECTIONS), None)
        items = [self.item_text(i) for i in collection.children] if collection is not None else None
        value = self.item_text(element)
        record.set(name, value, number, text, items=items)
        self._members(record, name + ".", element, depth + 1)
        if collection is not None:
            for index, item in enumerate(collection.children):
                if item.tag == "Obj":
                    self.type_names(item)
                    self._members(record, f"{name}[{index}].", item, depth + 1)
                    self._remember(item, text=self.item_text(item))
        dct = element.child("DCT")
        if dct is not None:
            self._dictionary(record, name + ".", dct, depth + 1)
        self._remember(element, text=value)

    def _dictionary(self, record: Record, prefix: str, dct: Element, depth: int) -> None:
        for entry in (c for c in dct.children if c.tag == "En"):
            parts = {c.attrs.get("N"): c for c in entry.children}
            key, value = parts.get("Key"), parts.get("Value")
            if key is None:
                continue
            name = prefix + self.scalar(key)
            if value is None:
                record.set(name, "", *entry.line)
            else:
                self._value(record, name, value, depth)


def _unescape(text: str) -> str:
    """Clixml's ``_xHHHH_`` escapes (control characters, ``_x005F_`` for ``_``) decoded; CRLF as LF."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text).replace("\r\n", "\n")


# --- esxcli ----------------------------------------------------------------------------------


def _esxcli_scalar(element: Element) -> str:
    return element.text.strip()


def _esxcli_readable(structure: Element) -> str:
    for field in (c for c in structure.children if c.tag == "field"):
        if field.attrs.get("name", "").lower() == "name" and field.children:
            if field.children[0].tag not in ("list", "structure"):
                return _esxcli_scalar(field.children[0])
    return structure.attrs.get("typeName", "")


def _esxcli_fields(record: Record, prefix: str, structure: Element, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"line {structure.line[0]}: esxcli structures nested deeper than {MAX_DEPTH}")
    for field in (c for c in structure.children if c.tag == "field"):
        name = prefix + field.attrs.get("name", "")
        number, text = field.line
        content = field.children[0] if field.children else None
        if content is None:
            record.set(name, "", number, text)
        elif content.tag == "structure":
            record.set(name, _esxcli_readable(content), number, text)
            _esxcli_fields(record, name + ".", content, depth + 1)
        elif content.tag == "list":
            items = [_esxcli_readable(i) if i.tag == "structure" else _esxcli_scalar(i)
                     for i in content.children]
            record.set(name, ", ".join(items), number, text, items=items)
            for index, item in enumerate(content.children):
                if item.tag == "structure":
                    _esxcli_fields(record, f"{name}[{index}].", item, depth + 1)
        else:
            record.set(name, _esxcli_scalar(content), number, text)


def _esxcli_record(structure: Element) -> Record:
    record = Record(shape=ESXCLI_SHAPE, type_name=structure.attrs.get("typeName", ""))
    _esxcli_fields(record, "", structure, 0)
    if not record.first_line:
        record.first_line = structure.line[0]
    return record


# --- reading ---------------------------------------------------------------------------------


def read(lines: Iterable[Line]) -> Iterator[Record]:
    """One record per top-level Clixml ``<Obj>`` or per esxcli root ``<structure>``.

    Several documents may follow each other. Raises :class:`ValueError` naming the line for XML
    that is not well formed, a ``DOCTYPE`` or entity declaration, another root element, or an
    object nested or sized beyond the limits.

    >>> [r.get("Name") for r in read(enumerate([
    ...     '<output xmlns="http://www.vmware.com/Products/ESX/5.0/esxcli"><root><list type="structure">',
    ...     '<structure typeName="PhysicalNic"><field name="Name"><string>vmnic0</string></field></structure>',
    ...     '</list></root></output>'], start=1))]
    ['vmnic0']
    """
    builder: _Builder | None = None
    clixml = _Clixml()
    for number, raw in lines:
        text = clean_text(raw)
        if builder is None or builder.done:
            if not text.strip():
                continue
            if builder is not None:
                builder.close()
            text = text.lstrip()
            if not text.startswith("<"):
                raise ValueError(f"line {number}: not XML: {text[:60]}")
            builder = _Builder(number)
        builder.feed(number, text)
        yield from _convert(builder, clixml)
    if builder is not None:
        if not builder.done:
            builder.close()  # raises for a document cut short
        yield from _convert(builder, clixml)


def _convert(builder: _Builder, clixml: _Clixml) -> Iterator[Record]:
    while builder.ready:
        element = builder.ready.pop(0)
        if builder.root == "Objs":
            yield clixml.record(element)
        else:
            yield _esxcli_record(element)
