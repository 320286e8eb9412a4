"""Remake docs/html-report.png: the HTML report of the locked-disk example in headless Chromium.

    python docs/screenshot.py               # needs hakb installed and Debian's `chromium`

The page is rendered offline from a file (the report fetches nothing); Chromium runs with
networking, updates and sync off.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "facts" / "vmware" / "examples" / "locked-vmdk"
TARGET = ROOT / "docs" / "html-report.png"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def main() -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        sys.exit("needs chromium (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        subprocess.run([sys.executable, "-c", "from hakb.cli import main; main()", "diagnose",
                        "--db", f"{folder}/cases.db", "-q", "--format", "html", "-o", str(page), str(EXAMPLE.relative_to(ROOT))],
                       cwd=ROOT, check=False)
        subprocess.run([browser, *FLAGS, f"--user-data-dir={folder}/profile", "--window-size=1280,1700",
                        f"--screenshot={TARGET}", page.as_uri()], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
