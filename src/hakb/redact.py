"""Removing secrets from what hakb keeps and shows: evidence text, fact values, messages.

Bundles carry secrets: registry exports with auto-logon passwords, config files with database
passwords, captured HTTP headers with bearer tokens and cookies, private keys next to
certificates, command lines with passwords typed into them. hakb redacts them once, centrally,
as facts leave a parser (see :mod:`hakb.parsing`), so no parser has to care and nothing secret
reaches the case database, a report or the terminal. What is redacted:

* private key blocks: PEM (``-----BEGIN ... PRIVATE KEY-----``), PGP (``-----BEGIN PGP PRIVATE
  KEY BLOCK-----``) and the private lines of PuTTY ``.ppk`` files: their body lines never even
  reach a parser (:class:`PemFilter`);
* values of names that say secret: ``*password``, ``*passwd``, ``*passphrase``, ``*pwd``,
  ``*pass``, ``*secret``, ``*token``, ``*credential(s)``, ``api/access/secret/private/account/
  shared/client ... key`` - in ``name=value``, ``name: value``, ``"name"="value"`` (regedit:
  string and hex data; dwords stay, they are settings), ``<name>value</name>``,
  ``<add key="name" value="..."/>``, ``--name value``, and connection strings
  (``...;Password=x y;``), also quoted inside an attribute, a JSON string or a registry value;
* ``Authorization``, ``Proxy-Authorization``, ``Cookie``, ``Set-Cookie``, ``X-Api-Key`` and
  ``X-Auth-Token`` header values; the password in ``scheme://user:password@host`` (even with
  ``/`` or ``@`` in it); Azure shared access signatures (``SharedAccessSignature=...``,
  ``&sig=...``); bare JSON web tokens (``eyJ...``);
* the string given to ``ConvertTo-SecureString`` (``-String``, positional or piped);
* passwords typed on command lines: ``net use \\\\srv\\share PASSWORD``, ``net user NAME
  PASSWORD``, ``mysql -pPASSWORD`` (and its sibling tools), ``sshpass -p``, ``psexec -p``,
  ``sqlcmd -P``, ``ipmitool -P``, ``curl -u user:password``, ``smbclient -U user%password``.

A value is replaced by :data:`MARK`; an empty value stays empty (an empty password is worth
knowing and gives nothing away). Names like ``MaxTokenSize`` or ``PasswordLastSet`` are settings
about secrets, not secrets, and stay: the secret word must end the name.

Every pattern is linear in the length of the line (no pattern can be made to backtrack over
what it already read; ``benchmarks/redaction.py`` measures it against ``str.lower``).

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
                   "accountkey", "sharedaccesskey", "sharedkey", "clientsecret", "sasl_password",
                   "sharedaccesssignature")
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
#: Every secret name holds one of these: a quick test that clears most names without the rules.
_SECRET_HINTS = "pass|pw|pin|psk|secret|token|credential|key|auth|cookie|wort|signature"
_MAYBE_SECRET = re.compile(f"(?i:{_SECRET_HINTS})")


def is_secret_name(name: str) -> bool:
    """True when ``name`` (a key, value or field name) names a secret.

    >>> [is_secret_name(n) for n in ("DefaultPassword", "db_pwd", "ClientSecret", "AccountKey")]
    [True, True, True, True]
    >>> [is_secret_name(n) for n in ("MaxTokenSize", "PasswordLastSet", "Bypass", "PWD", "key")]
    [False, False, False, False, False]
    """
    if len(name) > 100 or not _MAYBE_SECRET.search(name):
        return False
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
# Each one is written so the engine never re-reads what it has read: possessive quantifiers
# (``*+``), starts anchored by a look-behind to the beginning of a token, bounded look-aheads.

#: PEM and PGP private key blocks, body and all (an unterminated block runs to the end).
_PEM = re.compile(r"(-----BEGIN ((?:[A-Z0-9]+ ){0,3}(?:PRIVATE|SECRET) KEY(?: BLOCK)?)-----)"
                  r"(.*?)(-----END \2-----|\Z)", re.S)
_PUTTY_HEADER = "PuTTY-User-Key-File-"
#: Lines that open or close key material: a reader passing only some lines to a parser must
#: pass these too, so :class:`PemFilter` knows where keys begin and end.
KEY_MARKERS = ("PRIVATE KEY-----", "PRIVATE KEY BLOCK-----", "SECRET KEY BLOCK-----", _PUTTY_HEADER,
               "Private-Lines:", "Private-MAC:", "Private-Hash:")
_PUTTY_PRIVATE = re.compile(r"^\s*Private-Lines:\s*(\d{1,6})\s*$")
_PUTTY_MAC = re.compile(r"^(\s*Private-(?:MAC|Hash):\s*)\S.*$")
#: Lines a PuTTY key may declare private (a 16384-bit RSA key needs about 60).
_PUTTY_MAX_LINES = 4096
_HEADER = re.compile(
    r"""(?ix)(?P<name>\b(?:proxy-)?authorization|\bset-cookie|\bcookie|\bx-api-key|\bx-auth-token)
        (?P<sep>["']?\s*+[:=]\s*+)(?P<value>"[^"]*"|'[^']*'|[^\r\n]*+)""")
#: ``scheme://user:password@host``: the password runs to the first ``@`` followed by a host
#: (so it may hold ``/`` and ``@``); ``host:8443/path`` is a port, not a password.
_URL_PASSWORD = re.compile(
    r"""(?i)(?<![a-z0-9+.-])([a-z][a-z0-9+.-]{0,30}+://[^/\s:@"'<>]{1,256}+:)
        (?!\d{1,5}(?:[/?\#"'<>\s]|$))
        ((?:(?!://)[^\s"'<>]){1,256}?)
        @(?=(?:[a-z0-9.-]{1,253}+|\[[0-9a-f:.]{2,60}+\])(?::\d{1,5})?(?:[/?\#\s"'<>;,)]|$))""", re.X)
_SECURE_STRING = re.compile(
    r"""(?ix)(\bConvertTo-SecureString\b(?:\s++-(?!String\b)[a-z]++)*+\s++(?:-String(?:\s++|:))?)
        ("(?:[^"`]|`.)*+"|'(?:[^']|'')*+'|(?![-$(])[^\s|;)]++)""")
_SECURE_STRING_PIPED = re.compile(
    r"""(?i)("(?:[^"`]|`.)*+"|'(?:[^']|'')*+')(\s*+\|\s*+ConvertTo-SecureString\b)""")
_SAS = re.compile(r"(?i)(\bSharedAccessSignature(?:\s*+[=:]\s*+|\s++))([^\s;\"'<>]++)")
_SAS_SIG = re.compile(r"(?i)([?&]sig=)([^&\s;\"'<>#]++)")
_JWT = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,}+\."
                  r"(?:eyJ[A-Za-z0-9_-]*+(?:\.[A-Za-z0-9_-]*+)?|[A-Za-z0-9_-]{2,}+\.[A-Za-z0-9_-]*+)")
