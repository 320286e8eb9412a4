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
from dataclasses import dataclass
from typing import BinaryIO, Iterable, Iterator

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


# -- scanning: only the lines a parser's signatures ask for ----------------------------------------

#: Bytes read at a time when scanning a log.
SCAN_BLOCK = 1 << 20


@dataclass(frozen=True)
class Selection:
    """Which lines of a log a parser needs (from :class:`hakb.model.Parser`'s declaration).

    A line whose text (decoded and cleaned, as the parser gets it) holds one of ``signatures``
    (literal text, ASCII letters in any case) is a candidate; it is given with ``before`` lines
    before it and ``after`` lines after it. With ``continuation`` (a regular expression matching
    the lines that continue the line before, such as hostd's ``-->`` lines), a candidate is
    widened to its whole record instead: back to the record's first line (if that is at most
    ``before`` lines back; otherwise the candidate is left out, as the parser could not join it
    either), then ``after`` lines, then on over continuation lines up to ``before`` lines from
    their record's first line. So a run of given lines never starts with a continuation line.
    Every line is given once, in order, with its own number; the parser must accept gaps.

    The raw bytes are searched, so a signature that only appears once a control character other
    than NUL (or an escape sequence) is removed from the text is not found.
    """

    signatures: tuple[str, ...]
    before: int = 0
    after: int = 0
    continuation: str = ""

    @property
    def literals(self) -> tuple[bytes, ...] | None:
        """The signatures as lower-case ASCII bytes, or None when one is not ASCII."""
        try:
            return tuple(dict.fromkeys(s.lower().encode("ascii") for s in self.signatures if s))
        except UnicodeEncodeError:
            return None


class _Literals:
    """Finds where literals occur in a buffer, ASCII case-insensitively: Hyperscan (a SIMD
    multi-literal matcher, when installed) or, failing that, ``bytes.lower`` and ``bytes.find``."""

    def __init__(self, literals: tuple[bytes, ...]) -> None:
        self.literals = literals
        self.database = _hyperscan_database(literals)

    def find(self, buffer, end: int) -> list[int]:
        """Start offsets (unsorted, maybe repeated) of the literals in ``buffer[:end]``."""
        if self.database is not None:
            found: list[int] = []
            lengths = [len(lit) for lit in self.literals]
            self.database.scan(memoryview(buffer)[:end],
                               match_event_handler=lambda ident, start, stop, flags, ctx:
                               found.append(stop - lengths[ident]))
            return found
        lowered = bytes(memoryview(buffer)[:end]).lower()
        found = []
        for literal in self.literals:
            at = lowered.find(literal)
            while at >= 0:
                found.append(at)
                at = lowered.find(literal, at + len(literal))
        return found


_DATABASES: dict[tuple[bytes, ...], object] = {}


def _hyperscan_database(literals: tuple[bytes, ...]):
    """A compiled Hyperscan database for ``literals`` (cached per process), or None."""
    if literals in _DATABASES:
        return _DATABASES[literals]
    try:
        import hyperscan
    except ImportError:  # an optional accelerator; the fallback gives the same lines
        _DATABASES[literals] = None
        return None
    try:
        database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        database.compile(expressions=[re.escape(lit) for lit in literals], ids=list(range(len(literals))),
                         elements=len(literals), flags=[hyperscan.HS_FLAG_CASELESS] * len(literals))
    except Exception:  # an unsupported CPU or library build: use the fallback
        database = None
    _DATABASES[literals] = database
    return database


def _breaks(data, start: int, end: int, has_cr: bool) -> int:
    """Line breaks (``\\n``, ``\\r\\n`` or a lone ``\\r``) in ``data[start:end]``."""
    count = data.count(b"\n", start, end)
    if has_cr:
        count += data.count(b"\r", start, end) - data.count(b"\r\n", start, end)
    return count


def _last_break_end(data: bytes, final: bool) -> int:
    """Where the last complete line of ``data`` ends (0: none yet); at the end of the file, all."""
    if final:
        return len(data)
    newline, cr = data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)
    if cr > newline:
        return cr + 1  # a lone CR: its next byte is known and is no LF
    return newline + 1


