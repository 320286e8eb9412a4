"""hakb.reading.registry: regedit exports as one record per key, every value type decoded.

Exports are synthetic, built the way regedit writes them (version 5: UTF-16LE with BOM and CRLF;
REGEDIT4: ANSI; hex data wrapped at 80 columns with a trailing backslash).
"""

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hakb.reading import registry as reader
from hakb.textio import iter_stream

HEADERS = {"5": "Windows Registry Editor Version 5.00", "4": "REGEDIT4"}
ENCODINGS = {"5": "utf-16-le", "4": "cp1252"}
KEY = r"HKEY_CURRENT_USER\Software\Example\AllTypes"


def numbered(text: str) -> list[tuple[int, str]]:
    return list(enumerate(text.split("\n"), start=1))


def lines_of_bytes(data: bytes) -> list[tuple[int, str]]:
    """Decoded as the core decodes artifacts (BOM sniffing, universal newlines)."""
    return list(iter_stream(io.BytesIO(data)))


def hexlit(form: str, data: bytes) -> str:
    return f"{form}:" + ",".join(f"{b:02x}" for b in data)


def wrapped(name: str, literal: str, width: int = 80) -> str:
    """A value line as regedit writes it: hex data wrapped with a trailing backslash."""
    line = f"{name}={literal}"
    if not literal.startswith("hex") or len(line) <= width:
        return line
    head, _, data = line.partition(":")
    out, current = [], head + ":"
    items = data.split(",")
    for index, item in enumerate(items):
        piece = item + ("," if index < len(items) - 1 else "")
        if len(current) + len(piece) > width - 1:
            out.append(current + "\\")
            current = "  " + piece
        else:
            current += piece
    out.append(current)
    return "\r\n".join(out)


def typed_values(version: str) -> list[tuple[str, str, str, dict]]:
    """(value name as written, literal, the record value's text, what its slots must hold)."""
    enc = ENCODINGS[version]
    servers = ["cas01.example.com", "cas02.example.com", "Größe"]
    return [
        ('"Title"', '"Größe \\"quoted\\" C:\\\\Temp\\\\"', 'Größe "quoted" C:\\Temp\\', {"reg_type": "REG_SZ"}),
        ('"BatchSize"', "dword:000009c4", "2500", {"reg_type": "REG_DWORD", "number": 2500}),
        ('"Quota"', hexlit("hex(b)", (6 * 1024**3).to_bytes(8, "little")), str(6 * 1024**3),
         {"reg_type": "REG_QWORD", "number": 6 * 1024**3}),
        ('"Servers"', hexlit("hex(7)", "".join(s + "\0" for s in servers).encode(enc) + "\0".encode(enc)),
         "; ".join(servers), {"reg_type": "REG_MULTI_SZ", "items": servers}),
        ('"Path"', hexlit("hex(2)", "%ProgramFiles%\\Example\\bin\0".encode(enc)), "%ProgramFiles%\\Example\\bin",
         {"reg_type": "REG_EXPAND_SZ"}),
        ('"Blob"', hexlit("hex", bytes(range(40))), bytes(range(40)).hex(),
         {"reg_type": "REG_BINARY", "data": bytes(range(40)).hex(), "decoded": ""}),
        ('"Nothing"', "hex(0):", "", {"reg_type": "REG_NONE", "data": ""}),
        ('"LittleEndian"', hexlit("hex(4)", (500).to_bytes(4, "little")), "500", {"reg_type": "REG_DWORD", "number": 500}),
        ('"BigEndian"', hexlit("hex(5)", (500).to_bytes(4, "big")), "500",
         {"reg_type": "REG_DWORD_BIG_ENDIAN", "number": 500}),
        ('"Plain"', hexlit("hex(1)", "text stored as hex\0".encode(enc)), "text stored as hex", {"reg_type": "REG_SZ"}),
        ('"Link"', hexlit("hex(6)", "\\Registry\\Machine\\Software\0".encode(enc)), "\\Registry\\Machine\\Software",
         {"reg_type": "REG_LINK"}),
        ('"Resources"', hexlit("hex(8)", bytes([1, 0, 0, 0, 255])), "01000000ff",
         {"reg_type": "REG_RESOURCE_LIST", "data": "01000000ff"}),
        ("@", '"default value"', "default value", {"reg_type": "REG_SZ", "name": ""}),
    ]


def export(version: str, values) -> bytes:
    lines = [HEADERS[version], "", f"[{KEY}]"]
    lines += [wrapped(name, literal) for name, literal, _, _ in values]
    lines += ['"Obsolete"=-', "", r"[-HKEY_CURRENT_USER\Software\Example\Old]", ""]
    text = "\r\n".join(lines)
    if version == "5":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode("cp1252")