_XML = re.compile(r"<(?P<tag>[A-Za-z_][\w.-]{0,60}+)(?P<attrs>(?:\s[^<>]*+)?)>(?P<value>[^<]*+)</(?P=tag)>")
#: One start tag, for ``<add key="SmtpPassword" value="..."/>`` (may span lines).
_TAG = re.compile(r"<[A-Za-z][\w:.-]*+\s[^<>]{0,8192}+>")
_ATTRIBUTE = re.compile(r"""(?<![\w:.-])(?P<name>[A-Za-z_][\w:.-]*+)\s*+=\s*+(?P<value>"[^"]*"|'[^']*')""")
_NAMING_ATTRIBUTES = {"key", "name", "id", "setting", "property", "param", "parameter", "variable"}
_VALUE_ATTRIBUTES = {"value", "data", "content", "val", "default", "defaultvalue"}
#: ``name = value`` at the start of a line (ini, yaml, properties, Format-List): the rest of the line.
_LINE_PAIR = re.compile(
    r"""^(?P<lead>\s*(?:-\s+)?["']?)(?P<name>[A-Za-z_@$][\w.@$ -]{0,60}?)(?P<sep>["']?\s*[:=]\s*)
        (?P<value>.*)$""", re.X)
#: The name and separator of a ``name=value`` anywhere (log lines, connection strings, query
#: strings, attributes, JSON). The value is read only after the name says secret; other names
#: are stepped into (``connectionString="...;Password=x"``).
_INLINE_NAME = re.compile(r"""(?<![\w.$-])-*+(?P<name>[A-Za-z_$][\w.$-]*+)(?P<sep>["']?\s*+[:=]\s*+)""")
#: A value: quoted, words up to a ``;`` (connection strings allow spaces), or one token.
_INLINE_VALUE = re.compile(
    r""""(?:[^"\\]|\\.)*+"|'[^']*+'
        |[^\s;,&"'<>|]++(?:[ \t]++[^\s;,&"'<>|=]++)*+(?=[ \t]*+;)
        |[^\s;,&"'<>|]++""", re.X)
