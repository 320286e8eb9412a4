"""The triage page as a person uses it: `hakb serve` driven in a real headless Chromium.

Needs the system's Chromium (Debian: `apt-get install chromium`) and Playwright's Python API;
Playwright never downloads a browser here (executable_path points at the system's). Skipped,
with the reason, when either is missing. HAKB_SCREENSHOTS=FOLDER saves the pages' screenshots
there (docs/screenshots holds the ones the README shows).
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from triagekit import HOLDER_SUMMARY, LOCKED

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HAKB = str(Path(sys.executable).with_name("hakb"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
MAX_UPLOAD = 3_000_000
LS_APP01 = """total 16777216
-rw-------    1 root     root       40.0G Nov 20 08:10 app01-flat.vmdk
-rw-------    1 root     root         555 Nov 20 08:10 app01.vmdk
-rw-------    1 root     root       16.0M Nov 20 09:14 app01-000001-delta.vmdk
-rw-------    1 root     root         402 Nov 20 09:14 app01-000001.vmdk
-rwxr-xr-x    1 root     root        3.3K Nov 20 09:14 app01.vmx
"""

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(Debian: apt-get install chromium); .ci/run installs it")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")


def tgz(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def example_tgz() -> bytes:
    return tgz({f"locked-vmdk/{p.relative_to(LOCKED).as_posix()}": p.read_bytes()
                for p in sorted(LOCKED.rglob("*")) if p.is_file()})


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([HAKB, "serve", "--port", str(port), "--db", str(folder / "cases.db"),
                                "--max-upload", str(MAX_UPLOAD)], stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):  # up to a minute on a busy machine
        try:
            urllib.request.urlopen(url + "/", timeout=1)
            break
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"hakb serve did not start: {process.stderr.read()}")
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")), executable_path=CHROMIUM, headless=True,
            args=ARGS, viewport={"width": 1280, "height": 900})
        yield context
        context.close()


def shoot(page, name: str) -> None:
    folder = os.environ.get("HAKB_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def upload(page, server: str, name: str, data: bytes) -> None:
    page.goto(server + "/")
    page.set_input_files("#files", files=[{"name": name, "mimeType": "application/gzip", "buffer": data}])
    page.click("#diagnose")
    page.wait_for_load_state()


def test_upload_see_the_holder_answer_acknowledge_and_find_it_again(server, browser):
    page = browser.new_page()
    page.goto(server + "/")
    shoot(page, "upload")
    upload(page, server, "locked-vmdk.tgz", example_tgz())
    assert "/cases/" in page.url
    case_id = page.url.rsplit("/", 1)[1]
    finding = page.locator("article.finding").first
    assert HOLDER_SUMMARY in finding.locator(".summary").inner_text()
    assert "vmkfstools-session.txt:15" in finding.locator("table.evidence").inner_text()
    shoot(page, "case")

    question = page.locator('.question[data-question^="vmware-snapshot-chain"]')
    assert "ls -lh /vmfs/volumes/ds-prod-01/app01/" in question.inner_text()
    question.locator("textarea").fill(LS_APP01)
    question.locator("button").click()
    page.wait_for_load_state()
    assert "paste:1 taken" in page.locator(".note").inner_text()
    assert page.locator('.question[data-question^="vmware-snapshot-chain"]').count() == 0
    assert urllib.parse.urlsplit(page.url).path == f"/cases/{case_id}"  # the same case, in place

    page.locator("details.ack summary").first.click()
    page.locator("details.ack input[name=reason]").first.fill("backup vendor ticket 77")
    page.locator("details.ack input[name=by]").first.fill("ana")
    page.locator("details.ack button").first.click()
    page.wait_for_load_state()
    assert "Silenced by ana" in page.locator("article.finding").first.inner_text()
    page.goto(server + "/acks")
    assert "backup vendor ticket 77" in page.inner_text("main")
    shoot(page, "acks")

    page.goto(server + "/cases")
    page.fill("#host", "esx03")
    page.click("#search")
    page.wait_for_load_state()
    assert page.locator(f'a[href="/cases/{case_id}"]').count() == 1
    page.fill("#host", "")
    page.fill("#q", "app01-000001")
    page.click("#search")
    page.wait_for_load_state()
    assert page.locator(f'a[href="/cases/{case_id}"]').count() == 1
    shoot(page, "cases")
    page.close()


def test_the_knowledge_browser_renders_articles(server, browser):
    page = browser.new_page()
    page.goto(server + "/kb")
    page.fill("#q", "consolidation")
    page.click("#kb-search")
    page.wait_for_load_state()
    page.click('a[href="/kb/vmware-locked-vmdk"]')
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "Virtual disk locked by another ESXi host" in text
    assert "{%" not in text and "{{" not in text
    assert page.locator("code", has_text="/etc/init.d/hostd restart").count() >= 1
    shoot(page, "knowledge")
    page.close()


def test_oversized_and_climbing_uploads_are_refused_on_the_page(server, browser):
    page = browser.new_page()
    upload(page, server, "huge.tgz", b"\0" * (MAX_UPLOAD + 1))
    assert "larger than" in page.locator(".error-box").inner_text()
    climbing = tgz({"../../escaped.txt": b"escaped\n",
                    "bundle/hostd.log": (LOCKED / "esx-esx01.lab.example-2026-11-20--09.15-12345"
                                         / "var/run/log/hostd.log").read_bytes()})
    upload(page, server, "climb.tgz", climbing)
    refused = page.locator("ul.skipped-list").inner_text()
    assert "../../escaped.txt" in refused and "path leaves the archive folder" in refused
    for base in (Path(tempfile.gettempdir()), Path(tempfile.gettempdir()).parent, Path.cwd()):
        assert not (base / "escaped.txt").exists(), base  # where "../../" would have put it
    page.close()
