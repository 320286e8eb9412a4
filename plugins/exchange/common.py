"""Small helpers shared by the client, transport and Office parsers: host names from URLs, dates
as epoch + ISO, collections and enums in whatever shape PowerShell wrote them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import dataclasses
from typing import Iterable, Iterator, Sequence

from hakb.formats import epoch, parse_bool, parse_datetime
from hakb.model import ParseError, Parser
from hakb.reading import Record, read_records
from hakb.shapes import Shape, object_parser


def fqdn_of(url: str) -> str:
    """The host part of a URL (or a bare host name), lower case, without port or trailing dot.

    >>> fqdn_of("https://Mail.Example.com/owa")
    'mail.example.com'
    >>> fqdn_of("mail.example.com:443")
    'mail.example.com'
    """
    text = (url or "").strip()
    if not text:
        return ""
    if "//" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname or ""
    except ValueError:
        return ""
    return host.lower().rstrip(".")


def moment(value: str | None) -> tuple[int | None, str]:
    """(Unix seconds, ISO text) of a date in any locale Windows prints; (None, "") when unreadable.

    Times without a zone are taken as UTC: the ISO form is written without a zone so nobody reads
    more precision into it than the source had. A zone (Clixml ``+01:00``, JSON's UTC ``Z``) is
    converted to UTC first.

    >>> moment("14.03.2019 13:00:00")
    (1552568400, '2019-03-14T13:00:00')
    >>> moment("3/14/2019 1:00:00 PM")
    (1552568400, '2019-03-14T13:00:00')
    >>> moment("2019-03-14T14:00:00+01:00")
    (1552568400, '2019-03-14T13:00:00')
    """
    parsed = parse_datetime(value)
    if parsed is None:
        return None, ""
    return epoch(parsed), parsed.replace(microsecond=0).isoformat()


#: What Export-Csv (and a value too deep for ConvertTo-Json) writes for a collection or object:
#: its .NET type name, which names no item.
_TYPE_NAME = re.compile(r"^(?:Deserialized\.)?(?:System|Microsoft)\.[\w.]+(?:`\d+\[.*\])?$")


def is_type_name(value: str) -> bool:
    """True for a .NET type name standing where a value should be.

    >>> is_type_name("Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.SmtpDomainWithSubdomains]")
    True
    >>> is_type_name("mail.example.com")
    False
    """
    return bool(_TYPE_NAME.match(value.strip()))


def flags(value: str | None) -> list[str]:
    """Items of a flags value or collection: ``IMAP, POP, IIS`` or ``{a, b}``; "None" is no item.
    Items are split at commas only (``{smtp:*;100}`` is one address space).

    >>> flags("IMAP, POP, IIS, SMTP")
    ['IMAP', 'POP', 'IIS', 'SMTP']
    >>> flags("None")
    []
    >>> flags("{smtp:*;100}")
    ['smtp:*;100']
    """
    text = (value or "").strip().strip("{}").rstrip(".").rstrip("\u2026")
    items = [item.strip() for item in text.split(",") if item.strip()]
    return [item for item in items if item.lower() != "none"]


#: Member names a collection item written as an object (ConvertTo-Json of Exchange types) keeps
#: its text in, most telling first.
_ITEM_MEMBERS = ("Domain", "Address", "Name", "ToString", "Value")


def items_of(record: Record, name: str) -> list[str]:
    """The items of a collection property in any shape: ``{a, b}`` (fl, table), ``a,b`` (a CSV
    column joined by the exporter), a JSON array (of strings, or of objects whose Domain/Address/
    Name member holds the text), a Clixml list. "None" and type names are no items.

    >>> from hakb.reading import read_records
    >>> record = next(read_records(enumerate(['{"CertificateDomains": [{"Domain": "a.example.com"}]}'], 1)))
    >>> items_of(record, "CertificateDomains")
    ['a.example.com']
    """
    wrapped = record.value(f"{name}.value")  # PowerShell 5.1's {"value": [...], "Count": n}
    value = wrapped if wrapped is not None and wrapped.items is not None else record.value(name)
    if value is None:
        return []
    if value is wrapped:
        name = f"{name}.value"
    if value.items is not None:
        found = []
        for index, item in enumerate(value.items):
            text = item.strip()
            if text.startswith("{"):  # an object: take the member that holds its text
                member = next((record.get(f"{name}[{index}].{m}") for m in _ITEM_MEMBERS
                               if record.get(f"{name}[{index}].{m}")), "")
                text = member or ""
            if text and text.lower() != "none" and not is_type_name(text):
                found.append(text)
        return found
    if is_type_name(value.value):
        return []
    return flags(value.value)


def enum_text(value: str | None, names: dict[int, str]) -> str:
    """An enum as its name: a name stays as written; a number (ConvertTo-Json writes enums as
    numbers) becomes the name ``names`` gives it, or "" when it has none (a number nobody can
    read is no state a rule should judge).

    >>> enum_text("1", {0: "Unknown", 1: "Valid"}), enum_text("Valid", {}), enum_text("9", {0: "Unknown"})
    ('Valid', 'Valid', '')
    """
    text = (value or "").strip()
    if re.fullmatch(r"-?\d+", text):
        return names.get(int(text), "")
    return text


def flag_names(value: str | None, bits: dict[int, str]) -> list[str]:
    """The names in a flags enum: ``IMAP, POP`` as written, or a number (ConvertTo-Json) split
    into its ``bits``.

    >>> flag_names("27", {1: "IMAP", 2: "POP", 8: "IIS", 16: "SMTP"})
    ['IMAP', 'POP', 'IIS', 'SMTP']
    """
    text = (value or "").strip()
    if re.fullmatch(r"\d+", text):
        number = int(text)
        return [name for bit, name in sorted(bits.items()) if number & bit]
    return flags(text)


def boolean(value: str | None) -> bool | None:
    """``True``/``False`` in any spelling the shapes use (JSON ``true``, Clixml ``True``, a CSV
    ``"True"``, German ``Wahr``); None when not shown."""
    return parse_bool(value)


def first_of(record: Record, *names: str) -> str:
    """The text of the first of ``names`` the record has, "" when none (or only type names)."""
    for name in names:
        value = record.get(name)
        if value and not is_type_name(value):
            return value
    return ""


#: Members of a System.Uri (or Exchange's Hostname) that ConvertTo-Json writes as an object.
_URI_MEMBERS = ("AbsoluteUri", "OriginalString", "HostnameString")


def uri_of(record: Record, name: str) -> str:
    """A URL or host name property: its text, or the text member of the object ConvertTo-Json
    makes of a System.Uri (AbsoluteUri) or a Hostname (HostnameString)."""
    for member in _URI_MEMBERS:
        value = record.get(f"{name}.{member}")
        if value:
            return value
    value = first_of(record, name)
    return "" if value.startswith("{") else value


def server_of(record: Record) -> str:
    """The server an object belongs to: Server/ServerName, else the part of its Identity before
    the backslash (``CAS01\\owa (Default Web Site)``)."""
    server = first_of(record, "Server", "ServerName")
    if not server:
        identity = record.get("Identity") or ""
        server = identity.split("\\", 1)[0] if "\\" in identity else ""
    return server


def records_of(lines: Iterable[tuple[int, str]], command: str = "") -> Iterator[Record]:
    """The core's records of ``lines``; a reader's refusal (ValueError naming the line: a JSON
    document cut short, a CSV quote never closed) becomes the ParseError parsers raise."""
    try:
        yield from read_records(lines, command)
    except ValueError as exc:
        raise ParseError(str(exc)) from None


def objects_parser(name: str, shapes: Sequence[Shape], description: str) -> Parser:
    """:func:`hakb.shapes.object_parser` whose stand-alone ``parse`` (tests, a caller without the
    core) raises ParseError, not the readers' ValueError, for input it cannot read."""
    parser = object_parser(name, shapes, description)
    inner = parser.parse

    def parse(lines, artifact):
        try:
            yield from inner(lines, artifact)
        except ValueError as exc:
            raise ParseError(str(exc)) from None

    return dataclasses.replace(parser, parse=parse)
