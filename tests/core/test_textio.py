"""Decoding collected files: BOMs, UTF-16 without BOM, ANSI, binary, over-long lines."""

from hakb import textio


def lines(path):
    return [text for _, text in textio.iter_lines(path)]


def test_utf16le_with_bom_and_crlf(tmp_path):
    path = tmp_path / "ps.txt"
    path.write_bytes("\ufeffName : EX01\r\nServer : Größe\r\n".encode("utf-16-le"))
    assert lines(path) == ["Name : EX01", "Server : Größe"]
    assert textio.head_text(path)[1] == "utf-16-le"


def test_utf16le_without_bom_is_recognised(tmp_path):
    path = tmp_path / "nobom.txt"
    path.write_bytes("Host Name: EX01\r\nOS Name: Windows\r\n".encode("utf-16-le"))
    assert lines(path) == ["Host Name: EX01", "OS Name: Windows"]


def test_utf16be_and_utf8_bom(tmp_path):
    be = tmp_path / "be.txt"
    be.write_bytes("\ufeffa\nb\n".encode("utf-16-be"))
    u8 = tmp_path / "u8.txt"
    u8.write_bytes("\ufeffa\nb\n".encode("utf-8"))
    assert lines(be) == lines(u8) == ["a", "b"]


def test_cp1252_fallback_never_raises(tmp_path):
    path = tmp_path / "ansi.reg"
    path.write_bytes('"Name"="Müller – Größe"\r\n'.encode("cp1252"))
    assert lines(path) == ['"Name"="Müller – Größe"']


def test_long_line_is_cut_and_the_next_line_survives(tmp_path):
    path = tmp_path / "long.log"
    path.write_text("x" * 300_000 + "\nnext line\n")
    result = list(textio.iter_lines(path, max_line=1000))
    assert result == [(1, "x" * 1000), (2, "next line")]


def test_binary_is_recognised(tmp_path):
    path = tmp_path / "core.bin"
    path.write_bytes(bytes(range(256)) * 40)
    assert textio.head_text(path)[2] is True
    text = tmp_path / "t.txt"
    text.write_text("plain text\n")
    assert textio.head_text(text)[2] is False


def test_nul_bytes_are_removed_from_lines(tmp_path):
    path = tmp_path / "nul.log"
    path.write_bytes(b"a" * 9000 + b"\nbe\x00fore\n")
    assert lines(path)[1] == "before"
