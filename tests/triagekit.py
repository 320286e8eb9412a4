"""Bundles and answers for triage tests, all taken from the locked-disk and Transporter examples.

``partial_locked_vmdk`` is the locked-disk example cut down to its hostd.log (in its vm-support
folder, so the host is still esx01.lab.example): what an engineer has when only the host log
was collected. ``answer_for`` plays the engineer: it answers a question by what it asks for,
with the output the example holds for that command and host.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bundles import example

LOCKED = example("locked-vmdk")
VM_SUPPORT = "esx-esx01.lab.example-2026-11-20--09.15-12345"
TRANSPORTER = example("transporter-imap-errors")
#: The hosts an engineer names as mounting ds-prod-01 (esx01 runs the VM and is not asked).
MOUNTING = "esx02, esx03"
LISTINGS = {"esx01": LOCKED / VM_SUPPORT / "commands" / "esxcfg-nics_-l.txt",
            "esx02": LOCKED / "esx02" / "esxcli-network-nic-list.txt",
            "esx03": LOCKED / "esx03" / "esxcfg-nics_-l.txt"}
SESSION = LOCKED / "vmkfstools-session.txt"
HOLDER_SUMMARY = "locked exclusively by esx03 (00:50:56:0a:03:01)"
RIGHT_DISK = "vmkfstools -D /vmfs/volumes/ds-prod-01/app01/app01-000001-delta.vmdk"


def partial_locked_vmdk(root: Path) -> Path:
    """A copy of the locked-disk example holding only esx01's hostd.log."""
    target = root / "partial" / VM_SUPPORT / "var" / "run" / "log"
    target.mkdir(parents=True)
    shutil.copy(LOCKED / VM_SUPPORT / "var" / "run" / "log" / "hostd.log", target)
    return root / "partial"


def answer_for(question: dict) -> Path | str | None:
    """What the engineer answers to ``question`` (a question as JSON): a file, a text, or None."""
    collect, ask, host = question.get("collect", ""), question.get("ask", ""), question.get("host", "")
    if ask.startswith("Which ESXi hosts mount"):
        return MOUNTING
    if "vmkfstools -D" in collect:
        return SESSION
    if collect.startswith("esxcfg-nics") and host in LISTINGS:
        return LISTINGS[host]
    if "reg export" in collect:
        return TRANSPORTER / "transporter-preferences.reg"
    if collect.startswith("systeminfo"):
        return TRANSPORTER / "systeminfo.txt"
    return None
