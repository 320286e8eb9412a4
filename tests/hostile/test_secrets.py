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
from hakb.redact import MARK, PemFilter, redact_slots, redact_text

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


# -- one table per form of secret (issue 10's "redaction gaps"); each row: line, what it becomes --

def check(table):
    for line, expected in table:
        assert redact_text(line) == expected, line


@pytest.mark.parametrize("line, expected", [
    ('<add name="Db" connectionString="Server=db01;User ID=app;Password=C0nn;" providerName="x"/>',
     f'<add name="Db" connectionString="Server=db01;User ID=app;Password={MARK};" providerName="x"/>'),
    ('{"ConnectionStrings": {"Default": "Server=db01;User Id=sa;Password=C0nn;"}}',
     f'{{"ConnectionStrings": {{"Default": "Server=db01;User Id=sa;Password={MARK};"}}}}'),
    ('"ConnStr"="Data Source=db01;Password=C0nn;Encrypt=True"',
     f'"ConnStr"="Data Source=db01;Password={MARK};Encrypt=True"'),
    ("Data Source=db01;Password=two words;Encrypt=True", f"Data Source=db01;Password={MARK};Encrypt=True"),
    ("conn = 'Server=db01;Pwd=C0nn'", f"conn = 'Server=db01;Pwd={MARK}'"),
    ("Arguments=--password=C0nn", f"Arguments=--password={MARK}"),
    ('connectionString="Server=db01;Integrated Security=SSPI;"', 'connectionString="Server=db01;Integrated Security=SSPI;"'),
])
def test_quoted_connection_strings(line, expected):
    assert redact_text(line) == expected


@pytest.mark.parametrize("line, expected", [
    ('<add key="SmtpPassword" value="Sm7p!"/>', f'<add key="SmtpPassword" value="{MARK}"/>'),
    ("<add value='Sm7p!' key='Mail.Password' />", f"<add value='{MARK}' key='Mail.Password' />"),
    ('<param name="db.password" value="Sm7p!"></param>', f'<param name="db.password" value="{MARK}"></param>'),
    ('<add key="SmtpServer" value="mail01"/>', '<add key="SmtpServer" value="mail01"/>'),
    ('<add key="PasswordExpiryDays" value="30"/>', '<add key="PasswordExpiryDays" value="30"/>'),
])
def test_app_settings_keys_and_values(line, expected):
    assert redact_text(line) == expected


def test_app_settings_spanning_lines():
    text = '<add key="SmtpPassword"\n     value="Sm7p!" />'
    assert redact_text(text) == f'<add key="SmtpPassword"\n     value="{MARK}" />'


@pytest.mark.parametrize("name", ["VNC Password", "Smtp Pass", "Proxy Password"])
def test_registry_value_names_with_spaces_in_text_and_in_facts(name, tmp_path):
    from hakb.plugin_manager import fact_schemas, get_plugin_manager, parsers
    reg = tmp_path / "vnc.reg"
    reg.write_text("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\App]\r\n"
                   f'"{name}"="V3ncSecret"\r\n"{name} Hex"=hex:de,ad\r\n"Port"="5900"\r\n', encoding="utf-16")
    pm = get_plugin_manager()
    schemas = fact_schemas(pm)
    result = parse_artifact(Artifact(name="vnc.reg", path=reg), parsers(pm, schemas), schemas)
    assert result.status == "parsed" and result.parser == "regedit-export"
    values = {f.slots["name"]: f for f in result.facts if f.type == "registry-value"}
    secret = values[name]
    assert "V3ncSecret" not in repr(secret) and secret.slots["value"] == MARK
    assert secret.text == f'"{name}"="{MARK}"'
    assert values["Port"].slots["value"] == "5900"  # a setting beside it stays


def test_sentences_about_passwords_are_not_secret_names():
    slots = redact_slots({"message": "The password for user bob was changed by the administrator",
                          "value": "bob"})
    assert slots["value"] == "bob"


