"""`hakb triage` as an engineer uses it: the real command in a real terminal (a pty, via pexpect)."""

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest
from triagekit import HOLDER_SUMMARY, LISTINGS, MOUNTING, RIGHT_DISK, SESSION, TRANSPORTER, partial_locked_vmdk

from hakb.store import Store

HAKB = str(Path(sys.executable).with_name("hakb"))


def spawn(*args):
    env = dict(os.environ, NO_COLOR="1", COLUMNS="200")
    child = pexpect.spawn(HAKB, ["triage", *args], env=env, encoding="utf-8", timeout=90,
                          dimensions=(60, 200))
    return child


def paste(child, path: Path, end=".") -> None:
    for line in path.read_text().splitlines():
        child.sendline(line)
    child.sendline(end)


def case_of(child) -> str:
    child.expect(r"hakb triage · case (\S+)")
    return child.match.group(1)


def test_a_scripted_session_on_a_partial_bundle_ends_naming_the_holder(tmp_path):
    child = spawn(str(partial_locked_vmdk(tmp_path)))
    case = case_of(child)
    child.expect("confidence 0.60")  # the finding so far, before anything was pasted
    child.expect("Run on esx01.lab.example:")
    child.expect_exact(RIGHT_DISK)
    child.expect_exact("paste> ")
    child.sendline("?")
    child.expect_exact("Why: rule vmware-locked-vmdk could not decide which host holds the lock")
    child.expect_exact("paste> ")
    paste(child, SESSION)
    child.expect_exact("paste:1: read by vmware-vmkfstools")
    child.expect_exact("Which ESXi hosts mount ds-prod-01?")
    child.expect_exact("answer> ")
    child.sendline("back")  # take the paste back: the lock dump is asked for again
    child.expect_exact("paste:1 taken back.")
    child.expect_exact(RIGHT_DISK)
    child.expect_exact("paste> ")
    child.sendline(f"@{SESSION}")
    child.expect_exact("paste:1: read by vmware-vmkfstools")
    child.expect_exact("answer> ")
    child.sendline(MOUNTING)
    child.expect_exact("Run on esx02:")
    child.expect_exact("esxcfg-nics -l")
    child.expect_exact("paste> ")
    paste(child, LISTINGS["esx02"])
    child.expect_exact("Run on esx03:")
    child.expect_exact("paste> ")
    for line in LISTINGS["esx03"].read_text().splitlines():
        child.sendline(line)
    child.sendeof()  # Ctrl-D ends a paste too
    child.expect_exact(HOLDER_SUMMARY)
    child.expect_exact("ls -lh /vmfs/volumes/ds-prod-01/app01/")  # the snapshot chain's question
    child.expect_exact("paste> ")
    child.sendline("skip")
    child.expect_exact("Every check is decided.")
    child.expect_exact(f"Case {case} saved with 4 answer(s)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1  # an error-level finding, as hakb diagnose would exit

    store = Store(Path(os.environ["HAKB_DB"]))
    report = store.report(case)
    assert HOLDER_SUMMARY in report["findings"][0]["summary"]
    kinds = [(a["number"], a["kind"], a["via"]) for a in store.triage(case)["answers"]]
    assert kinds == [(1, "paste", "terminal"), (2, "ask", "terminal"), (3, "paste", "terminal"),
                     (4, "paste", "terminal")]


def test_ctrl_c_keeps_what_was_answered_and_resume_goes_on(tmp_path):
    child = spawn(str(partial_locked_vmdk(tmp_path)))
    case = case_of(child)
    child.expect_exact("paste> ")
    paste(child, SESSION)
    child.expect_exact("answer> ")
    child.sendintr()
    child.expect_exact(f"interrupted; 1 answer(s) kept in case {case}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130 or child.signalstatus is not None

    resumed = spawn("--resume", case)
    assert case_of(resumed) == case
    resumed.expect_exact("Which ESXi hosts mount ds-prod-01?")  # the dump is not asked again
    resumed.expect_exact("answer> ")
    resumed.sendline("stop")
    resumed.expect(pexpect.EOF)


def test_the_ticket_words_lead_to_the_transporter_questions(tmp_path):
    child = spawn("--symptom", "Transporter FETCH parse error")
    child.expect_exact('Candidate faults for "Transporter FETCH parse error":')
    child.expect(r"1\. Transporter Suite IMAP migration fails")
    child.expect_exact("reg export HKCU\\Software\\Microsoft\\Transporter\\Preferences")
    child.expect_exact("paste> ")
    child.sendline(f"@{TRANSPORTER / 'transporter-preferences.reg'}")
    child.expect_exact("read by regedit-export")
    child.expect_exact("systeminfo")
    child.expect_exact("paste> ")
    child.sendline(f"@{TRANSPORTER / 'systeminfo.txt'}")
    child.expect_exact("PipelineFlushThresholdMB from 600 (the default) to 200")
    child.expect_exact("Every check is decided.")
    child.expect(pexpect.EOF)


def test_from_nothing_it_asks_for_the_ticket_first():
    child = spawn()
    child.expect_exact("What does the ticket say?")
    child.expect_exact("answer> ")
    child.sendline("Transporter FETCH parse error")
    child.expect(r"1\. Transporter Suite IMAP migration fails")
    child.expect_exact("reg export")
    child.expect_exact("paste> ")
    child.sendline("stop")
    child.expect_exact("Open questions")
    child.expect(pexpect.EOF)


@pytest.mark.parametrize("stdin", ["stop\n", ""])
def test_plain_mode_reads_a_pipe_and_stops_at_its_end(tmp_path, stdin):
    import subprocess

    result = subprocess.run([HAKB, "triage", str(partial_locked_vmdk(tmp_path))], input=stdin,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert RIGHT_DISK in result.stdout and "Open questions" in result.stdout
    assert "\x1b[" not in result.stdout  # no colour into a pipe


def test_json_lists_the_open_questions_with_their_ids(tmp_path):
    import subprocess

    result = subprocess.run([HAKB, "triage", str(partial_locked_vmdk(tmp_path)), "--format", "json"],
                            capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    data = json.loads(result.stdout)
    first = data["triage"]["questions"][0]
    assert first["id"].startswith("vmware-locked-vmdk.") and first["kind"] == "paste"
    assert first["collect"] == RIGHT_DISK and first["host"] == "esx01.lab.example"
