"""Removing secrets from what hakb keeps and shows: evidence text, fact values, messages.

Bundles carry secrets: registry exports with auto-logon passwords, config files with database
passwords, captured HTTP headers with bearer tokens and cookies, private keys next to
certificates. hakb redacts them once, centrally, as facts leave a parser (see
:mod:`hakb.parsing`), so no parser has to care and nothing secret reaches the case database,
a report or the terminal. What is redacted:

* PEM private key blocks (``-----BEGIN ... PRIVATE KEY-----`` to ``-----END ...-----``): their
  body lines never even reach a parser (:class:`PemFilter`);
* values of names that say secret: ``*password``, ``*passwd``, ``*passphrase``, ``*pwd``,
  ``*pass``, ``*secret``, ``*token``, ``*credential(s)``, ``api/access/secret/private/account/
  shared/client ... key`` - in ``name=value``, ``name: value``, ``"name"="value"`` (regedit:
  string and hex data; dwords stay, they are settings), ``<name>value</name>``, ``--name value``,
  and connection strings (``...;Password=x;``);
* ``Authorization``, ``Proxy-Authorization``, ``Cookie``, ``Set-Cookie``, ``X-Api-Key`` and
  ``X-Auth-Token`` header values; the password in ``scheme://user:password@host``;
* the text of ``ConvertTo-SecureString "..." -AsPlainText``.

A value is replaced by :data:`MARK`; an empty value stays empty (an empty password is worth
knowing and gives nothing away). Names like ``MaxTokenSize`` or ``PasswordLastSet`` are settings
about secrets, not secrets, and stay: the secret word must end the name.

>>> redact_text('"DefaultPassword"="Winter2024!"')
'"DefaultPassword"="[REDACTED]"'
>>> redact_text("Server=db01;User ID=app;Password=s3cr3t;Encrypt=true")
'Server=db01;User ID=app;Password=[REDACTED];Encrypt=true'
>>> redact_text('"MaxTokenSize"=dword:0000ffff')
'"MaxTokenSize"=dword:0000ffff'
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator, Mapping

MARK = "[REDACTED]"

#: A name ending in one of these (case-insensitively) names a secret.
_SECRET_ENDINGS = ("password", "passwd", "passphrase", "passwort", "kennwort", "secret", "token",
                   "credential", "credentials", "apikey", "api_key", "api-key", "accesskey",
                   "access_key", "secretkey", "secret_key", "privatekey", "private_key",
                   "accountkey", "sharedaccesskey", "sharedkey", "clientsecret", "sasl_password")
#: Short endings that count only as a whole last word of the name (``ProxyPass``, ``db_pwd``).
_SECRET_WORDS = ("pass", "pwd", "pw", "pin", "psk")
#: Environment variables whose names look secret but are not.
_NOT_SECRETS = {"pwd", "oldpwd"}
#: Header names whose whole value is a credential.
_SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "cookies", "set-cookie",
                   "x-api-key", "x-auth-token", "www-authenticate-credentials"}
_KEY_QUALIFIERS = ("api", "access", "secret", "private", "account", "shared", "client", "auth",
                   "encryption", "master", "storage", "signing", "subscription")

_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")


def is_secret_name(name: str) -> bool:
    """True when ``name`` (a key, value or field name) names a secret.

    >>> [is_secret_name(n) for n in ("DefaultPassword", "db_pwd", "ClientSecret", "AccountKey")]
    [True, True, True, True]
    >>> [is_secret_name(n) for n in ("MaxTokenSize", "PasswordLastSet", "Bypass", "PWD", "key")]
    [False, False, False, False, False]
    """
    bare = name.strip().strip("\"'<>/-$").strip()
    if not bare or len(bare) > 80:
        return False
    lower = bare.lower()
    if lower in _NOT_SECRETS and bare.isupper():
        return False
    if lower in _SECRET_HEADERS:
        return True
    if lower.endswith(_SECRET_ENDINGS):
        return True
    words = [w.lower() for w in _WORD_SPLIT.split(bare) if w]
    if not words:
        return False
    if words[-1] in _SECRET_WORDS:
        return True
    return words[-1] == "key" and len(words) > 1 and words[-2] in _KEY_QUALIFIERS


# -- patterns ---------------------------------------------------------------------------------

_PEM = re.compile(r"(-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----)(.*?)(-----END \2-----|\Z)", re.S)
_HEADER = re.compile(
    r"""(?ix)(?P<name>\b(?:proxy-)?authorization|\bset-cookie|\bcookie|\bx-api-key|\bx-auth-token)
        (?P<sep>["']?\s*[:=]\s*)(?P<value>"[^"]*"|'[^']*'|[^\r\n]*)""")
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.-]{0,30}://[^/\s:@]{1,256}:)([^/\s@]{1,256})(@)")
_SECURE_STRING = re.compile(r"(?i)(ConvertTo-SecureString\s+(?:-String\s+)?)(\"[^\"]*\"|'[^']*')")
_XML = re.compile(r"<(?P<tag>[A-Za-z_][\w.-]{0,60})(?P<attrs>(?:\s[^<>]*)?)>(?P<value>[^<]*)</(?P=tag)>")
#: ``name = value`` at the start of a line (ini, yaml, properties, Format-List): the rest of the line.
_LINE_PAIR = re.compile(
    r"""^(?P<lead>\s*(?:-\s+)?["']?)(?P<name>[A-Za-z_@$][\w.@$ -]{0,60}?)(?P<sep>["']?\s*[:=]\s*)
        (?P<value>.*)$""", re.X)
#: ``name=value`` anywhere (log lines, connection strings, query strings, attributes).
_INLINE_PAIR = re.compile(
    r"""(?P<name>[A-Za-z_$][\w.$-]{0,60})(?P<sep>["']?\s*[:=]\s*)
        (?P<value>"[^"]*"|'[^']*'|[^\s;,&"'<>|]+)""", re.X)
_FLAG = re.compile(r"(?P<name>(?<![\w-])--?[A-Za-z][\w-]{0,60})(?P<sep>\s+)(?P<value>\"[^\"]*\"|'[^']*'|[^\s-]\S*)")
_NEXT_PAIR = re.compile(r"(?=[;&]\s*[A-Za-z_][\w .-]{0,40}=)")
_REGEDIT = re.compile(r'^(?P<lead>\s*)"(?P<name>(?:[^"\\]|\\.)*)"=(?P<value>.*)$')


def _mask(value: str) -> str:
    """MARK in place of ``value``, keeping its quotes; an empty value stays empty."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[0] + (MARK if len(value) > 2 else "") + value[0]
    return MARK if value.strip() else value


def _pem(match: re.Match) -> str:
    end = match.group(4) or ""
    if not end and not match.group(3).strip():
        return match.group(0)  # a BEGIN line alone carries no key material
    return f"{match.group(1)}{MARK}{end}"


def _line_pairs(line: str) -> str:
    regedit = _REGEDIT.match(line)
    if regedit:
        value = regedit.group("value")
        if is_secret_name(regedit.group("name")) and not value.lower().startswith(("dword:", "qword:", "-")):
            return f'{regedit.group("lead")}"{regedit.group("name")}"={_mask(value) if value.startswith(chr(34)) else MARK}'
        return line
    pair = _LINE_PAIR.match(line)
    if pair and is_secret_name(pair.group("name")):
        value = _NEXT_PAIR.split(pair.group("value").rstrip(), 1)[0]
        if value.strip():
            trail = pair.group("value")[len(value):]
            return pair.group("lead") + pair.group("name") + pair.group("sep") + _mask(value) + trail
    return line


def _inline(match: re.Match) -> str:
    if not is_secret_name(match.group("name")):
        return match.group(0)
    value = match.group("value")
    if value == MARK or value.strip("\"'") == MARK:
        return match.group(0)
    return match.group("name") + match.group("sep") + _mask(value)


def _xml(match: re.Match) -> str:
    if not is_secret_name(match.group("tag")) or not match.group("value").strip():
        return match.group(0)
    tag = match.group("tag")
    return f"<{tag}{match.group('attrs')}>{MARK}</{tag}>"


def _flag(match: re.Match) -> str:
    if not is_secret_name(match.group("name")) or match.group("value") == MARK:
        return match.group(0)
    return match.group("name") + match.group("sep") + _mask(match.group("value"))


def redact_text(text: str) -> str:
    """``text`` with every secret this module knows replaced by :data:`MARK`."""
    if not text:
        return text
    text = _PEM.sub(_pem, text)
    lines = text.split("\n")
    out = []
    for line in lines:
        if len(line) > 100_000:  # keep the regular expressions linear on pathological input
            line = line[:100_000]
        line = _line_pairs(line)
        line = _HEADER.sub(lambda m: m.group("name") + m.group("sep") + _mask(m.group("value"))
                           if m.group("value").strip() not in ("", MARK) else m.group(0), line)
        line = _URL_PASSWORD.sub(lambda m: m.group(1) + MARK + m.group(3), line)
        line = _SECURE_STRING.sub(lambda m: m.group(1) + _mask(m.group(2)), line)
        if "<" in line:
            line = _XML.sub(_xml, line)
        if "=" in line or ":" in line:
            line = _INLINE_PAIR.sub(_inline, line)
        if "-" in line:
            line = _FLAG.sub(_flag, line)
        out.append(line)
    return "\n".join(out)


#: Slots that carry "the value" of a named setting (regedit values, config entries).
VALUE_SLOTS = frozenset({"value", "data", "decoded", "literal", "items", "raw", "content", "setting",
                         "val", "secret"})


def redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(v) for v in value)
    return value


def redact_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """Slot values with secrets removed.

    Besides the text patterns: a slot whose *name* names a secret (``password``) loses its
    value, and when a fact names a secret in one slot (``name: "DefaultPassword"``), its
    value-carrying slots (:data:`VALUE_SLOTS`) lose theirs. Numbers and booleans stay.
    """
    names_secret = any(isinstance(v, str) and is_secret_name(v) and " " not in v.strip()
                       for k, v in slots.items() if k not in VALUE_SLOTS)
    out: dict[str, Any] = {}
    for name, value in slots.items():
        if isinstance(value, bool) or isinstance(value, (int, float)) or value is None:
            out[name] = value
        elif is_secret_name(name) or (names_secret and name in VALUE_SLOTS):
            out[name] = _blank(value)
        else:
            out[name] = redact_value(value)
    return out


def _blank(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return type(value)(_blank(v) for v in value)
    if isinstance(value, str):
        return MARK if value.strip() else value
    return value


class PemFilter:
    """Passes ``(number, line)`` pairs through, replacing the body of PEM private key blocks.

    The BEGIN and END lines stay (a parser may report that a key is there); everything between
    them becomes :data:`MARK`, so no parser, fact or report ever holds key material.
    """

    def __init__(self, lines: Iterable[tuple[int, str]]) -> None:
        self.lines = lines
        self.inside: str | None = None

    def __iter__(self) -> Iterator[tuple[int, str]]:
        for number, line in self.lines:
            if self.inside is None:
                if "-----BEGIN" in line and "PRIVATE KEY-----" in line:
                    match = _PEM.search(line)
                    if match and not match.group(4):
                        self.inside = match.group(2)  # the body follows on the next lines
                        yield number, line[:match.end(1)]
                    else:
                        yield number, _PEM.sub(_pem, line)
                    continue
                yield number, line
            elif f"-----END {self.inside}-----" in line:
                self.inside = None
                yield number, line[line.index("-----END"):]
            else:
                yield number, MARK
