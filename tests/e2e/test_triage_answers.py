"""`hakb triage --answers FILE`: the scripted session, with no terminal at all."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from triagekit import HOLDER_SUMMARY, RIGHT_DISK, answer_for, partial_locked_vmdk

HAKB = str(Path(sys.executable).with_name("hakb"))


def triage(*args, cwd=None):
    return subprocess.run([HAKB, "triage", *args], capture_output=True, text=True, timeout=180,
                          stdin=subprocess.DEVNULL, cwd=cwd)


def test_an_answers_file_built_question_by_question_ends_naming_the_holder(tmp_path):
    """Build the answers file as a script would: read the open questions (JSON), answer the
    first, resume. (A whole session from an answers file alone: the docs' test below.)"""
    bundle = partial_locked_vmdk(tmp_path)
    folder = tmp_path / "answers"
    folder.mkdir()
    answers_file = folder / "answers.yaml"
    answers, asked = {}, []
    data = json.loads(triage(str(bundle), "--format", "json").stdout)
    for _ in range(6):
        status = {row["question_id"]: row["status"] for row in data["triage"]["asked"]}
        new = [q for q in data["triage"]["questions"]
               if status.get(q["id"]) == "open" and q["id"] not in answers and answer_for(q)]
        if not new:
            break
        question = new[0]
        asked.append(question)
        value = answer_for(question)
        if isinstance(value, Path):  # a file beside the answers file, named relative to it
            shutil.copy(value, folder / f"{len(asked)}-{value.name}")
            value = f"{len(asked)}-{value.name}"
        answers[question["id"]] = value
        answers_file.write_text(yaml.safe_dump(answers))
        data = json.loads(triage("--resume", data["case_id"], "--answers", str(answers_file),
                                 "--format", "json").stdout)
    assert asked[0]["collect"] == RIGHT_DISK and asked[0]["host"] == "esx01.lab.example"
    assert asked[1]["kind"] == "ask" and asked[1]["ask"].startswith("Which ESXi hosts mount ds-prod-01?")
    assert [(q["collect"], q["host"]) for q in asked[2:]] == [("esxcfg-nics -l", "esx02"),
                                                             ("esxcfg-nics -l", "esx03")]
    assert HOLDER_SUMMARY in data["findings"][0]["summary"]
    assert [a["artifact"] for a in data["triage"]["answers"]] == ["paste:1", "answer:2", "paste:3", "paste:4"]


def test_answers_can_be_json_and_text_and_skip(tmp_path):
    bundle = partial_locked_vmdk(tmp_path)
    first = json.loads(triage(str(bundle), "--format", "json").stdout)["triage"]["questions"][0]
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({first["id"]: "skip", "no-such.question": "x"}))
    result = triage(str(bundle), "--answers", str(answers))
    assert "skip (answers file)" in result.stdout
    assert "answers no open question for: no-such.question" in result.stderr
    answers.write_text(json.dumps({first["id"]: answer_for(first).read_text()}))
    data = json.loads(triage(str(bundle), "--answers", str(answers), "--format", "json").stdout)
    assert data["triage"]["answers"][0]["kind"] == "paste"
    assert "a host with MAC 00:50:56:0a:03:01" in data["findings"][0]["summary"]


def test_a_bad_answers_file_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "answers.yaml"
    bad.write_text("- just\n- a list\n")
    result = triage("--answers", str(bad))
    assert result.returncode == 2
    assert "must map question ids to answers" in result.stderr and "Traceback" not in result.stderr
    result = triage("--resume", "latest", "x")
    assert result.returncode == 2 and "--resume continues a saved case" in result.stderr


def test_the_ticket_words_alone_propose_transporter_and_ask_for_the_registry_values():
    data = json.loads(triage("--symptom", "Transporter FETCH parse error", "--format", "json").stdout)
    assert data["triage"]["candidates"][0]["id"] == "transporter-imap-errors"
    question = data["triage"]["questions"][0]
    assert question["rule"] == "transporter-imap-errors" and question["kind"] == "paste"
    assert question["collect"].startswith("reg export HKCU\\Software\\Microsoft\\Transporter\\Preferences")


def test_the_answers_file_in_the_docs_works_as_written(tmp_path):
    import re

    from triagekit import LISTINGS, LOCKED, SESSION, VM_SUPPORT

    docs = (Path(__file__).resolve().parents[2] / "docs" / "triage.md").read_text()
    block = re.search(r"```yaml\n(.*?)```", docs, re.S).group(1)
    (tmp_path / "answers.yaml").write_text(block)
    for name, source in (("vmkfstools-session.txt", SESSION), ("esx02-nics.txt", LISTINGS["esx02"]),
                         ("esx03-nics.txt", LISTINGS["esx03"])):
        shutil.copy(source, tmp_path / name)
    result = triage(str(LOCKED / VM_SUPPORT), "--answers", str(tmp_path / "answers.yaml"))
    assert result.returncode == 1, result.stderr  # from the bundle alone, no terminal
    assert HOLDER_SUMMARY in result.stdout
    assert result.stdout.count("answered from the answers file") == 4, result.stdout
    assert "paste:1:15" in result.stdout  # the pasted dump's owner line, as evidence
    assert "paste:4:2" in result.stdout   # esx03's vmnic0
