"""Reading artifacts as text: encoding detection, binary detection, streamed and bounded lines.

Collected output arrives as UTF-8 (with or without BOM), UTF-16LE (PowerShell 5 ``>`` and regedit
v5 write it with a BOM; sometimes without), UTF-16BE, or a Windows ANSI code page. Parsers never see
bytes: they get ``(line_number, text)`` pairs, decoded, NUL-free and cut at :data:`MAX_LINE` characters
so a line with no end cannot exhaust memory.
"""

from __future__ import annotations

import codecs
import io
import re
from pathlib import Path
from typing import BinaryIO, Iterator

#: Characters kept of one line; the rest of an over-long line is skipped, not loaded.
MAX_LINE = 64 * 1024
#: Bytes read to recognise an artifact and guess its encoding.
HEAD_BYTES = 64 * 1024

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def detect_encoding(prefix: bytes) -> tuple[str, int]:
    """The encoding of a file starting with ``prefix``, and how many BOM bytes to skip.

    >>> detect_encoding(b"\\xff\\xfeW\\x00i\\x00")
    ('utf-16-le', 2)
    >>> detect_encoding("Größe".encode("cp1252"))
    ('cp1252', 0)
    """
    for bom, name in _BOMS:
        if prefix.startswith(bom):
            return ("utf-8" if name == "utf-8-sig" else name), len(bom)
    sample = prefix[:4096]
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        half = len(sample) / 2
        if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
            return "utf-16-le", 0
        if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
            return "utf-16-be", 0
    try:
        prefix.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of the prefix is still UTF-8.
        if exc.reason != "unexpected end of data":
            return "cp1252", 0
    return "utf-8", 0


_NUL_RUNS = re.compile(rb"\x00+")


def looks_binary(prefix: bytes, encoding: str) -> bool:
    """True for data that is not text: NUL bytes scattered through it (outside UTF-16), or more
    than a few control characters and undecodable bytes. A log with a few runs of NUL padding
    (a crash, a cut rotation) or with colour escape codes is still text.

    >>> looks_binary(b"vmkernel line\\n" * 100 + b"\\x00" * 4096 + b"after the crash\\n", "utf-8")
    False
    >>> looks_binary(bytes(range(256)) * 8, "utf-8")
    True
    """
    if not prefix:
        return False
    nul_runs = 0
    if encoding.startswith("utf-16"):
        text = prefix.decode(encoding, errors="replace")
    else:
        head = prefix[:8192]
        nul_runs = len(_NUL_RUNS.findall(head))
        if nul_runs > max(4, len(head) // 100):
            return True
        text = head.replace(b"\x00", b"").decode(encoding, errors="replace")
    sample = text[:8192]
    odd = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f\x1b") or ch == "\ufffd")
    return odd + nul_runs > 0.05 * max(len(sample), 1)


def _read_prefix(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(HEAD_BYTES)


def head_text(path: Path) -> tuple[str, str, bool, bytes]:
    """(decoded head, encoding, is_binary, raw head) for an artifact."""
    return head_text_of(_read_prefix(path))


def head_text_of(prefix: bytes) -> tuple[str, str, bool, bytes]:
    """Like :func:`head_text`, for the first bytes of an artifact already read."""
    prefix = prefix[:HEAD_BYTES]
    encoding, skip = detect_encoding(prefix)
    binary = looks_binary(prefix[skip:], encoding)
    text = prefix[skip:].decode(encoding, errors="replace").replace("\x00", "")
    return text, encoding, binary, prefix


def iter_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    """The artifact's bytes in chunks, for binary parsers."""
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(size)
            if not chunk:
                return
            yield chunk


#: Terminal escape sequences and control characters: never part of what a parser or a person
#: should see (a log line must not be able to repaint the terminal the report is read on).
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_line(line: str) -> str:
    """A line without control characters (tab kept) and terminal escape sequences.

    >>> clean_line("\\x1b[31mred\\x1b[0m a\\x00b\\tc")
    'red ab\\tc'
    """
    if line.isprintable() or not _CONTROL.search(line):
        return line  # the common case, checked fast
    return _ESCAPES.sub("", line)


def _numbered(text: io.TextIOBase, max_line: int) -> Iterator[tuple[int, str]]:
    number = 0
    while True:
        line = text.readline(max_line)
        if not line:
            return
        number += 1
        if not line.endswith("\n"):
            # Cut: drop the remainder of this over-long line.
            rest = line
            while rest and not rest.endswith("\n"):
                rest = text.readline(max_line)
        yield number, clean_line(line.rstrip("\r\n"))


def iter_stream(raw: BinaryIO, max_line: int = MAX_LINE) -> Iterator[tuple[int, str]]:
    """Like :func:`iter_lines`, from an open, seekable binary file."""
    prefix = raw.read(HEAD_BYTES)
    encoding, skip = detect_encoding(prefix)
    raw.seek(skip)
    text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None)
    try:
        yield from _numbered(text, max_line)
    finally:
        text.detach()


def iter_lines(path: Path, max_line: int = MAX_LINE) -> Iterator[tuple[int, str]]:
    """Yield ``(line_number, text)`` for each line, 1-based, without the line break.

    Memory stays bounded whatever the file: lines longer than ``max_line`` characters are cut
    and the rest of them is read in chunks and dropped. Bytes that are not valid in the detected
    encoding become U+FFFD, so decoding never fails; control characters are removed.
    """
    with open(path, "rb") as raw:
        yield from iter_stream(raw, max_line)


def lines_of(text: str, max_line: int = MAX_LINE) -> Iterator[tuple[int, str]]:
    """``(line_number, text)`` pairs of an in-memory string, split and cleaned exactly as a file's
    lines are (``\\n``, ``\\r\\n`` and ``\\r`` end a line): feeds a parser in tests and examples."""
    yield from _numbered(io.StringIO(text, newline=None), max_line)
