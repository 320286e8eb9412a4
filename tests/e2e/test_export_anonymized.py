"""`hakb export --anonymize` loses the local folder names around a bundle, domain accounts and
UPNs: a customer's name planted in the ticket folder and in account names is gone from the
whole export, while the bundle's own layout still reads."""

import json
import re
import shutil

from bundles import example
from click.testing import CliRunner

from hakb.cli import cli

CUSTOMER = "acmebank"


def planted_bundle(tmp_path):
    """The locked-disk example inside tickets/INC0042-acmebank/, its hostd.log's accounts moved
    to the customer's domain (VSPHERE.LOCAL\\svc-backup -> ACMEBANK.LOCAL\\svc-acmebank) and
    a UPN added (faked from the real example; only names changed)."""
    bundle = tmp_path / "tickets" / f"INC0042-{CUSTOMER}" / "locked-vmdk"
    shutil.copytree(example("locked-vmdk"), bundle)
    hostd = next(bundle.glob("esx-*/var/run/log/hostd.log"))
    text = hostd.read_text()
    text = text.replace("VSPHERE.LOCAL\\Administrator", "ACMEBANK.LOCAL\\Administrator")
    text = text.replace("VSPHERE.LOCAL\\svc-backup", f"{CUSTOMER.upper()}\\svc-{CUSTOMER}")
    text = text.replace("user=vpxuser:", f"user=admin@{CUSTOMER}.local:", 1)
    hostd.write_text(text)
    return bundle


def test_customer_name_in_folders_and_accounts_is_gone_from_the_whole_export(tmp_path):
    bundle = planted_bundle(tmp_path)
    db = tmp_path / "cases.db"
    runner = CliRunner()
    made = runner.invoke(cli, ["diagnose", "--db", str(db), "--format", "json", str(bundle)])
    plain = runner.invoke(cli, ["export", "--db", str(db), "latest"]).stdout
    assert plain.lower().count(CUSTOMER) > 20, "the planted name should be all over the plain export"
    assert made.exit_code == 1
    mapping = tmp_path / "map.json"
    result = runner.invoke(cli, ["export", "--db", str(db), "latest", "--anonymize", "--map", str(mapping)])
    assert result.exit_code == 0, result.output
    exported = result.stdout
    assert CUSTOMER not in exported.lower()
    assert "INC0042" not in exported
    data = json.loads(exported)
    # The bundle's layout still reads; the local folders became pseudonyms.
    hostd = [a["path"] for a in data["artifacts"] if a["path"].endswith("hostd.log")][0]
    assert re.search(r"/tickets/folder-\d+/folder-\d+/esx-host-\d+\.domain-\d+\.example-2026-11-20--09\.15-12345"
                     r"/var/run/log/hostd\.log$", hostd), hostd
    assert any(re.search(r"domain-\d+\.example\\Administrator", f["text"] or "") for f in data["facts"])
    assert "VSPHERE" not in exported and "ACMEBANK" not in exported
    kept = json.loads(mapping.read_text())
    assert f"inc0042-{CUSTOMER}" in kept["folders"]
    # The diagnosis still reads: the holder is a pseudonymous host.
    assert re.search(r"locked exclusively by host-\d+", data["findings"][0]["summary"])


def test_well_known_account_names_stay_but_their_domain_goes():
    from hakb.anonymize import Anonymizer

    a = Anonymizer()
    assert a.text("user=vpxuser:VSPHERE.LOCAL\\Administrator") == "user=vpxuser:domain-1.example\\Administrator"
    assert a.text("by CORP\\Administrator") == "by DOMAIN-1\\Administrator"
    assert a.text("NT AUTHORITY\\SYSTEM and HKLM\\Software") == "NT AUTHORITY\\SYSTEM and HKLM\\Software"
    assert a.text("upn administrator@corp.example.com") == "upn administrator@domain-2.example"