_FLAG = re.compile(r"(?P<name>(?<![\w-])--?+[A-Za-z][\w-]*+)(?P<sep>\s++)"
                   r"(?P<value>\"[^\"]*\"|'[^']*'|[^\s-]\S*+)")
_NEXT_PAIR = re.compile(r"(?=[;&]\s*[A-Za-z_][\w .-]{0,40}=)")
_REGEDIT = re.compile(r'^(?P<lead>\s*+)"(?P<name>(?:[^"\\]|\\.)*+)"=(?P<value>.*)$')
#: Shell words: runs of unquoted characters and quoted strings; and the separators between commands.
_WORD = re.compile(r"""(?:[^\s;&|"']|"[^"]*"|'[^']*')++|[;&|]++""")


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


def _inline_pairs(line: str) -> str:
    """Secret values of ``name=value`` pairs anywhere in ``line``.

    A pair whose name is not secret is stepped into, not over: its value may be a quoted
    connection string (``connectionString="...;Password=x;"``) or another pair (``a=pwd=x``).
    Searching on from the end of the separator, never from the start, keeps this linear.
    """
    out, done, pos = [], 0, 0
    while (pair := _INLINE_NAME.search(line, pos)) is not None:
        pos = pair.end()
        if not is_secret_name(pair.group("name")):
            continue
        value = _INLINE_VALUE.match(line, pos)
        if value is None or value.group(0).strip("\"'") in ("", MARK):
            continue
        out += [line[done:pos], _mask(value.group(0))]
        done = pos = value.end()
    return "".join(out) + line[done:] if out else line


def _xml(match: re.Match) -> str:
    if not is_secret_name(match.group("tag")) or not match.group("value").strip():
        return match.group(0)
    tag = match.group("tag")
    return f"<{tag}{match.group('attrs')}>{MARK}</{tag}>"


def _tag(match: re.Match) -> str:
    """``<add key="SmtpPassword" value="x"/>``: a naming attribute says secret, the value goes."""
    tag = match.group(0)
    attributes = list(_ATTRIBUTE.finditer(tag))
    if not any(a.group("name").lower() in _NAMING_ATTRIBUTES and is_secret_name(a.group("value")[1:-1])
               for a in attributes):
        return tag
    out, done = [], 0
    for attribute in attributes:
        if attribute.group("name").lower() in _VALUE_ATTRIBUTES:
            out += [tag[done:attribute.start("value")], _mask(attribute.group("value"))]
            done = attribute.end("value")
    return "".join(out) + tag[done:]


def _flag(match: re.Match) -> str:
    if not is_secret_name(match.group("name")) or match.group("value") == MARK:
        return match.group(0)
    return match.group("name") + match.group("sep") + _mask(match.group("value"))


def _url_password(match: re.Match) -> str:
    return match.group(1) + MARK + "@"


def _sas(match: re.Match) -> str:
    value = match.group(2)
    if "=" not in value and not match.group(1).rstrip().endswith(("=", ":")):
        return match.group(0)  # "SharedAccessSignature is invalid": prose, not a signature
    return match.group(1) + MARK


# -- command lines ----------------------------------------------------------------------------

#: Commands whose password follows a flag: {command: {flag: how}}; ``how`` is "next" (the next
#: word), "attached" (``-pSECRET`` only; ``-p`` alone prompts), "both", "after-colon"
#: (``user:password``) or "after-percent" (``user%password``).
_COMMAND_FLAGS: dict[str, dict[str, str]] = {
    **{name: {"-p": "attached"} for name in (
        "mysql", "mysqldump", "mysqladmin", "mysqlimport", "mysqlcheck", "mysqlshow", "mysqlpump",
        "mysqlslap", "mysqlbinlog", "mariadb", "mariadb-dump", "mariadb-admin")},
    "sshpass": {"-p": "both"},
    **{name: {"-p": "next"} for name in ("psexec", "psexec64", "paexec")},
    **{name: {"-P": "both"} for name in ("sqlcmd", "osql", "bcp", "isql", "ipmitool")},
    "curl": {"-u": "after-colon", "--user": "after-colon", "--proxy-user": "after-colon"},
    **{name: {"-U": "after-percent", "--user": "after-percent"}
       for name in ("smbclient", "rpcclient", "winexe", "smbmap", "smbcacls")},
}
#: Words that make a line worth reading word by word (``net`` only with ``use`` or ``user``).
_COMMAND_HINTS = ("mysql", "mariadb", "sshpass", "psexec", "paexec", "sqlcmd", "osql", "bcp", "isql",
                  "ipmitool", "curl", "smbclient", "rpcclient", "winexe", "smbmap", "smbcacls")