@pytest.mark.parametrize("line, expected", [
    ('$s = ConvertTo-SecureString -AsPlainText -Force -String "P@ss"',
     f'$s = ConvertTo-SecureString -AsPlainText -Force -String "{MARK}"'),
    ("ConvertTo-SecureString 'P@ss' -AsPlainText -Force", f"ConvertTo-SecureString '{MARK}' -AsPlainText -Force"),
    ("ConvertTo-SecureString P@ss -AsPlainText -Force", f"ConvertTo-SecureString {MARK} -AsPlainText -Force"),
    ('ConvertTo-SecureString -String:"P@ss" -AsPlainText', f'ConvertTo-SecureString -String:"{MARK}" -AsPlainText'),
    ('"P@ss" | ConvertTo-SecureString -AsPlainText -Force', f'"{MARK}" | ConvertTo-SecureString -AsPlainText -Force'),
    ("ConvertTo-SecureString $plain -AsPlainText -Force", "ConvertTo-SecureString $plain -AsPlainText -Force"),
])
def test_convertto_securestring(line, expected):
    assert redact_text(line) == expected


@pytest.mark.parametrize("line, expected", [
    ("https://svc:pa/ss@w0rd@backup.example/api", f"https://svc:{MARK}@backup.example/api"),
    ("ftp://bob:s3@cr3t@ftp.example:21/in", f"ftp://bob:{MARK}@ftp.example:21/in"),
    ("mongodb://app:p/w@db01,db02/x", f"mongodb://app:{MARK}@db01,db02/x"),
    ('url="https://u:p@ss@h.example"', f'url="https://u:{MARK}@h.example"'),
    ("https://u:pw@host/users/@me", f"https://u:{MARK}@host/users/@me"),
    ("https://host.example:8443/path/a@b", "https://host.example:8443/path/a@b"),
    ("ssh://git@host:22/repo", "ssh://git@host:22/repo"),
])
def test_url_passwords_with_slashes_and_ats(line, expected):
    assert redact_text(line) == expected


@pytest.mark.parametrize("line, expected", [
    ("BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2019-02-02&ss=b&sig=Ab%2Fc%3D",
     f"BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature={MARK}"),
    ("https://a.blob.core.windows.net/c/b.vhd?sv=2020-08-04&sp=r&sig=Ab%2Fc%3D&se=2026",
     f"https://a.blob.core.windows.net/c/b.vhd?sv=2020-08-04&sp=r&sig={MARK}&se=2026"),
    ("Authorization: SharedAccessSignature sr=x&sig=Abc&se=1", f"Authorization: {MARK}"),
    ("sb header = SharedAccessSignature sr=sb%3A%2F%2Fns&sig=Abc&se=1&skn=Root",
     f"sb header = SharedAccessSignature {MARK}"),
    ("SharedAccessSignature is not valid", "SharedAccessSignature is not valid"),
])
def test_azure_shared_access_signatures(line, expected):
    assert redact_text(line) == expected


PGP = """-----BEGIN PGP PRIVATE KEY BLOCK-----
Version: GnuPG v2

lQOYBGPgpPrIvAtEbOdY
=x8Qz
-----END PGP PRIVATE KEY BLOCK-----"""
PUTTY = """PuTTY-User-Key-File-3: ssh-ed25519
Encryption: none
Comment: key-20260101
Public-Lines: 2
AAAAC3NzaC1lZDI1NTE5AAAAIPuBlIc
AAAApUbLiC2
Private-Lines: 2
AAAAIPrIvAtEoNe
AAAAPrIvAtEtWo
Private-MAC: 4f2a8e9bMaC"""


@pytest.mark.parametrize("text, kept, hidden", [
    (PGP, ["-----BEGIN PGP PRIVATE KEY BLOCK-----", "-----END PGP PRIVATE KEY BLOCK-----"],
     ["GnuPG", "lQOYBGPgpPrIvAtEbOdY", "x8Qz"]),
    (PUTTY, ["PuTTY-User-Key-File-3: ssh-ed25519", "Public-Lines: 2", "AAAAC3NzaC1lZDI1NTE5AAAAIPuBlIc",
             "Private-Lines: 2", "Private-MAC: "], ["PrIvAtEoNe", "PrIvAtEtWo", "4f2a8e9bMaC"]),
])
def test_pgp_and_putty_private_keys_in_text_and_in_streams(text, kept, hidden):
    as_text = redact_text(text)
    streamed = "\n".join(line for _, line in PemFilter(enumerate(text.split("\n"), start=1)))
    for result in (as_text, streamed):
        assert all(k in result for k in kept), result
        assert not any(h in result for h in hidden), result
    assert [n for n, _ in PemFilter(enumerate(text.split("\n"), start=1))] == \
        list(range(1, text.count("\n") + 2))  # line numbers survive


