"""A parser that fails costs only its artifact; parser and rule errors show in the report and the
JSON, and the exit code is 2 only when nothing could be diagnosed."""

import json

import pytest
from click.testing import CliRunner
from hostile_kit import LinePlugin

import hakb.diagnosis
from hakb import Fact, Parser, hookimpl
from hakb.cli import cli
from hakb.plugin_manager import get_plugin_manager


def exploding_parse(lines, artifact):
    for number, text in lines:
        if "boom" in text:
            raise KeyError("column 'State'")
        if "deep" in text:
            def recurse(n):
                return recurse(n + 1)
            recurse(0)
        if "wrong" in text:
            yield {"not": "a fact"}
        if "bad-slot" in text:
            yield Fact("test-line", {"name": "x", "value": 1, "surprise": "?"}, line=number, text=text)
        yield Fact("test-line", {"name": "ok", "value": text}, line=number, text=text)


class BrokenPlugin:
    @hookimpl
    def hakb_parsers(self):
        return [Parser("broken", lambda head: 50 if "BROKEN" in head.text else 0, exploding_parse)]


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "")
    pm = get_plugin_manager(extra=(LinePlugin(tmp_path / "pack"), BrokenPlugin()))
    monkeypatch.setattr(hakb.diagnosis, "get_plugin_manager", lambda: pm)

    def invoke(*files):
        paths = []
        for name, text in files:
            (tmp_path / name).write_text(text)
            paths.append(str(tmp_path / name))
        return CliRunner().invoke(cli, ["diagnose", "--no-save", "--format", "json", *paths])
    return invoke


def test_each_parser_failure_stays_with_its_artifact(run, tmp_path):
    result = run(("a.txt", "BROKEN\nboom\n"), ("b.txt", "BROKEN\ndeep\n"), ("c.txt", "BROKEN\nwrong\n"),
                 ("d.txt", "BROKEN\nbad-slot\n"), ("good.txt", "HAKB-TEST\nstate = stopped\n"))
    assert result.exit_code == 1, result.output  # the good file's warning finding
    report = json.loads(result.stdout)
    status = {a["path"].rsplit("/", 1)[-1]: (a["status"], a["parser"], a["message"]) for a in report["artifacts"]}
    assert status["a.txt"] == ("error", "broken", "parser failed: KeyError: \"column 'State'\"")
    assert status["b.txt"] == ("error", "broken", "parser failed: RecursionError")
    assert status["c.txt"] == ("error", "broken", "yielded dict, not a Fact")
    assert status["d.txt"][0] == "error" and "slots its schema lacks: surprise" in status["d.txt"][2]
    assert status["good.txt"] == ("parsed", "test-lines", None)
    assert [f["summary"] for f in report["findings"]] == ["state is stopped"]


def test_nothing_diagnosable_exits_2_with_one_line(run):
    result = run(("a.txt", "BROKEN\nboom\n"))
    assert result.exit_code == 2
    assert result.stderr.strip() == ("hakb: nothing could be diagnosed: no artifact was recognised "
                                     "(the report lists what was skipped and why)")
    report = json.loads(result.stdout)  # the report is still printed, with the reason
    assert report["artifacts"][0]["status"] == "error"


def test_text_report_lists_parser_errors(run, tmp_path):
    (tmp_path / "a.txt").write_text("BROKEN\nboom\n")
    (tmp_path / "good.txt").write_text("HAKB-TEST\nstate = stopped\n")
    result = CliRunner().invoke(cli, ["diagnose", "--no-save", str(tmp_path / "a.txt"), str(tmp_path / "good.txt")])
    assert "Problems:" in result.stdout
    assert f"- {tmp_path / 'a.txt'}: parser failed: KeyError" in result.stdout



def test_damaged_certificate_extension_is_a_parse_error(tmp_path):
    """Found by fuzzing: a certificate whose SAN extension is damaged raised ValueError."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from hakb import ParseError
    from hakb.plugin_manager import get_plugin_manager, parsers
    from hakb.testing import parse_bytes

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mail.example.com")])
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("mail.example.com")]), False)
            .sign(key, hashes.SHA256()))
    der = bytearray(cert.public_bytes(serialization.Encoding.DER))
    where = bytes(der).find(b"mail.example.com", len(der) // 2)
    der[where - 2] = 0x30  # the SAN's GeneralName tag turns into a SEQUENCE: unreadable
    parser = next(p for p in parsers(get_plugin_manager()) if p.name == "x509-certificate")
    try:
        parse_bytes(parser, bytes(der), name="damaged.cer")
    except ParseError:
        pass  # declared error: fine; any other exception fails the test