def _mentions_command(lower: str) -> bool:
    return any(hint in lower for hint in _COMMAND_HINTS) or (
        "net" in lower and (" use " in lower or " user " in lower))


def _command_name(word: str) -> str:
    base = word.strip("\"'").replace("\\", "/").rsplit("/", 1)[-1].lower()
    return base[:-4] if base.endswith(".exe") else base


def _masked_argument(word: str, how: str) -> str | None:
    """``word`` with its secret part masked, per ``how``; None when it holds none."""
    if how == "after-colon" and ":" in word:
        user, _ = word.split(":", 1)
        return f"{user}:{MARK}"
    if how == "after-percent" and "%" in word:
        user, _ = word.split("%", 1)
        return f"{user}%{MARK}"
    if how in ("next", "both"):
        return _mask(word) if word not in ("*", "-") and MARK not in word else None
    return None


def _net_argument(text: str, word: re.Match, net: str | None, after_share: bool,
                  edits: list[tuple[int, int, str]]) -> bool:
    """``net use \\\\srv\\share PASSWORD`` and ``net user NAME PASSWORD``: the first plain word
    after the share or the account is the password (``*`` prompts for it; ``/switches`` are not).
    True when ``text`` was that word."""
    if net in ("use", "user") and after_share and not text.startswith("/"):
        if text != "*" and MARK not in text:
            edits.append((word.start(), word.end(), _mask(text)))
        return True
    return False


def _command_lines(line: str) -> str:
    """Passwords typed as command arguments (``mysql -pX``, ``net use \\\\srv\\s X``, ...).

    One pass over the words: a known command name sets what its arguments look like until the
    next command separator or the next known command.
    """
    edits: list[tuple[int, int, str]] = []
    command, pending, net, after_share = None, None, None, False
    for word in _WORD.finditer(line):
        text = word.group(0)
        if text[0] in ";&|":
            command, pending, net, after_share = None, None, None, False
            continue
        name = _command_name(text)
        if pending is not None:
            masked = _masked_argument(text, pending)
            if masked is not None:
                edits.append((word.start(), word.end(), masked))
            pending = None
            continue
        if name in _COMMAND_FLAGS or name == "net":
            command, net, after_share = name, "", False
            continue
        if command == "net":
            if _net_argument(text, word, net, after_share, edits):
                net = None  # one password per command
            elif net == "":
                net = text.lower() if text.lower() in ("use", "user") else None
            elif net == "use" and text.strip("\"'").startswith("\\\\") \
                    or net == "user" and not text.startswith("/"):
                after_share = True  # past the share (net use) or the account (net user)
            continue
        if command is None:
            continue
        flags = _COMMAND_FLAGS[command]
        for flag, how in flags.items():
            if text == flag and how != "attached":
                pending = how
            elif (how in ("attached", "both") and text.startswith(flag) and len(text) > len(flag)
                  and MARK not in text):
                edits.append((word.start() + len(flag), word.end(), _mask(text[len(flag):])))
            elif how.startswith("after") and text.startswith(flag + "="):
                masked = _masked_argument(text[len(flag) + 1:], how)
                if masked is not None:
                    edits.append((word.start() + len(flag) + 1, word.end(), masked))
    if not edits:
        return line
    out, done = [], 0
    for start, end, replacement in edits:
        out += [line[done:start], replacement]
        done = end
    return "".join(out) + line[done:]


# -- putting it together ----------------------------------------------------------------------

