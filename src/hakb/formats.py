"""Shared helpers for plugin authors: values as tools print them, in any locale.

* :func:`collection` - ``{a, b, c}`` collections as lists; :func:`is_truncated` for ``{a, b...}``;
* :func:`parse_datetime`, :func:`epoch` - dates in the locales seen in the field;
* :func:`parse_size_mb`, :func:`size_bytes`, :func:`human_size`, :func:`parse_decimal` - sizes and numbers (``2,047 MB``, ``1,5 GB``,
  ``420G``, ``1.5T``);
* :func:`parse_int`, :func:`parse_bool` - numbers and booleans (``1.234``, ``0x10``, ``Wahr``);
* :func:`is_prompt`, :func:`is_noise`, :func:`is_warning` - lines around output that carry none.

Objects themselves (``Format-List``, tables, CSV, JSON, ...) are read by :mod:`hakb.reading`;
``format_list``, ``format_table``, ``read_output`` and ``property_names`` are still importable
from here for plugins written against the first API.

Everything here is pure: no I/O, no global state.

>>> collection("{EX01, EX02}")
['EX01', 'EX02']
>>> parse_datetime("3/14/2019 1:00:00 PM")
datetime.datetime(2019, 3, 14, 13, 0)
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

__all__ = [
    "epoch", "collection", "parse_datetime", "parse_size_mb", "parse_int", "is_truncated", "parse_bool",
    "is_noise", "is_warning", "is_prompt", "size_bytes", "human_size", "parse_decimal",
]

#: Names that moved to :mod:`hakb.reading`, still served from here (see :func:`__getattr__`).
_MOVED = {"Record": "record", "Row": "record", "format_list": "text", "format_table": "text",
          "read_output": "text", "property_names": "text"}


def __getattr__(name: str):
    """Readers moved to :mod:`hakb.reading`; importing them from here keeps working."""
    if name not in _MOVED:
        raise AttributeError(f"module 'hakb.formats' has no attribute {name!r}")
    import importlib
    module = importlib.import_module(f"hakb.reading.{_MOVED[name]}")
    return getattr(module, "Record" if name == "Row" else name)

# --- noise ---------------------------------------------------------------------------------

_PROMPT = re.compile(
    r"^\s*(?:\[PS\]\s*)?(?:PS\s+)?(?:[A-Za-z]:\\|\\\\|[A-Za-z]+:\\)[^>\n]*>\s*\S"  # PS C:\> cmd, C:\>cmd
    r"|^\s*PS>\s*\S"
    r"|^\s*\[PS\]\s+\S+>")
_MORE = re.compile(r"^\s*-+\s*More\s*-+\s*$|^\s*<--\s*More\s*-->\s*$"
                   r"|^\s*\(\d+ (?:rows? affected|Zeilen? betroffen)\)\s*$", re.I)
_WARNING = re.compile(r"^\s*(?:WARNING|WARNUNG|AVERTISSEMENT|WAARSCHUWING)\s*:", re.I)
_VERBOSE = re.compile(r"^\s*(?:VERBOSE|AUSFÜHRLICH|DEBUG)\s*:", re.I)


def is_prompt(text: str) -> bool:
    """True for a pasted shell prompt with its command (``PS C:\\> Get-X | fl``, ``C:\\>cluster node``,
    ``[root@esx01:~] esxcfg-nics -l``, ``~ # df -h``)."""
    if _PROMPT.match(text):
        return True
    from hakb.sections import parse_prompt
    return parse_prompt(text) is not None


def is_warning(text: str) -> bool:
    """True for a PowerShell ``WARNING:`` line (also the German, French and Dutch spelling)."""
    return bool(_WARNING.match(text))


def is_noise(text: str) -> bool:
    """True for lines that never carry output: prompts, ``--More--``, ``VERBOSE:``/``DEBUG:``,
    sqlcmd's ``(1 rows affected)``."""
    return bool(_MORE.match(text) or _VERBOSE.match(text) or is_prompt(text))


# --- values ---------------------------------------------------------------------------------


def is_truncated(value: str | None) -> bool:
    """True when a printed collection was cut by ``$FormatEnumerationLimit`` (``{a, b...}``)."""
    text = (value or "").strip().rstrip("}").rstrip()
    return text.endswith(("...", "\u2026"))


def collection(value: str | None) -> list[str]:
    """The items of a PowerShell collection as printed: ``{a, b, c}`` -> ``['a', 'b', 'c']``.

    A truncated collection (``{a, b...}``, the default ``$FormatEnumerationLimit``) gives the items
    shown, the last one without the dots. A value without braces is a one-item list; empty -> [].

    >>> collection("{EX01, EX02...}")
    ['EX01', 'EX02']
    >>> collection("{}")
    []
    """
    text = (value or "").strip()
    if text.startswith("{"):
        text = text[1:]
        if text.endswith("}"):
            text = text[:-1]
    text = text.strip()
    if text.endswith("..."):
        text = text[:-3]
    elif text.endswith("\u2026"):
        text = text[:-1]
    return [item.strip() for item in text.split(",") if item.strip()]


_ISO = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T\s-]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?$")
_LOCAL = re.compile(
    r"^(?P<a>\d{1,2})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?:[\s,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?"
    r"\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?)?$")


