"""A secret planted in any slot of any fact type, in any form redaction knows, reaches no output.

Each example plants one secret (drawn by hypothesis) into every text and list slot of every fact
type the installed plugins declare, and into the evidence line, cycling through the forms of
:data:`FORMS` so every form lands in many slots and every slot meets a different form from one
example to the next. The facts come in as a facts file, so they travel the real path: reading,
redaction, the engine, findings, the store. A test pack turns every planted fact into a finding
that shows the value, so nothing is left unrendered. Then the secret is looked for in everything
hakb can give back: stdout of ``diagnose`` (text and JSON), every format of
:data:`hakb.report.FORMATS` (so a format added there is covered without touching this test),
``show`` in each format, ``show --facts``, ``export`` (plain and anonymized), and the database:
every table's rows and the raw bytes of the file, its -wal and -shm.

A canary word stands in each form outside the secret part; it must reach every output, which
proves the planted values do arrive there (a test that never rendered them could not fail).
"""

from __future__ import annotations

import json
import sqlite3
import string
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import hakb.diagnosis
from hakb import KnowledgePack, hookimpl, report
from hakb.cli import cli
from hakb.plugin_manager import fact_schemas, get_plugin_manager

CANARY = "Kanarienvogel"

#: Every form of secret redaction promises to catch; {s} is the secret, {c} the canary.
FORMS = [
    "{c} password={s}",
    '{c} connectionString="Server=db01;User ID=app;Password={s};"',
    '{c} {{"ConnectionStrings": {{"Db": "Server=db01;Password={s};"}}}}',
    '{c} <add key="SmtpPassword" value="{s}"/>',
    '"VNC Password"="{s}" {c}',
    '{c} $p = ConvertTo-SecureString -AsPlainText -Force -String "{s}"',
    "{c} https://svc:{s}/x@y@backup.example/api",
    "{c} BlobEndpoint=https://a.blob.core.windows.net/;SharedAccessSignature=sv=2019-02-02&sig={s}",
    "{c} https://a.blob.core.windows.net/c/b?sv=2020-08-04&sig={s}&sp=r",
    "{c}\n-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOY{s}\n-----END PGP PRIVATE KEY BLOCK-----",
    "{c}\n-----BEGIN RSA PRIVATE KEY-----\nMIIE{s}\n-----END RSA PRIVATE KEY-----",
    "PuTTY-User-Key-File-3: ssh-ed25519\nComment: {c}\nPrivate-Lines: 1\nAAAA{s}\nPrivate-MAC: 00ff",
    "{c} net use \\\\srv\\share {s} /user:CORP\\bob",
    "{c} mysql -u root -p{s} inventory",
    "{c} sshpass -p {s} ssh root@esx01",
    "{c} jwt eyJhbGciOiJIUzI1NiJ9.eyJ{s}.c2lnbmF0dXJl",
    "{c} Authorization: Bearer {s}",
]

PLANTED_ARTICLE = """---
id: test-planted
title: A planted value
severity: warning
summary: "{{ value }}"
---
## Fix
1. Look at {{ value }} and {{ where }}.
"""


def planted_slots() -> list[tuple[str, str, str]]:
    """(fact type, slot, kind) for every text and list slot of every fact type in play."""
    schemas = fact_schemas(get_plugin_manager())
    return [(name, slot, kind) for name, schema in sorted(schemas.items())
            for slot, kind in schema.slots.items() if kind in ("str", "list")]


SLOTS = planted_slots()


def planted_rules() -> str:
    """One rule per slot: a fact with something in it becomes a finding that shows it."""
    rules = []
    for number, (fact_type, slot, kind) in enumerate(SLOTS):
        if kind == "list":
            pattern, value = f"({slot} $?v&:(> (length$ ?v) 0))", "(implode$ ?v)"
        else:
            pattern, value = f'({slot} ?v&:(stringp ?v)&:(neq ?v ""))', "?v"
        rules.append(f"""
            (defrule test-planted-{number}
              ?f <- ({fact_type} {pattern})
              =>
              (assert (hakb-finding (id "test-planted") (key "{fact_type}.{slot}") (evidence ?f)
                                    (vars value {value} where "{fact_type}.{slot}"))))""")
    return "\n".join(rules)