def _putty(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """The lines of a PuTTY key file with its private lines and MAC replaced by MARK.

    The private lines are the N numbered after ``Private-Lines: N``, so this holds when only
    some lines are passed on (a parser reading selected lines), as long as the markers
    (:data:`KEY_MARKERS`) are among them.
    """
    seen_header, private_until = False, None
    for number, line in lines:
        if private_until is not None and number <= private_until:
            yield number, MARK
            continue
        if _PUTTY_HEADER in line:
            seen_header = True
        elif seen_header and (count := _PUTTY_PRIVATE.match(line)):
            private_until = number + min(int(count.group(1)), _PUTTY_MAX_LINES)
        elif seen_header and (mac := _PUTTY_MAC.match(line)):
            line = mac.group(1) + MARK
        yield number, line


def _redact_line(line: str) -> str:
    line = _line_pairs(line)
    lower = line.lower()
    if any(name in lower for name in ("authorization", "cookie", "x-api-key", "x-auth-token")):
        line = _HEADER.sub(lambda m: m.group("name") + m.group("sep") + _mask(m.group("value"))
                           if m.group("value").strip() not in ("", MARK) else m.group(0), line)
    if "://" in line:
        line = _URL_PASSWORD.sub(_url_password, line)
    if "convertto-securestring" in lower:
        line = _SECURE_STRING.sub(lambda m: m.group(1) + _mask(m.group(2)), line)
        line = _SECURE_STRING_PIPED.sub(lambda m: _mask(m.group(1)) + m.group(2), line)
    if "sharedaccesssignature" in lower:
        line = _SAS.sub(_sas, line)
    if "sig=" in lower:
        line = _SAS_SIG.sub(lambda m: m.group(1) + MARK, line)
    if "<" in line:
        line = _XML.sub(_xml, line)
    if "=" in line or ":" in line:
        line = _inline_pairs(line)
    if "-" in line:
        line = _FLAG.sub(_flag, line)
    if _mentions_command(lower):
        line = _command_lines(line)
    if "eyJ" in line:
        line = _JWT.sub(MARK, line)
    return line


def redact_text(text: str) -> str:
    """``text`` with every secret this module knows replaced by :data:`MARK`."""
    if not text:
        return text
    text = _PEM.sub(_pem, text)
    if "<" in text:
        text = _TAG.sub(_tag, text)
    lines = text.split("\n")
    if _PUTTY_HEADER in text:
        lines = [line for _, line in _putty(enumerate(lines))]
    # Lines are cut before matching, so no pattern ever sees more than 100 000 characters.
    return "\n".join(_redact_line(line[:100_000]) for line in lines)


#: Slots that carry "the value" of a named setting (regedit values, config entries).
VALUE_SLOTS = frozenset({"value", "data", "decoded", "literal", "items", "raw", "content", "setting",
                         "val", "secret"})


def redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, (list, tuple)):
        return type(value)(redact_value(v) for v in value)
    return value


def _names_secret(value: Any) -> bool:
    """True for a slot value that is the *name* of a secret (``DefaultPassword``, ``VNC Password``):
    a name of at most three words, not a sentence that mentions a password."""
    return (isinstance(value, str) and len(value) <= 60 and len(value.split()) <= 3
            and is_secret_name(value))


def redact_slots(slots: Mapping[str, Any]) -> dict[str, Any]:
    """Slot values with secrets removed.

    Besides the text patterns: a slot whose *name* names a secret (``password``) loses its
    value, and when a fact names a secret in one slot (``name: "DefaultPassword"``,
    ``name: "VNC Password"``), its value-carrying slots (:data:`VALUE_SLOTS`) lose theirs.
    Numbers and booleans stay.
    """
    names_secret = any(_names_secret(v) for k, v in slots.items() if k not in VALUE_SLOTS)
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
    """Passes ``(number, line)`` pairs through, replacing the bodies of private keys.

    PEM and PGP blocks: the BEGIN and END lines stay (a parser may report that a key is there);
    everything between them becomes :data:`MARK`. PuTTY key files: the lines counted by
    ``Private-Lines: N`` and the ``Private-MAC`` become MARK. No parser, fact or report ever
    holds key material.
    """

    def __init__(self, lines: Iterable[tuple[int, str]]) -> None:
        self.lines = lines
        self.inside: str | None = None

    def __iter__(self) -> Iterator[tuple[int, str]]:
        for number, line in _putty(self.lines):
            if self.inside is None:
                if "-----BEGIN" in line and "KEY" in line:
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