@pytest.mark.parametrize("version", ["5", "4"])
def test_every_value_type_decodes_and_renders_back(version):
    values = typed_values(version)
    key, old = reader.read(lines_of_bytes(export(version, values)))
    assert (key.shape, key.type_name, key.first_line) == ("reg", KEY, 3)
    found = {v.name: v for v in reader.reg_values(key)}
    for name, literal, text, expected in values:
        value = found[name.strip('"')]
        assert value.value == text, name
        slots = reader.value_slots(value)
        for slot, wanted in expected.items():
            assert slots.get(slot) == wanted, (name, slot)
        assert slots["literal"] == reader.normalise_literal(literal)
        assert slots["version"] == version and slots["deleted"] is False
        # Rebuilt from the decoded slots alone (not the raw bytes), the literal is the input's.
        typed = {k: v for k, v in slots.items() if k != "data" or expected["reg_type"] in (
            "REG_BINARY", "REG_NONE", "REG_RESOURCE_LIST")}
        rebuilt = reader.render_literal(typed, version=version, prefer_data=False)
        assert reader.normalise_literal(rebuilt) == reader.normalise_literal(literal), name


def starts(lines: list[tuple[int, str]], prefix: str) -> int:
    """The number of the line starting with ``prefix`` (found by looking, not by the reader)."""
    return next(number for number, text in lines if text.startswith(prefix))


@pytest.mark.parametrize("version", ["5", "4"])
def test_value_lines_are_the_lines_they_start_on(version):
    lines = lines_of_bytes(export(version, typed_values(version)))
    key, _ = reader.read(lines)
    assert key.line("Title") == 4 and key.text("Title").startswith('"Title"="Gr')
    # Servers and Blob are wrapped over several lines; each value points at its first line
    assert key.line("Servers") == 7 and key.text("Servers").endswith("\\")
    for name in ("Path", "Blob", "Nothing", "Resources"):
        assert key.line(name) == starts(lines, f'"{name}"='), name
    assert key.line("@") == starts(lines, "@=")
    assert starts(lines, '"Path"=') > 8  # the wrapping really pushed it down


@pytest.mark.parametrize("version", ["5", "4"])
def test_deleted_values_and_keys(version):
    lines = lines_of_bytes(export(version, typed_values(version)))
    key, old = reader.read(lines)
    obsolete = reader.value_slots(next(v for v in reader.reg_values(key) if v.name == "Obsolete"))
    assert obsolete["deleted"] is True and obsolete["value"] == ""
    assert reader.render_literal(obsolete) == "-"
    assert reader.key_path(old) == (r"HKEY_CURRENT_USER\Software\Example\Old", True)
    assert reader.key_path(key) == (KEY, False)
    assert len(old) == 0 and old.first_line == starts(lines, "[-HKEY_")


def test_multi_string_items():
    text = 'REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Example]\n"Servers"=hex(7):61,00,62,00,00\n'
    (key,) = reader.read(numbered(text))
    assert key.values("Servers") == ["a", "b"] and key.get("Servers") == "a; b"


def test_continued_value_points_at_its_first_line():
    text = ('Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Example]\n'
            '"Blob"=hex:01,02,\\\n  03,04\n"After"=dword:00000001\n')
    (key,) = reader.read(numbered(text))
    blob = reader.value_slots(reader.reg_values(key)[0])
    assert (key.line("Blob"), blob["data"]) == (4, "01020304")
    assert key.text("Blob") == '"Blob"=hex:01,02,\\'
    assert (key.line("After"), key.get("After")) == (6, "1")


def test_headerless_export_guesses_string_encoding():
    text = ('[HKEY_CURRENT_USER\\Software\\Example]\n'
            '"Wide"=hex(2):61,00,62,00,00,00\n"Narrow"=hex(2):61,62,00\n')
    (key,) = reader.read(numbered(text))
    assert (key.get("Wide"), key.get("Narrow")) == ("ab", "ab")
    assert reader.looks_like(text.splitlines())


def test_pasted_prompt_before_the_header_is_skipped():
    text = 'C:\\>reg export HKCU\\Software\\Example x.reg\nREGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\Example]\n"A"="b"\n'
    (key,) = reader.read(numbered(text))
    assert (key.get("A"), key.line("A")) == ("b", 5)


def test_binary_holding_text_is_decoded():
    """MAPI profiles keep strings as REG_BINARY (here UTF-16LE and ANSI)."""
    wide = "outlook.example.com\0".encode("utf-16-le")
    text = ("Windows Registry Editor Version 5.00\n\n"
            "[HKEY_CURRENT_USER\\Software\\Microsoft\\Office\\16.0\\Outlook\\Profiles\\Outlook\\13dbb0c8aa05101a9bb000aa002fc45a]\n"
            f'"001e6602"={hexlit("hex", wide)}\n"001e3001"={hexlit("hex", b"Microsoft Exchange" + bytes(1))}\n')
    (key,) = reader.read(numbered(text))
    values = {v.name: reader.value_slots(v) for v in reader.reg_values(key)}
    assert values["001e6602"]["decoded"] == "outlook.example.com"
    assert values["001e3001"]["decoded"] == "Microsoft Exchange"


