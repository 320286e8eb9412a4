"""``hakb plugin new``: a ready plugin package written from the files in ``files/``.

The files are plain text with two placeholders, ``__NAME__`` (the plugin's name, also its pack,
entry point and fact-type prefix) and ``__MODULE__`` (its import name), in contents and paths;
``.tmpl`` keeps them from being taken for hakb's own modules or tests. A plain replacement is
all a template of this size needs (no template language: the files hold Jinja and CLIPS
themselves). The package is written to a temporary folder beside the target and moved into
place whole, so a failure leaves nothing half-written.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from importlib.resources import as_file, files
from pathlib import Path

#: A plugin name: lower-case words joined by hyphens (a distribution, entry-point and CLIPS name).
NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*\Z")


class ScaffoldError(ValueError):
    """The plugin cannot be written there (bad name, folder exists)."""


def module_name(name: str) -> str:
    return name.replace("-", "_")


def write_plugin(name: str, parent: os.PathLike = ".") -> Path:
    """Write the package ``parent/name`` and return its folder."""
    if not NAME.match(name) or name == "hakb":
        raise ScaffoldError(f"{name!r} is not a plugin name: use lower-case letters, digits and "
                            "hyphens, starting with a letter (acme-ntp)")
    parent = Path(parent)
    target = parent / name
    if target.exists():
        raise ScaffoldError(f"{target} already exists; choose another name or folder")
    if not parent.is_dir():
        raise ScaffoldError(f"{parent} is not a folder")
    replacements = {"__NAME__": name, "__MODULE__": module_name(name)}

    def fill(text: str) -> str:
        for placeholder, value in replacements.items():
            text = text.replace(placeholder, value)
        return text

    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=parent))
    try:
        with as_file(files(__package__) / "files") as source:
            for path in sorted(Path(source).rglob("*.tmpl")):
                relative = fill(str(path.relative_to(source)).removesuffix(".tmpl"))
                out = staging / relative
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(fill(path.read_text(encoding="utf-8")), encoding="utf-8")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target
