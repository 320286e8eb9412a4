"""`hakb serve` over HTTP (Starlette's test client): uploads, questions, acks, history, knowledge,
and the guards: token, local Host, form secret, upload size and names."""

import io
import re
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from triagekit import HOLDER_SUMMARY, LOCKED, partial_locked_vmdk

from hakb.store import Store
from hakb.web.app import create_app
from hakb.web.uploads import UploadRefused, limited

HAKB = str(Path(sys.executable).with_name("hakb"))
LS_APP01 = """total 16777216
drwxr-xr-x    1 root     root       76.0K Nov 20 09:14 .
-rw-------    1 root     root       40.0G Nov 20 08:10 app01-flat.vmdk
-rw-------    1 root     root         555 Nov 20 08:10 app01.vmdk
-rw-------    1 root     root       16.0M Nov 20 09:14 app01-000001-delta.vmdk
-rw-------    1 root     root         402 Nov 20 09:14 app01-000001.vmdk
-rwxr-xr-x    1 root     root        3.3K Nov 20 09:14 app01.vmx
"""


def tgz(folder: Path, name: str) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(folder, arcname=name)
    return buffer.getvalue()


@pytest.fixture
def db(tmp_path):
    return tmp_path / "web.db"


@pytest.fixture
def client(db):
    with TestClient(create_app(db), base_url="http://127.0.0.1:8765") as client:
        yield client


def csrf(client) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)


def upload(client, files, **fields):
    return client.post("/upload", data={"csrf": csrf(client), **fields}, files=files)


def test_upload_answer_ack_and_find_the_case_again(client, db):
    page = upload(client, [("files", ("locked-vmdk.tgz", tgz(LOCKED, "locked-vmdk"), "application/gzip"))])
    assert page.status_code == 200 and "/cases/" in str(page.url)
    case_id = str(page.url).rsplit("/", 1)[1]
    html = page.text
    assert HOLDER_SUMMARY in html
    assert "locked-vmdk.tgz:locked-vmdk/vmkfstools-session.txt:15" in html  # evidence file:line
    assert "<code>/etc/init.d/hostd restart</code>" in html                  # fix step as Markdown
    assert 'class="sev error"' in html and ">fault<" in html                  # severity and kind
    assert "ls -lh /vmfs/volumes/ds-prod-01/app01/" in html                   # a not-verified question

    question = re.search(r'name="question" value="(vmware-snapshot-chain\.[0-9a-f]+)"', html).group(1)
    answered = client.post(f"/cases/{case_id}/answer",
                           data={"csrf": csrf(client), "question": question, "text": LS_APP01})
    assert answered.status_code == 200 and str(answered.url).startswith(f"http://127.0.0.1:8765/cases/{case_id}")
    assert "paste:1 taken" in answered.text
    assert question not in re.findall(r'name="question" value="([^"]+)"', answered.text)
    store = Store(db)
    assert [r["id"] for r in store.recent()] == [case_id]  # diagnosed again in place
    assert store.triage(case_id)["answers"][0]["via"] == "web"

    acked = client.post(f"/cases/{case_id}/ack", data={"csrf": csrf(client), "finding": "1",
                                                       "reason": "backup vendor ticket 77", "by": "ana"})
    assert "acknowledged as ack 1" in acked.text
    assert "Silenced by ana on" in acked.text and "backup vendor ticket 77" in acked.text
    assert "backup vendor ticket 77" in client.get("/acks").text

    for query in ({"host": "esx03"}, {"fault": "vmware-locked-vmdk"}, {"q": "app01-000001"}):
        assert case_id in client.get("/cases", params=query).text, query
    assert case_id not in client.get("/cases", params={"q": "no-such-words"}).text

    removed = client.post("/acks/1/remove", data={"csrf": csrf(client)})
    assert "ack 1 removed" in removed.text
    assert "Silenced by" not in client.get(f"/cases/{case_id}").text