def _fraction(text: str | None) -> int:
    return int((text or "0")[:6].ljust(6, "0"))


def parse_datetime(value: str | None) -> datetime | None:
    """A date/time as Windows tools print it in the server's locale, as a naive datetime.

    Accepted: ISO (``2019-03-14T13:00:00.123Z``, ``2019-03-14 13:00:00``, cluster.log's
    ``2019/03/14-13:00:00.123``; an explicit offset is converted to UTC), dotted day-first
    (``14.03.2019 13:00:00``), slashed or dashed with or without AM/PM (``3/14/2019 1:00:00 PM``,
    ``14/03/2019 13:00:00``, ``14-03-2019 13:00``). Which of two small numbers is the day:

    * a first field above 12 is the day; a second field above 12 is the day;
    * otherwise dotted and dashed forms are day first (D.M.Y, as in German and Dutch locales),
      slashed forms with AM/PM are month first (US M/D/Y), slashed 24-hour forms day first
      (D/M/Y, as in British and French locales).

    Returns None for anything else. Times without a zone are returned as written; callers treat
    them as UTC unless they know the server's zone.

    >>> parse_datetime("14.03.2019 13:00:00")
    datetime.datetime(2019, 3, 14, 13, 0)
    >>> parse_datetime("04/03/2019 13:00")
    datetime.datetime(2019, 3, 4, 13, 0)
    """
    text = " ".join((value or "").split())
    if not text:
        return None
    match = _ISO.match(text)
    try:
        if match:
            result = datetime(int(match["y"]), int(match["m"]), int(match["d"]), int(match["H"] or 0),
                              int(match["M"] or 0), int(match["S"] or 0), _fraction(match["f"]))
            tz = match["tz"]
            if tz and tz != "Z":
                sign = 1 if tz[0] == "+" else -1
                digits = tz[1:].replace(":", "")
                offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
                result = (result - sign * offset)
            return result
        match = _LOCAL.match(text)
        if not match:
            return None
        a, b = int(match["a"]), int(match["b"])
        year = int(match["y"])
        if year < 100:
            year += 2000 if year < 70 else 1900
        ampm = (match["ampm"] or "").replace(".", "").replace(" ", "").upper()
        if a > 12:
            day, month = a, b
        elif b > 12:
            month, day = a, b
        elif match["sep"] == "/" and ampm:
            month, day = a, b
        else:
            day, month = a, b
        hour = int(match["H"] or 0)
        if ampm == "PM" and hour < 12:
            hour += 12
        elif ampm == "AM" and hour == 12:
            hour = 0
        return datetime(year, month, day, hour, int(match["M"] or 0), int(match["S"] or 0),
                        _fraction(match["f"]))
    except ValueError:
        return None


