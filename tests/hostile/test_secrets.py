"""Secrets in a bundle never reach the case database, a report, an export or the terminal."""

import json
import sqlite3
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile_kit import LINE_SCHEMA, line_plugin_manager

import hakb.diagnosis
from hakb import Fact, ParseError, Parser
from hakb.cli import cli
from hakb.model import Artifact
from hakb.parsing import parse_artifact
from hakb.redact import MARK, redact_slots, redact_text

SECRETS = {
    "registry password": "Winter2024!secret",
    "ini password": "Tr0ub4dor&3",
    "connection string password": "C0nnP@ss",
    "bearer token": "eyJhbGciOiJIUzI1NiJ9",
    "cookie": "52cookieValue",
    "set-cookie": "SESSIONxyz987",
    "private key body": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    "private key last line": "QUFBQUFBQUFB",
    "yaml token": "ghp_abcdefTOKEN123",
    "url password": "UrlS3cret",
    "xml secret": "XmlHidden42",
}

FILES = {
    "winlogon.reg": """\
        HAKB-TEST
        Windows Registry Editor Version 5.00

        [HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon]
        "AutoAdminLogon"="1"
        "DefaultUserName"="kiosk"
        "DefaultPassword"="Winter2024!secret"
        "MaxTokenSize"=dword:0000ffff
        """,
    "app.ini": """\
        HAKB-TEST
        [database]
        server = db01.lab.example
        password = Tr0ub4dor&3
        connection = Server=db01;User ID=app;Password=C0nnP@ss;Encrypt=true
        backup_url = https://svc:UrlS3cret@backup.lab.example/api
        """,
    "capture.txt": """\
        HAKB-TEST
        GET /sdk HTTP/1.1
        Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig
        Cookie: vmware_soap_session="52cookieValue"
        Set-Cookie: session=SESSIONxyz987; Path=/; HttpOnly
        status: 200
        """,
    "server.pem": """\
        HAKB-TEST
        -----BEGIN CERTIFICATE-----
        MIIBszCCAVmgAwIBAgIUDGVydGlmaWNhdGUtYm9keQ
        -----END CERTIFICATE-----
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
        QUFBQUFBQUFB
        -----END PRIVATE KEY-----
        """,
    "settings.yaml": """\
        HAKB-TEST
        github:
          api_token: ghp_abcdefTOKEN123
          owner: ops
        service: <config><password>XmlHidden42</password><port>443</port></config>
        """,
}


@pytest.fixture
def bundle(tmp_path):
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(textwrap.dedent(text))
    return folder


@pytest.fixture
def hakb_run(tmp_path, monkeypatch):
    """Runs the CLI in-process with only the test line parser and its pack."""
    monkeypatch.setenv("HAKB_LOAD_PLUGINS", "")
    pm = line_plugin_manager(tmp_path / "pack")
    monkeypatch.setattr(hakb.diagnosis, "get_plugin_manager", lambda: pm)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(cli, list(args), catch_exceptions=False)
    return run


def leaked(text: str) -> list[str]:
    return [what for what, secret in SECRETS.items() if secret in text]


def database_text(db: Path) -> str:
    """Every row of every table, and the raw bytes of the database and its WAL."""
    conn = sqlite3.connect(db)
    dump = "\n".join(conn.iterdump())
    conn.close()
    raw = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    return dump + raw.decode("latin-1")


def test_secrets_are_absent_from_output_database_and_export(bundle, tmp_path, hakb_run):
    db = tmp_path / "cases.db"
    as_json = hakb_run("diagnose", "--db", str(db), "--fail-on", "never", "--format", "json", str(bundle))
    as_text = hakb_run("diagnose", "--db", str(db), "--fail-on", "never", str(bundle))
    assert as_json.exit_code == 0 and as_text.exit_code == 0
    report = json.loads(as_json.stdout)
    case_id = report["case_id"]
    shown = hakb_run("show", "--db", str(db), case_id)
    facts = hakb_run("show", "--db", str(db), "--facts", case_id)
    exported = hakb_run("export", "--db", str(db), case_id)
    parsed = hakb_run("parse", str(bundle))
    for name, result in [("json", as_json), ("text", as_text), ("show", shown), ("facts", facts),
                         ("export", exported), ("parse", parsed)]:
        assert leaked(result.output) == [], name
        assert leaked(result.stderr if result.stderr_bytes else "") == [], name
    assert leaked(database_text(db)) == []

    # Redaction removes the secret, not the fact: the lines are there, marked.
    findings = {f["key"]: f for f in report["findings"]}
    assert findings["DefaultPassword"]["summary"] == f"DefaultPassword is {MARK}"
    assert findings["password"]["evidence"][0]["text"] == f"password = {MARK}"
    assert findings["connection"]["summary"] == \
        f"connection is Server=db01;User ID=app;Password={MARK};Encrypt=true"
    assert findings["Authorization"]["evidence"][0]["text"] == f"Authorization: {MARK}"
    # Settings about secrets and ordinary values stay readable.
    assert findings["AutoAdminLogon"]["summary"] == 'AutoAdminLogon is "1"'
    assert findings["MaxTokenSize"]["summary"] == "MaxTokenSize is dword:0000ffff"
    assert findings["server"]["summary"] == "server is db01.lab.example"
    assert findings["status"]["summary"] == "status is 200"
    stored = [json.loads(line) for line in facts.stdout.splitlines()]
    pem = [f for f in stored if f["artifact"].endswith("server.pem")]
    assert [f["text"] for f in pem] == [
        "-----BEGIN CERTIFICATE-----", "MIIBszCCAVmgAwIBAgIUDGVydGlmaWNhdGUtYm9keQ",
        "-----END CERTIFICATE-----", "-----BEGIN PRIVATE KEY-----", MARK, MARK, "-----END PRIVATE KEY-----"]