class PlantedPack:
    """Test plugin: the pack that shows every planted value as a finding."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "test-planted.clp").write_text(planted_rules())
        (folder / "test-planted.md").write_text(PLANTED_ARTICLE)
        self.pack = KnowledgePack("test-planted", folder)

    @hookimpl
    def hakb_knowledge_packs(self):
        return [self.pack]


@pytest.fixture(scope="module")
def planted_pm(tmp_path_factory):
    return get_plugin_manager(extra=(PlantedPack(tmp_path_factory.mktemp("planted-pack")),))


def facts_file(path: Path, secret: str, offset: int) -> None:
    """Every slot planted with a form (cycling through FORMS from ``offset``), as JSON lines."""
    with open(path, "w", encoding="utf-8") as out:
        for number, (fact_type, slot, kind) in enumerate(SLOTS):
            text = FORMS[(offset + number) % len(FORMS)].format(s=secret, c=CANARY)
            value = [text] if kind == "list" else text
            out.write(json.dumps({"type": fact_type, "host": "esx01", "slots": {slot: value},
                                  "text": text}) + "\n")


def database_text(db: Path) -> str:
    """Every row of every table, and the raw bytes of the database, its -wal and its -shm."""
    conn = sqlite3.connect(db)
    dump = "\n".join(conn.iterdump())
    conn.close()
    raw = b"".join(p.read_bytes() for p in sorted(db.parent.glob(db.name + "*")))
    return dump + "\n" + raw.decode("latin-1")


SECRET = st.text(alphabet=string.ascii_letters + string.digits, min_size=10, max_size=20).map(
    lambda core: f"Zx{core}Q7")


def format_choices(command: str) -> list[str]:
    """The formats a CLI command accepts (``show --format``), as its help lists them."""
    [option] = [p for p in cli.get_command(click.Context(cli), command).params if p.name == "fmt"]
    return list(option.type.choices)


# Each example is a whole diagnosis with ~340 findings (seconds); a failure is reported as found, without shrinking.
@settings(max_examples=3, deadline=None, database=None, derandomize=True,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(secret=SECRET, offset=st.integers(min_value=0, max_value=len(FORMS) - 1))
def test_a_planted_secret_reaches_no_output(secret, offset, planted_pm, tmp_path_factory, monkeypatch):
    folder = tmp_path_factory.mktemp("case")
    planted = folder / "planted.jsonl"
    facts_file(planted, secret, offset)
    db = folder / "cases.db"
    monkeypatch.setattr(hakb.diagnosis, "get_plugin_manager", lambda: planted_pm)
    runner = CliRunner()

    def run(*args: str):
        result = runner.invoke(cli, list(args), catch_exceptions=False)
        assert "internal error" not in result.output, result.output
        return result

    as_json = run("diagnose", "--db", str(db), "--fail-on", "never", "--format", "json", str(planted))
    case = json.loads(as_json.stdout)
    assert [a["status"] for a in case["artifacts"]] == ["parsed"], case["artifacts"]
    assert len([f for f in case["findings"] if f["id"] == "test-planted"]) == len(SLOTS)

    outputs = {"diagnose json": as_json.output,
               "diagnose text": run("diagnose", "--db", str(db), "--fail-on", "never", str(planted)).output}
    for name, render in report.FORMATS.items():
        outputs[f"report {name}"] = render(case)
    for name in format_choices("show"):
        outputs[f"show {name}"] = run("show", "--db", str(db), "--format", name, case["case_id"]).output
    outputs["show --facts"] = run("show", "--db", str(db), "--facts", case["case_id"]).output
    outputs["export"] = run("export", "--db", str(db), case["case_id"]).output
    outputs["export --anonymize"] = run("export", "--db", str(db), "--anonymize", case["case_id"]).output
    outputs["database"] = database_text(db)

    leaked = [name for name, text in outputs.items() if secret in text]
    assert leaked == [], f"{secret} reached {leaked}"
    unseen = [name for name, text in outputs.items() if CANARY not in text]
    assert unseen == [], f"the planted values never reached {unseen}"
