"""Small helpers shared by the messaging parsers: host names from URLs, dates as epoch + ISO."""

from __future__ import annotations

from urllib.parse import urlsplit

from hakb.formats import epoch, parse_datetime


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
    more precision into it than the source had.

    >>> moment("14.03.2019 13:00:00")
    (1552568400, '2019-03-14T13:00:00')
    >>> moment("3/14/2019 1:00:00 PM")
    (1552568400, '2019-03-14T13:00:00')
    """
    parsed = parse_datetime(value)
    if parsed is None:
        return None, ""
    return epoch(parsed), parsed.replace(microsecond=0).isoformat()


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