def test_a_zip_and_a_folder_upload_and_two_cases_of_one_host_compare(client, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(LOCKED.rglob("*")):
            if path.is_file():
                archive.write(path, f"locked-vmdk/{path.relative_to(LOCKED).as_posix()}")
    full = upload(client, [("files", ("locked-vmdk.zip", buffer.getvalue(), "application/zip"))])
    assert HOLDER_SUMMARY in full.text
    partial_folder = partial_locked_vmdk(tmp_path)
    files = [("files", (f"partial/{p.relative_to(partial_folder).as_posix()}", p.read_bytes(), "text/plain"))
             for p in sorted(partial_folder.rglob("*")) if p.is_file()]  # a folder upload: relative names
    partial = upload(client, files)
    assert "esx01.lab.example" in partial.text and "confidence 0.60" in partial.text
    older, newer = str(full.url).rsplit("/", 1)[1], str(partial.url).rsplit("/", 1)[1]
    assert f"/compare?a={older}&amp;b={newer}" in partial.text
    page = client.get("/compare", params={"a": older, "b": newer}).text
    assert "Unchanged (1)" in page and "New (0)" in page and "Gone (0)" in page


def test_the_knowledge_browser_shows_articles_without_template_syntax(client):
    listing = client.get("/kb").text
    assert "vmware-locked-vmdk" in listing and "transporter-imap-errors" in listing
    found = client.get("/kb", params={"q": "witness"}).text
    assert "dag-witness-failed" in found and "vmware-locked-vmdk" not in found
    for article in ("vmware-locked-vmdk", "transporter-imap-errors", "cluster-node-evicted"):
        html = client.get(f"/kb/{article}").text
        assert "{%" not in html and "{{" not in html and "%}" not in html, article
    locked = client.get("/kb/vmware-locked-vmdk").text
    assert "<code>/etc/init.d/hostd restart</code>" in locked
    assert "<ol start=" not in locked  # a step left out for want of a value does not renumber the list
    assert "<code>esxcfg-nics -l</code> on every host" in locked  # collect-first items as Markdown
    assert client.get("/kb/no-such").status_code == 404


def test_symptom_and_pasted_text_start_a_case(client):
    page = client.post("/upload", data={"csrf": csrf(client), "symptom": "Transporter FETCH parse error"})
    assert "Candidate faults" in page.text and "transporter-imap-errors" in page.text
    assert "reg export HKCU" in page.text
    pasted = client.post("/upload", data={"csrf": csrf(client), "host": "esx03",
                                          "paste": (LOCKED / "esx03" / "esxcfg-nics_-l.txt").read_text()})
    assert "pasted text" in pasted.text and "esx03" in pasted.text


def test_a_form_without_its_secret_is_refused(client):
    refused = client.post("/upload", data={"csrf": "forged", "symptom": "x"})
    assert refused.status_code == 403 and "out of date" in refused.text


def test_a_foreign_host_name_is_refused_on_a_local_bind(db):
    with TestClient(create_app(db), base_url="http://attacker.example") as client:
        assert client.get("/").status_code == 403


def test_every_request_needs_the_token_when_one_is_set(db):
    app = create_app(db, token="s3cret-token", local=False)
    with TestClient(app, base_url="http://192.0.2.10:8765") as client:
        assert client.get("/").status_code == 401
        assert client.get("/kb").status_code == 401
        assert client.get("/static/style.css").status_code == 401
        assert client.get("/", params={"token": "wrong"}).status_code == 401
        assert client.get("/", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        first = client.get("/cases", params={"token": "s3cret-token", "q": "x"}, follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/cases?q=x"
        assert "httponly" in first.headers["set-cookie"].lower()
        assert client.get("/cases").status_code == 200  # the cookie carries it now


def test_traversal_names_are_refused_and_nothing_lands_outside(client, tmp_path):
    before = set(Path("/tmp").iterdir())
    refused = upload(client, [("files", ("../../evil.txt", b"x", "text/plain"))])
    assert refused.status_code == 400 and "climbs out of the upload folder" in refused.text
    refused = upload(client, [("files", ("/etc/evil.txt", b"x", "text/plain"))])
    assert refused.status_code == 400 and "absolute path" in refused.text

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in (("../../escaped.txt", b"escaped\n"), ("bundle/hostd.log",
                           (LOCKED / "esx-esx01.lab.example-2026-11-20--09.15-12345/var/run/log/hostd.log").read_bytes())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    page = upload(client, [("files", ("climb.tgz", buffer.getvalue(), "application/gzip"))])
    assert page.status_code == 200
    refusal = re.search(r'<ul class="skipped-list">(.*?)</ul>', page.text, re.S).group(1)
    assert "climb.tgz:../../escaped.txt" in refusal and "path leaves the archive folder" in refusal
    # where "../../" from the upload or unpacking folders (both in the temporary folder) would land
    for base in (Path(tempfile.gettempdir()), Path(tempfile.gettempdir()).parent, Path.cwd(), tmp_path):
        assert not (base / "escaped.txt").exists() and not (base / "evil.txt").exists(), base
    assert {p for p in Path("/tmp").iterdir() if p.name.startswith("hakb-web-")} - before == set()


def test_oversized_uploads_and_archive_bombs_are_refused_with_a_message(db, tmp_path):
    from hakb.bundle import Limits

    with TestClient(create_app(db, max_upload=20_000, limits=Limits(max_total_bytes=100_000)),
                    base_url="http://127.0.0.1:8765") as client:
        big = upload(client, [("files", ("big.log", b"x" * 50_000, "text/plain"))])
        assert big.status_code == 413 and "larger than 20000 bytes" in big.text
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            data = b"0" * 400_000
            info = tarfile.TarInfo("bomb/zeros.log")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        bomb = upload(client, [("files", ("bomb.tgz", buffer.getvalue(), "application/gzip"))])
        assert bomb.status_code == 400 and "the upload was refused" in bomb.text and "archive refused" in bomb.text
        assert Store(db).recent() == []  # nothing was read, so no case


def test_a_streamed_body_is_cut_at_the_limit():
    import asyncio

    chunks = [{"type": "http.request", "body": b"x" * 600, "more_body": True}] * 3

    async def receive():
        return chunks.pop()

    async def drain():
        wrapped = limited(receive, 1000)
        await wrapped()
        await wrapped()

    with pytest.raises(UploadRefused):
        asyncio.run(drain())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_non_local_bind_needs_a_token_and_refuses_requests_without_it(tmp_path):
    refused = subprocess.run([HAKB, "serve", "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "give --token" in refused.stderr
    port = free_port()
    server = subprocess.Popen([HAKB, "serve", "--host", "0.0.0.0", "--port", str(port), "--token", "t0ken-42",
                               "--db", str(tmp_path / "s.db")], stderr=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        for _ in range(600):  # up to a minute on a busy machine
            try:
                urllib.request.urlopen(url, timeout=1)
            except urllib.error.HTTPError as exc:
                assert exc.code == 401
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("hakb serve did not start")
        with pytest.raises(urllib.error.HTTPError) as refused_request:
            urllib.request.urlopen(url + "kb", timeout=5)
        assert refused_request.value.code == 401
        request = urllib.request.Request(url + "kb", headers={"Authorization": "Bearer t0ken-42"})
        assert urllib.request.urlopen(request, timeout=5).status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
