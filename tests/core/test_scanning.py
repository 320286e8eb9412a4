"""The log scanner gives exactly the lines a parser's selection asks for, numbered and cleaned as
the full reader would: checked against a plain reference over every line, on generated files
with CRLF, lone CR, NUL runs, over-long lines, BOMs and block boundaries anywhere."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from hakb import textio
from hakb.textio import Selection


def reference(lines: list[tuple[int, str]], selection: Selection) -> list[tuple[int, str]]:
    """The selection's rule applied literally to every line (what scanning must reproduce)."""
    texts = dict(lines)
    last = len(lines)
    signatures = [s.lower() for s in selection.signatures]
    lower = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
    candidates = [n for n, t in lines if any(s in t.translate(lower) for s in signatures)]
    cont = re.compile(selection.continuation).match if selection.continuation else None
    given: set[int] = set()
    for c in candidates:
        if cont is None:
            given.update(range(max(1, c - selection.before), min(last, c + selection.after) + 1))
            continue
        if c not in given:  # widened back to the first line of its record, if that is near
            head = next((n for n in range(c, c - selection.before - 1, -1)
                         if n >= 1 and not cont(texts[n])), None)
            if head is None:
                continue
            given.update(range(head, c + 1))
        end = min(last, c + selection.after)
        given.update(range(c, end + 1))
        record = max(n for n in range(1, end + 1) if not cont(texts[n]))
        n = end + 1
        while n <= last and n - record <= selection.before and cont(texts[n]):
            given.add(n)
            n += 1
    return [(n, texts[n]) for n in sorted(given)]


PIECES = ["plain line", "LOCK held", "the lock", "--> more", "--> a lock", "", "x\x00\x00y lo",
          "lo\x00ck", "tab\there", "caf\u00e9 lock", "\x1b[31mred\x1b[0m", "L" * 40, "Busy now", "\u212aelvin LOCK", "lo\x1b[0mck"]
BREAKS = ["\n", "\r\n", "\r"]


@st.composite
def files(draw):
    lines = draw(st.lists(st.sampled_from(PIECES), min_size=0, max_size=60))
    breaks = draw(st.lists(st.sampled_from(BREAKS), min_size=len(lines), max_size=len(lines)))
    text = "".join(l + b for l, b in zip(lines, breaks))
    if draw(st.booleans()) and text:
        text = text.rstrip("\r\n")  # no break after the last line
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + text.encode("utf-8")


SELECTIONS = [
    Selection(("lock",)),
    Selection(("lock", "busy"), before=2, after=1),
    Selection(("lock",), before=3, continuation=r"-->"),
    Selection(("lock",), before=1, after=2, continuation=r"-->"),
    Selection(("LLLL",), after=3),
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=files(), which=st.integers(0, len(SELECTIONS) - 1), block=st.sampled_from([1, 3, 7, 64, 1 << 20]),
       max_line=st.sampled_from([5, 30, textio.MAX_LINE]))
def test_scan_equals_the_reference(tmp_path, monkeypatch, data, which, block, max_line):
    monkeypatch.setattr(textio, "SCAN_BLOCK", block)
    path = tmp_path / "log.txt"
    path.write_bytes(data)
    selection = SELECTIONS[which]
    full = list(textio.iter_lines(path, max_line=max_line))
    expected = reference(full, selection)
    assert list(textio.scan_lines(path, selection, max_line=max_line)) == expected
    assert list(textio.select_lines(iter(full), selection, chunk=3)) == expected


@pytest.mark.parametrize("accelerated", [True, False])
def test_both_matchers_find_the_same_lines(tmp_path, monkeypatch, accelerated):
    if accelerated:
        pytest.importorskip("hyperscan", reason="the optional Hyperscan accelerator is not installed")
    else:
        monkeypatch.setattr(textio, "_hyperscan_database", lambda literals: None)
    path = tmp_path / "hostd.log"
    lines = [f"2026-11-20T09:00:{i % 60:02d}Z info hostd[1] normal line {i}" for i in range(20_000)]
    lines[12_345] = "2026-11-20T09:14:57Z warning hostd[1] Failed to LOCK the file"
    path.write_text("\n".join(lines) + "\n")
    assert list(textio.scan_lines(path, Selection(("lock",)))) == [(12_346, lines[12_345])]


def test_utf16_is_filtered_after_decoding(tmp_path):
    path = tmp_path / "cluster.log"
    path.write_bytes("\ufeffone\r\ntwo lock\r\nthree\r\n".encode("utf-16-le"))
    assert list(textio.scan_lines(path, Selection(("LOCK",), after=1))) == [(2, "two lock"), (3, "three")]


def test_cp1252_lines_decode_as_the_reader_does(tmp_path):
    path = tmp_path / "ansi.log"
    path.write_bytes("Größe ok\r\nMüller lock \x81\r\n".encode("cp1252", errors="ignore") + b"\x81 lock\r\n")
    full = list(textio.iter_lines(path))
    assert list(textio.scan_lines(path, Selection(("lock",)))) == full[1:]


def test_over_long_line_keeps_its_number_and_is_cut(tmp_path, monkeypatch):
    monkeypatch.setattr(textio, "SCAN_BLOCK", 4096)
    path = tmp_path / "long.log"
    path.write_bytes(b"first\n" + b"lock" + b"x" * 1_000_000 + b"\nlock after\n")
    assert list(textio.scan_lines(path, Selection(("lock",)), max_line=100)) == [
        (2, "lock" + "x" * 96), (3, "lock after")]