def epoch(moment: datetime) -> int:
    """Unix seconds of a naive datetime taken as UTC (or an aware one)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


_GROUPED = re.compile(r"^\d{1,3}(?:[.,'\u00a0\u202f ]\d{3})+$")
_UNITS = {"b": 1 / 1024 / 1024, "bytes": 1 / 1024 / 1024, "kb": 1 / 1024, "mb": 1, "gb": 1024,
          "tb": 1024 * 1024}


def _number(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    if _GROUPED.match(text):
        return float(re.sub(r"\D", "", text))
    if re.fullmatch(r"\d+[.,]\d+", text):
        return float(text.replace(",", "."))
    if re.fullmatch(r"-?\d+", text):
        return float(text)
    return None


def parse_size_mb(value: str | None) -> int | None:
    """A size as MB, whatever the locale's thousands separator: ``2,047 MB``, ``2.047 MB``,
    ``2 047 MB``, ``16.384 MB``; other units (KB, GB, TB, bytes) are converted. A group of
    exactly three digits after one separator is read as thousands (systeminfo prints whole MB).

    >>> parse_size_mb("2.047 MB"), parse_size_mb("2,047 MB"), parse_size_mb("1,5 GB")
    (2047, 2047, 1536)
    """
    match = re.match(r"^\s*([\d.,'\u00a0\u202f ]*\d)\s*([A-Za-z]*)\s*$", value or "")
    if not match:
        return None
    number = _number(match.group(1))
    if number is None:
        return None
    factor = _UNITS.get((match.group(2) or "mb").lower())
    if factor is None:
        return None
    return int(round(number * factor))


def parse_int(value: str | None) -> int | None:
    """An integer as printed (``1,234``, ``1.234``, ``0x10``, ``42``); None when it is not one.

    >>> parse_int("1.234"), parse_int("0x10"), parse_int("n/a")
    (1234, 16, None)
    """
    text = (value or "").strip()
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", text):
        return int(text, 16)
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if _GROUPED.match(text):
        return int(re.sub(r"\D", "", text))
    return None


_TRUE = {"true", "yes", "1", "wahr", "ja", "vrai", "oui", "waar", "enabled", "on"}
_FALSE = {"false", "no", "0", "falsch", "nein", "faux", "non", "onwaar", "nee", "disabled", "off"}


def parse_bool(value: str | None) -> bool | None:
    """``True``/``False`` as printed (also Yes/No, German Wahr/Falsch, Ja/Nein); None otherwise."""
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


# --- sizes in bytes (ESXi: exact bytes, or busybox human units; PowerCLI: GB in any locale) ----

_BYTE_UNITS = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50}
_BYTE_SIZE = re.compile(r"^(?P<number>\d[\d.,'\u00a0\u202f]*)\s*(?P<unit>[BKMGTP]?)(?:i?B|bytes?)?$", re.I)
_DECIMAL = re.compile(r"^[+-]?\d[\d.,'\u00a0\u202f ]*$")


def parse_decimal(value: str | None) -> float | None:
    """A decimal number as any locale prints it; None when it is not one.

    With both ``.`` and ``,`` the last one is the decimal mark (``1,878.820``, ``1.878,820``); one
    mark used once is the decimal mark (``3,7``, ``878.820`` - PowerCLI prints GB with three
    decimals); one used several times, an apostrophe or a (narrow) no-break space groups thousands.

    >>> parse_decimal("3,69921875"), parse_decimal("1.878,820"), parse_decimal("1,878.820")
    (3.69921875, 1878.82, 1878.82)
    >>> parse_decimal("1.234.567"), parse_decimal("n/a")
    (1234567.0, None)
    """
    text = (value or "").strip()
    if not _DECIMAL.match(text):
        return None
    text = re.sub(r"['\u00a0\u202f ]", "", text)
    dots, commas = text.count("."), text.count(",")
    if dots and commas:
        mark = "." if text.rfind(".") > text.rfind(",") else ","
        text = text.replace("," if mark == "." else ".", "").replace(mark, ".")
    elif dots > 1 or commas > 1:
        text = text.replace(".", "").replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def size_bytes(text: str) -> int | None:
    """Bytes in ``text``: plain digits, or a number with a K/M/G/T unit (powers of 1024), the unit
    written ``G``, ``GB`` or ``GiB``, after a blank or not, the number in any locale
    (:func:`parse_decimal`).

    >>> size_bytes("3.7G")
    3972844749
    >>> size_bytes("42949672960"), size_bytes("1,5 GB"), size_bytes("1.5T") == 3 << 39
    (42949672960, 1610612736, True)
    >>> size_bytes("n/a") is None
    True
    """
    match = _BYTE_SIZE.match((text or "").strip())
    if not match:
        return None
    number = parse_decimal(match.group("number"))
    if number is None:
        return None
    return int(round(number * _BYTE_UNITS[match.group("unit").upper()]))


def human_size(size: int) -> str:
    """Bytes as a person reads them (powers of 1024, one decimal).

    >>> human_size(3972005888)
    '3.7 GB'
    """
    for unit, factor in (("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}"
    return f"{size} bytes"