def test_fact_values_are_redacted_whatever_the_parser_puts_in_them(tmp_path):
    def recognise(head):
        return 100

    def parse(lines, artifact):
        for number, text in lines:
            yield Fact("test-line", {"name": "DefaultPassword", "value": text}, line=number, text=text)
            yield Fact("test-line", {"name": "blob", "value": "-----BEGIN RSA PRIVATE KEY-----\nQUJD\n"
                                     "-----END RSA PRIVATE KEY-----"}, line=number, text="key in a value")

    leaky = Parser("leaky", recognise, parse)
    path = tmp_path / "x.txt"
    path.write_text("hunter2-value\n")
    result = parse_artifact(Artifact(name="x.txt", path=path), [leaky], {"test-line": LINE_SCHEMA})
    first, second = result.facts
    assert first.slots == {"name": "DefaultPassword", "value": MARK}
    assert second.slots["value"] == f"-----BEGIN RSA PRIVATE KEY-----{MARK}-----END RSA PRIVATE KEY-----"


def test_parser_error_messages_are_redacted(tmp_path):
    def parse(lines, artifact):
        for number, text in lines:
            raise ParseError(f"line {number}: cannot read {text!r}")
    path = tmp_path / "cfg.txt"
    path.write_text("password=OopsLeaked1\n")
    strict = Parser("strict", lambda head: 100, parse)
    result = parse_artifact(Artifact(name="cfg.txt", path=path), [strict], {})
    assert result.status == "error" and "OopsLeaked1" not in result.message and MARK in result.message


@pytest.mark.parametrize("line, expected", [
    ('"DefaultPassword"="x y z"', f'"DefaultPassword"="{MARK}"'),
    ('"ClientSecret"=hex:01,02,03', f'"ClientSecret"={MARK}'),
    ('"PasswordExpiryWarning"=dword:0000000e', '"PasswordExpiryWarning"=dword:0000000e'),
    ("Proxy-Authorization: Basic dXNlcjpwYXNz", f"Proxy-Authorization: {MARK}"),
    ("X-Api-Key: 1234567890abcdef", f"X-Api-Key: {MARK}"),
    ("esxcli --server esx01 --password 'hunter 2' --username root",
     f"esxcli --server esx01 --password '{MARK}' --username root"),
    ("net use \\\\srv\\share /user:CORP\\bob pwd=abc123", f"net use \\\\srv\\share /user:CORP\\bob pwd={MARK}"),
    ('$s = ConvertTo-SecureString -String "P@ss" -AsPlainText -Force',
     f'$s = ConvertTo-SecureString -String "{MARK}" -AsPlainText -Force'),
    ('$pw = "P@ss"', f'$pw = "{MARK}"'),
    ("AccountKey=abc/def==;EndpointSuffix=core.windows.net", f"AccountKey={MARK};EndpointSuffix=core.windows.net"),
    ("password:", "password:"),
    ("Password never expires: Yes", "Password never expires: Yes"),
    ("2026-11-20T09:14:57Z info hostd[1] [Originator@6876 sub=Vimsvc user=vpxuser] Token refreshed",
     "2026-11-20T09:14:57Z info hostd[1] [Originator@6876 sub=Vimsvc user=vpxuser] Token refreshed"),
])
def test_redaction_rules(line, expected):
    assert redact_text(line) == expected


def test_slot_names_that_say_secret_are_emptied_but_numbers_stay():
    slots = redact_slots({"password": "x", "password_age_days": 12, "token_count": "3",
                          "items": ["a", "password=b"], "enabled": True})
    assert slots == {"password": MARK, "password_age_days": 12, "token_count": "3",
                     "items": ["a", f"password={MARK}"], "enabled": True}
