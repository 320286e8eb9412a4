"""``hakb serve``: the triage page, on this machine by default."""

from __future__ import annotations

import ipaddress

import click

from hakb.cli.common import (Size, archive_limit_options, archive_limits, db_option, echo, open_store,
                             setting, store_path)

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
@click.option("--max-upload", type=Size(), default=DEFAULT_MAX_UPLOAD, metavar="SIZE",
              help="Refuse uploads larger than this (500M, 2G).  [default: 2G]")
@archive_limit_options
@click.option("--rule-timeout", type=click.FloatRange(min=0.1), default=lambda: setting("rule_timeout"),
              metavar="SECONDS", help="Time limit of each run of the rules.  [default: 10, or "
                                      "rule_timeout in the config file]")
@db_option
def serve(bind, port, token, max_upload, max_unpacked, max_files, max_ratio, rule_timeout, db) -> None:
    """Open the triage page: upload a bundle, answer what is not verified, find old cases.

    \b
        hakb serve                                  # http://127.0.0.1:8765/, this machine only
        hakb serve --host 0.0.0.0 --token "$(openssl rand -hex 16)"

    Uploads (.tgz, .zip, files, a folder, pasted text) go through the same safe unpacking and
    limits as `hakb diagnose`; the page reads and writes the same case store as the CLI.
    Ctrl-C stops.
    """
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
    path = store_path(db)
    open_store(db).check_writable()  # a broken database fails now, not at the first upload
    limits = archive_limits(max_unpacked, max_files, max_ratio)
    app = create_app(path, token=token, local=is_local(bind), limits=limits, max_upload=max_upload,
                     rule_timeout=rule_timeout)
    shown = f"[{bind}]" if ":" in bind else bind
    query = f"?token={token}" if token else ""
    echo(f"hakb serve: http://{shown}:{port}/{query}  (cases in {path}; Ctrl-C stops)", err=True)
    uvicorn.run(app, host=bind, port=port, log_level="warning", server_header=False,
                access_log=False)