@pytest.mark.parametrize("line, expected", [
    ("net use \\\\srv\\share N3tPw /user:CORP\\bob", f"net use \\\\srv\\share {MARK} /user:CORP\\bob"),
    ("net use Z: \\\\srv\\share /user:CORP\\bob N3tPw /persistent:no",
     f"net use Z: \\\\srv\\share /user:CORP\\bob {MARK} /persistent:no"),
    ('NET USE \\\\srv\\share "N3t Pw" /user:bob', f'NET USE \\\\srv\\share "{MARK}" /user:bob'),
    ("net use \\\\srv\\share * /user:bob", "net use \\\\srv\\share * /user:bob"),
    ("net use Z: \\\\srv\\share", "net use Z: \\\\srv\\share"),
    ("net user svc_backup N3tPw /add /domain", f"net user svc_backup {MARK} /add /domain"),
    ("net user svc_backup /domain", "net user svc_backup /domain"),
    ("net view \\\\srv", "net view \\\\srv"),
])
def test_net_use_and_net_user_passwords(line, expected):
    assert redact_text(line) == expected


@pytest.mark.parametrize("line, expected", [
    ("mysql -u root -pMy5ql db", f"mysql -u root -p{MARK} db"),
    ("/usr/bin/mysqldump -uroot -p'My 5ql' --all-databases > all.sql",
     f"/usr/bin/mysqldump -uroot -p'{MARK}' --all-databases > all.sql"),
    ("mysql -u root -p db", "mysql -u root -p db"),  # -p alone prompts; db is the database
    ("mysql -h db01 -P 3306 -u app", "mysql -h db01 -P 3306 -u app"),
    ("mysqladmin -pMy5ql status; ls -p", f"mysqladmin -p{MARK} status; ls -p"),
])
def test_mysql_attached_passwords(line, expected):
    assert redact_text(line) == expected


@pytest.mark.parametrize("line, expected", [
    ("sshpass -p Ssh9ass ssh root@esx01", f"sshpass -p {MARK} ssh root@esx01"),
    ("sshpass -pSsh9ass scp a root@esx01:/tmp", f"sshpass -p{MARK} scp a root@esx01:/tmp"),
    ("sshpass -f /root/.pw ssh root@esx01", "sshpass -f /root/.pw ssh root@esx01"),
    ("PsExec64.exe \\\\web01 -u CORP\\adm -p Ps3xec cmd", f"PsExec64.exe \\\\web01 -u CORP\\adm -p {MARK} cmd"),
    ('sqlcmd -S db01 -U sa -P Sq1cmd -Q "select 1"', f'sqlcmd -S db01 -U sa -P {MARK} -Q "select 1"'),
    ("curl -u admin:Cu7l https://x", f"curl -u admin:{MARK} https://x"),
    ("smbclient //srv/share -U bob%Smb9", f"smbclient //srv/share -U bob%{MARK}"),
    ("ssh -p 2222 root@esx01", "ssh -p 2222 root@esx01"),
])
def test_sshpass_and_other_command_line_passwords(line, expected):
    assert redact_text(line) == expected


JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"


@pytest.mark.parametrize("line, expected", [
    (f"refresh with {JWT} failed", f"refresh with {MARK} failed"),
    (f'{{"id_token": "{JWT}"}}', f'{{"id_token": "{MARK}"}}'),
    (f"jwt={JWT}&x=1", f"jwt={MARK}&x=1"),
    ("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", MARK),  # unsigned, still a token
    ("eyJustAWord.in.a.sentence", "eyJustAWord.in.a.sentence"),
])
def test_bare_json_web_tokens(line, expected):
    assert redact_text(line) == expected


def test_key_filters_hold_when_only_the_marker_lines_and_some_others_are_passed():
    """A reader may pass a parser only the lines it asks for, plus the key markers: the private
    lines stay hidden even when one of them is among those passed."""
    numbered = list(enumerate(PUTTY.split("\n"), start=1)) + \
        list(enumerate(PGP.split("\n"), start=100))
    from hakb.redact import KEY_MARKERS
    selected = [(n, line) for n, line in numbered
                if any(m in line for m in KEY_MARKERS) or "PrIvAtEtWo" in line or "lQOY" in line]
    passed = dict(PemFilter(selected))
    assert "PrIvAtEtWo" not in " ".join(passed.values()) and "lQOY" not in " ".join(passed.values())
    assert passed[1] == "PuTTY-User-Key-File-3: ssh-ed25519" and passed[9] == MARK