class _Windows:
    """The selection's state across chunks of lines: what was given, what must still follow."""

    def __init__(self, selection: Selection, decode) -> None:
        self.literals = tuple(s.lower() for s in selection.signatures if s)
        self.before, self.after = max(0, int(selection.before)), max(0, int(selection.after))
        self.continues = re.compile(selection.continuation).match if selection.continuation else None
        self.decode = decode
        self.emitted = 0      # number of the last line given
        self.until = 0        # lines up to this number are given (context after a candidate)
        self.head = 0         # first line of the record being given (with continuation)
        self.history: list[tuple[int, list]] = []  # earlier chunks: (first number, raw lines)
        self.texts: dict[int, str] = {}

    def pending(self, base: int) -> bool:
        """Whether the chunk starting at line ``base`` must be looked at without a candidate."""
        return self.until >= base or (self.continues is not None and self.emitted == base - 1
                                      and self.head > 0)

    def remember(self, base: int, count: int, lines) -> None:
        """Keep a chunk as history (for context before) while it is within reach."""
        if not self.before:
            return
        self.history.append((base, lines, count))
        while len(self.history) > 1 and sum(c for _, _, c in self.history[1:]) >= self.before:
            self.history.pop(0)

    def _raw(self, number: int, base: int, lines: list):
        if number >= base:
            return lines[number - base]
        for first, chunk, count in reversed(self.history):
            if first <= number < first + count:
                if callable(chunk):
                    chunk = chunk()
                    self.history = [(f, chunk if f == first else c, n) for f, c, n in self.history]
                return chunk[number - first]
        return None

    def _text(self, number: int, base: int, lines: list) -> str | None:
        text = self.texts.get(number)
        if text is None:
            raw = self._raw(number, base, lines)
            if raw is None:
                return None
            text = self.texts[number] = self.decode(raw)
        return text

    def _is_continuation(self, number: int, base: int, lines: list) -> bool:
        text = self._text(number, base, lines)
        return text is not None and bool(self.continues(text))

    def _start(self, candidate: int, base: int, lines: list) -> int | None:
        if self.continues is None:
            return max(1, candidate - self.before, self.emitted + 1)
        for number in range(candidate, max(0, candidate - self.before - 1), -1):
            if number <= 0:
                return None
            text = self._text(number, base, lines)
            if text is None:
                return None
            if not self.continues(text):
                return number
        return None

    def _forward(self, number: int, base: int, lines: list, out: list) -> None:
        end = base + len(lines)
        while number < end and number == self.emitted + 1:
            if number <= self.until:
                self._give(number, base, lines, out)
            elif (self.continues is not None and self.head and number - self.head <= self.before
                  and self._is_continuation(number, base, lines)):
                self._give(number, base, lines, out)
            else:
                return
            number += 1

    def _give(self, number: int, base: int, lines: list, out: list) -> None:
        text = self._text(number, base, lines)
        if text is None:  # before the first line kept (cannot happen within ``before``)
            return
        if self.continues is not None and not self.continues(text):
            self.head = number
        out.append((number, text))
        self.emitted = number

    def chunk(self, base: int, lines: list, candidates, verify: bool = False) -> list[tuple[int, str]]:
        """The lines to give of one chunk (line numbers ``base``...) with these candidates;
        ``verify``: keep only those whose decoded text holds a signature."""
        out: list[tuple[int, str]] = []
        self._forward(self.emitted + 1, base, lines, out)
        for candidate in sorted(set(candidates)):
            if verify and not holds(self._text(candidate, base, lines), self.literals):
                continue
            if candidate > self.emitted:
                start = self._start(candidate, base, lines)
                if start is None:
                    continue
                for number in range(max(start, self.emitted + 1), candidate + 1):
                    self._give(number, base, lines, out)
            self.until = max(self.until, candidate + self.after)
            self._forward(self.emitted + 1, base, lines, out)
        self.texts.clear()
        return out


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def holds(text: str | None, literals: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of the lower-case ``literals``, ASCII letters in any case."""
    if text is None:
        return False
    lowered = text.lower()  # finds a superset quickly; the exact test lowers ASCII letters only
    if not any(lit in lowered for lit in literals):
        return False
    exact = text.translate(_ASCII_LOWER)
    return any(lit in exact for lit in literals)


def select_lines(lines: Iterable[tuple[int, str]], selection: Selection,
                 chunk: int = 4096) -> Iterator[tuple[int, str]]:
    """The lines of an already decoded ``(number, text)`` stream that ``selection`` asks for
    (the same choice :func:`scan_lines` makes from the bytes). Numbers must be consecutive."""
    literals = tuple(s.lower() for s in selection.signatures if s)
    windows = _Windows(selection, lambda text: text)
    batch: list[str] = []
    base = 0
    for number, text in lines:
        if not batch:
            base = number
        batch.append(text)
        if len(batch) >= chunk:
            yield from _select_batch(windows, base, batch, literals)
            batch = []
    if batch:
        yield from _select_batch(windows, base, batch, literals)


def _select_batch(windows: _Windows, base: int, batch: list[str], literals) -> list[tuple[int, str]]:
    candidates = [base + i for i, text in enumerate(batch) if holds(text, literals)]
    out = windows.chunk(base, batch, candidates) if candidates or windows.pending(base) else []
    windows.remember(base, len(batch), batch)
    return out


def scan_lines(path: Path, selection: Selection, max_line: int = MAX_LINE) -> Iterator[tuple[int, str]]:
    """The lines of a text file that ``selection`` asks for, as :func:`iter_lines` would number
    and clean them, without decoding the others.

    Raw blocks are searched for the signatures (Hyperscan when installed), line numbers come
    from counting line breaks in C, and only candidate lines and their context are decoded and
    cleaned. UTF-16 files (and non-ASCII signatures) are read whole and filtered after decoding.
    Memory stays bounded: blocks of :data:`SCAN_BLOCK` bytes, the context kept for ``before``,
    and at most ``4 * max_line`` bytes of an over-long line.
    """
    literals = selection.literals
    with open(path, "rb") as raw:
        prefix = raw.read(HEAD_BYTES)
        encoding, skip = detect_encoding(prefix)
        raw.seek(0)
        if literals is None or not literals or encoding.startswith("utf-16"):
            yield from select_lines(iter_stream(raw, max_line), selection)
            return
        raw.seek(skip)
        yield from _scan(raw, selection, literals, encoding, max_line)


def _bounded(partial: bytes, keep: int) -> tuple[bytes, bool]:
    """The unfinished last line carried to the next block: at most ``keep`` bytes of it (and
    a CR it ends with, whose LF may follow), and whether the rest of it is to be dropped."""
    if len(partial) <= keep:
        return partial, False
    if partial.endswith(b"\r"):
        return partial[:keep] + b"\r", False
    return partial[:keep], True


def _scan(raw: BinaryIO, selection: Selection, literals: tuple[bytes, ...], encoding: str,
          max_line: int) -> Iterator[tuple[int, str]]:
    keep = 4 * max_line  # bytes of one line enough for max_line characters in any encoding

    def decode(line: bytes) -> str:
        return clean_line(line[:keep].decode(encoding, errors="replace")[:max_line])

    matcher = _Literals(literals)
    windows = _Windows(selection, decode)
    base = 1
    carry = b""
    skipping = False  # inside an over-long line: its head is in carry, the rest is dropped
    while True:
        block = raw.read(SCAN_BLOCK)
        final = not block
        if skipping and block:
            first = min((at for at in (block.find(b"\n"), block.find(b"\r")) if at >= 0), default=-1)
            if first < 0:
                continue
            block, skipping = block[first:], False
        data = carry + block if carry else block
        cut = _last_break_end(data, final)
        if cut == 0:
            carry, skipping = _bounded(data, keep)
            if final:
                break
            continue
        carry, skipping = _bounded(data[cut:], keep)
        has_cr = data.find(b"\r", 0, cut) >= 0
        if data.find(b"\x00", 0, cut) >= 0 or data.find(b"\x1b", 0, cut) >= 0:
            # NUL runs and escape codes vanish from the decoded text, and may split a
            # signature: every line of this block is checked as the parser will see it.
            lines = data[:cut].splitlines()
            candidates = range(base, base + len(lines))
        else:
            offsets = matcher.find(data, cut)
            if not offsets and not windows.pending(base):
                count = _breaks(data, 0, cut, has_cr) + (0 if data[cut - 1] in b"\n\r" else 1)
                windows.remember(base, count, lambda data=data, cut=cut: data[:cut].splitlines())
                base += count
                if final:
                    break
                continue
            lines = data[:cut].splitlines()
            candidates, index, at = [], 0, 0
            for offset in sorted(set(offsets)):
                index += _breaks(data, at, offset, has_cr)
                at = offset
                candidates.append(base + index)
        yield from windows.chunk(base, lines, candidates, verify=True)
        windows.remember(base, len(lines), lines)
        base += len(lines)
        if final:
            break
