"""Hostile text: any encoding, any bytes, endless lines. Decoding never fails, memory stays bounded."""

import io
import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hostile_kit import LINE_SCHEMA, LINE_PARSER

from hakb import textio
from hakb.model import Artifact
from hakb.parsing import parse_artifact

SCHEMAS = {"test-line": LINE_SCHEMA}
FAST = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])


def parse(path: Path):
    return parse_artifact(Artifact(name=path.name, path=path), [LINE_PARSER], SCHEMAS)


def test_utf16_utf8_bom_and_cp1252_files_give_the_same_facts(tmp_path):
    text = "HAKB-TEST\r\nServer = Größe–Ω\r\nOwner: Müller\r\n"
    variants = {
        "utf16le.txt": b"\xff\xfe" + text.encode("utf-16-le"),
        "utf16be.txt": b"\xfe\xff" + text.encode("utf-16-be"),
        "utf16le-nobom.txt": text.encode("utf-16-le"),
        "utf8bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "utf8.txt": text.encode("utf-8"),
    }
    expected = [("Server", "Größe–Ω", 2), ("Owner", "Müller", 3)]
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        result = parse(tmp_path / name)
        assert result.status == "parsed", (name, result.message)
        assert [(f.slots["name"], f.slots["value"], f.line) for f in result.facts] == expected, name
    ansi = tmp_path / "ansi.txt"
    ansi.write_bytes("HAKB-TEST\r\nOwner: Müller – Größe\r\n".encode("cp1252"))
    result = parse(ansi)
    assert (result.encoding, result.facts[0].slots["value"]) == ("cp1252", "Müller – Größe")


def test_a_binary_file_is_skipped_with_a_reason(tmp_path):
    for seed in range(20):  # compressed or encrypted data: random bytes, every time
        core = tmp_path / f"core{seed}.dmp"
        core.write_bytes(b"HAKB-TEST\n" + random.Random(seed).randbytes(20_000))
        result = parse(core)
        assert (result.status, result.message) == ("skipped", "binary data, not text")
        assert result.facts == []


def test_a_log_with_nul_padding_is_still_text(tmp_path):
    log = tmp_path / "vmkernel.log"
    log.write_bytes(b"HAKB-TEST\nbefore = crash\n" + b"\x00" * 6000 + b"\nafter = reboot\n")
    result = parse(log)
    assert result.status == "parsed"
    assert [(f.slots["name"], f.line) for f in result.facts] == [("before", 2), ("after", 4)]


def test_an_endless_line_is_cut_and_the_next_line_survives(tmp_path):
    path = tmp_path / "long.log"
    with open(path, "wb") as out:
        out.write(b"HAKB-TEST\nhuge = ")
        out.write(b"x" * (8 * 1024 * 1024))
        out.write(b"\nafter = still read\n")
    result = parse(path)
    huge, after = result.facts
    assert len(huge.text) == textio.MAX_LINE and huge.line == 2
    assert (after.slots["value"], after.line) == ("still read", 3)


def test_terminal_escapes_and_control_characters_never_reach_a_parser(tmp_path):
    path = tmp_path / "colour.log"
    path.write_bytes(b"HAKB-TEST\nstate = \x1b[31mFAILED\x1b[0m\x07\x08 \x1b]0;title\x07done\n"
                     + b"a plain line of the log, as most are\n" * 5)
    fact = parse(path).facts[0]
    assert fact.slots["value"] == "FAILED done" and fact.text == "state = FAILED done"


@FAST
@given(st.binary(max_size=3000))
def test_any_bytes_decode_without_error(data):
    text, encoding, binary, raw = textio.head_text_of(data)
    lines = list(textio.iter_stream(io.BytesIO(data)))
    for number, line in lines:
        assert isinstance(line, str) and "\n" not in line and "\r" not in line
        assert not any(ord(c) < 32 and c != "\t" for c in line)
        line.encode("utf-8")  # no lone surrogates: storable and printable
    assert [n for n, _ in lines] == list(range(1, len(lines) + 1))
    assert isinstance(binary, bool) and encoding


@FAST
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
               max_size=400))
def test_in_memory_lines_split_like_file_lines(text):
    """hakb.testing.parse_text (lines_of) feeds parsers exactly what a real file would."""
    from_file = list(textio.iter_stream(io.BytesIO(text.encode("utf-8"))))
    if textio.detect_encoding(text.encode("utf-8")[:textio.HEAD_BYTES])[0] == "utf-8":
        assert list(textio.lines_of(text)) == from_file
