"""``hakb serve``: the triage page, on this machine by default."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from hakb.bundle import Limits
from hakb.isolation import DEFAULT_TIMEOUT

#: Bind addresses only this machine can reach; any other needs a token.
LOCAL_NAMES = ("localhost",)
DEFAULT_PORT = 8765
DEFAULT_MAX_UPLOAD = 2 * 1024**3


def is_local(address: str) -> bool:
    """Whether ``address`` is reachable from this machine only.

    >>> is_local("127.0.0.1"), is_local("::1"), is_local("localhost"), is_local("0.0.0.0")
    (True, True, True, False)
    """
    if address.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", "bind", default="127.0.0.1", show_default=True, metavar="ADDRESS",
              help="Address to listen on. Any address but this machine's own (127.0.0.1, ::1, "
                   "localhost) needs --token.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True)
@click.option("--token", envvar="HAKB_TOKEN", metavar="TOKEN",
              help="A secret every request must carry: open the address printed at start once "
                   "(?token=...; a cookie keeps it), or send 'Authorization: Bearer TOKEN'. "
                   "Also read from HAKB_TOKEN.")
@click.option("--max-upload", type=click.IntRange(min=1), default=DEFAULT_MAX_UPLOAD, show_default=True,
              metavar="BYTES", help="Refuse uploads larger than this.")
@click.option("--max-unpacked", type=int, default=Limits.max_total_bytes, show_default=True,
              metavar="BYTES", help="Refuse archives that unpack to more than this.")
@click.option("--max-files", type=int, default=Limits.max_files, show_default=True,
              help="Refuse archives with more members than this.")
@click.option("--max-ratio", type=float, default=Limits.max_ratio, show_default=True,
              help="Refuse archives that unpack to more than this many times their size.")
@click.option("--rule-timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True, metavar="SECONDS", help="Time limit of each run of the rules.")
@click.option("--db", metavar="PATH", envvar="HAKB_DB",
              help="Case database (default: HAKB_DB, else the user's data folder).")
def serve(bind, port, token, max_upload, max_unpacked, max_files, max_ratio, rule_timeout, db) -> None:
    """Open the triage page: upload a bundle, answer what is not verified, find old cases.

    \b
        hakb serve                                  # http://127.0.0.1:8765/, this machine only
        hakb serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"

    Uploads (.tgz, .zip, files, pasted text) go through the same safe unpacking and limits as
    `hakb diagnose`; the page reads and writes the same case store as the CLI. Ctrl-C stops.
    """
    from hakb.store import Store, default_path

    if not is_local(bind) and not token:
        raise click.UsageError(f"--host {bind} can be reached from other machines: give --token "
                               "(or HAKB_TOKEN) so that every request must carry it")
    try:
        import uvicorn

        from hakb.web.app import create_app
    except ImportError as exc:  # a broken or partial install
        raise click.ClickException(f"hakb serve needs starlette, jinja2, python-multipart, "
                                   f"markdown-it-py and uvicorn ({exc}); reinstall hakb: "
                                   "pip install --force-reinstall hakb")
    path = Path(db) if db else default_path()
    Store(path).check_writable()  # a broken database fails now, not at the first upload
    app = create_app(path, token=token, local=is_local(bind),
                     limits=Limits(max_total_bytes=max_unpacked, max_files=max_files, max_ratio=max_ratio),
                     max_upload=max_upload, rule_timeout=rule_timeout)
    shown = f"[{bind}]" if ":" in bind else bind
    query = f"?token={token}" if token else ""
    click.echo(f"hakb serve: http://{shown}:{port}/{query}  (cases in {path}; Ctrl-C stops)", err=True)
    uvicorn.run(app, host=bind, port=port, log_level="warning", server_header=False,
                access_log=False)
