"""Uploads stored for a diagnosis: inside one temporary folder, under a size limit, or refused.

The request body is counted as it arrives, so an upload larger than the limit is refused
whether or not it announced its length. A file's name is the browser's (a folder upload sends
relative paths such as ``esx03/esxcfg-nics_-l.txt``, which keep their folders, so a host folder
still names its host); a name that is absolute or climbs out (``..``) refuses the upload.
Archives are not unpacked here: the diagnosis unpacks them with its own limits
(:mod:`hakb.bundle`), exactly as for ``hakb diagnose``.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from hakb.bundle import display_name

CHUNK = 1 << 20
MAX_NAME_PARTS = 32


class UploadRefused(Exception):
    """An upload that is not stored; the message is shown on the page."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def limited(receive, limit: int):
    """An ASGI ``receive`` that refuses a body larger than ``limit`` bytes."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message.get("type") == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise UploadRefused(f"the upload is larger than {size_text(limit)}; refused "
                                    "(hakb serve --max-upload raises the limit)", 413)
        return message
    return wrapped


def size_text(count: int) -> str:
    """A limit as a person reads it.

    >>> size_text(2 * 1024**3), size_text(1500)
    ('2 GiB', '1500 bytes')
    """
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= size and count % size == 0:
            return f"{count // size} {unit}"
    return f"{count} bytes"


def safe_name(name: str) -> PurePosixPath:
    """The relative path an uploaded file is stored under; UploadRefused when it would leave the
    upload folder.

    >>> safe_name("esx03/esxcfg-nics_-l.txt")
    PurePosixPath('esx03/esxcfg-nics_-l.txt')
    >>> safe_name("../../evil.txt")
    Traceback (most recent call last):
    ...
    hakb.web.uploads.UploadRefused: file name '../../evil.txt' climbs out of the upload folder; the upload was refused
    """
    shown = display_name(name)
    unified = name.replace("\\", "/")
    if unified.startswith("/") or re.match(r"^[A-Za-z]:", unified):
        raise UploadRefused(f"file name {shown!r} is an absolute path; the upload was refused")
    parts = [p for p in unified.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise UploadRefused(f"file name {shown!r} climbs out of the upload folder; the upload was refused")
    if not parts or len(parts) > MAX_NAME_PARTS:
        raise UploadRefused(f"file name {shown!r} cannot be stored; the upload was refused")
    cleaned = [re.sub(r"[\x00-\x1f\x7f]", "_", p)[:255] for p in parts]
    return PurePosixPath(*cleaned)


async def store_file(upload, folder: Path, budget: list[int]) -> str:
    """Copy one uploaded file under ``folder``; ``budget`` = [bytes left]. Returns its name."""
    relative = safe_name(upload.filename or "upload")
    target = folder.joinpath(*relative.parts)
    if not target.resolve().is_relative_to(folder.resolve()):  # belt and braces
        raise UploadRefused(f"file name {display_name(upload.filename)!r} climbs out of the upload folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise UploadRefused(f"two files are named {relative.as_posix()!r}; the upload was refused")
    with open(target, "wb") as out:
        while chunk := await upload.read(CHUNK):
            budget[0] -= len(chunk)
            if budget[0] < 0:
                raise UploadRefused("the upload is larger than the limit; refused", 413)
            out.write(chunk)
    return relative.as_posix()