def test_users_hive_splits_off_the_sid():
    text = 'REGEDIT4\n\n[HKEY_USERS\\S-1-5-21-1004\\Software\\Microsoft\\Transporter\\Preferences]\n"ImapFetchBatchSize"=dword:000001f4\n'
    (key,) = reader.read(numbered(text))
    assert reader.split_key(key.type_name) == ("HKU", "S-1-5-21-1004", "Software\\Microsoft\\Transporter\\Preferences")
    assert key.get("ImapFetchBatchSize") == "500"


def test_string_value_holding_line_breaks():
    text = 'REGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\Example]\n"Notes"="first line\r\nsecond line"\r\n"After"=dword:00000002\n'
    (key,) = reader.read(numbered(text))
    assert key.get("Notes") == "first line\nsecond line" and key.line("Notes") == 4
    assert key.line("After") == 6


def test_second_export_appended_switches_version():
    text = ("REGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\A]\n\"S\"=hex(2):61,62,00\n\n"
            "Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\Software\\B]\n\"S\"=hex(2):61,00,62,00,00,00\n")
    a, b = reader.read(numbered(text))
    assert (a.get("S"), b.get("S")) == ("ab", "ab")
    assert reader.value_slots(reader.reg_values(b)[0])["version"] == "5"


def test_bom_and_crlf_remnants():
    text = "\ufeffWindows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Software\\Example]\r\n\"A\"=\"b\"\r\n"
    (key,) = reader.read(numbered(text))
    assert (key.type_name, key.get("A"), key.text("A")) == (r"HKEY_CURRENT_USER\Software\Example", "b", '"A"="b"')


def test_empty_input_yields_nothing():
    assert list(reader.read([])) == []
    assert list(reader.read(numbered("REGEDIT4\n\n"))) == []


@pytest.mark.parametrize("text,message", [
    ('REGEDIT4\n"A"="b"\n', "line 2: value 'A' before any"),
    ('REGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\Example]\n"Notes"="never closed\n', "line 4: string value is not closed"),
    ('REGEDIT4\n\n[HKEY_CURRENT_USER\\Software\\Example]\n"Blob"=hex:zz,01\n', "line 4: value 'Blob': not hex"),
])
def test_malformed_input_raises_value_error_naming_the_line(text, message):
    with pytest.raises(ValueError, match=message):
        list(reader.read(numbered(text)))


@pytest.mark.parametrize("head,expected", [
    (["Windows Registry Editor Version 5.00"], True),
    (["\ufeffREGEDIT4\r"], True),
    (["PS C:\\> reg export HKLM\\SOFTWARE\\Example x.reg", "Windows Registry Editor Version 5.00"], True),
    (["[HKEY_LOCAL_MACHINE\\SOFTWARE\\Example]", '"A"=dword:00000001'], True),
    (["[HKEY_LOCAL_MACHINE\\SOFTWARE\\Example]"], False),
    (["[root@esx01:~] ls"], False),
    (['{"A": 1}'], False),
    ([], False),
])
def test_looks_like(head, expected):
    assert reader.looks_like(head) is expected


_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x24F, blacklist_categories=("Cc", "Cs")),
                max_size=30)


@settings(max_examples=60, deadline=None)
@given(value=_text, number=st.integers(0, 2**32 - 1), qword=st.integers(0, 2**64 - 1),
       items=st.lists(_text.filter(bool), max_size=4), blob=st.binary(max_size=60))
def test_rendered_values_read_back_to_themselves(value, number, qword, items, blob):
    slots_list = [
        {"form": "string", "value": value},
        {"form": "dword", "number": number},
        {"form": "hex(b)", "number": qword},
        {"form": "hex(7)", "items": items},
        {"form": "hex(2)", "value": value},
        {"form": "hex", "data": blob.hex()},
    ]
    lines = [HEADERS["5"], "", "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Example]"]
    lines += [wrapped(f'"v{i}"', reader.render_literal(s, prefer_data=False)) for i, s in enumerate(slots_list)]
    data = b"\xff\xfe" + "\r\n".join(lines).encode("utf-16-le")
    (key,) = reader.read(lines_of_bytes(data))
    slots = [reader.value_slots(v) for v in reader.reg_values(key)]
    assert slots[0]["value"] == value
    assert slots[1]["number"] == number
    assert slots[2]["number"] == qword
    assert slots[3]["items"] == items
    assert slots[4]["value"] == value
    assert slots[5]["data"] == blob.hex()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet='[]HKEY_\\"@=-:hexdword(7),01ab \r\ufeff', max_size=30), max_size=8))
def test_any_input_reads_or_raises_value_error(lines):
    try:
        for record in reader.read(list(enumerate(lines, start=1))):
            assert record.first_line >= 1
    except ValueError as exc:
        assert str(exc)
