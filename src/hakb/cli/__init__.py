"""The ``hakb`` command line: small commands over the diagnosis pipe, the case store and the KB.

One module per command group (``diagnose``; ``cases``/``show``/``export``; ``kb``;
``plugins``/``schemas``/``parse``; ``config``), imported only when used. To add a command, write
its module here and add one line to :data:`hakb.cli.commands.COMMANDS` (``kb`` subcommands:
:data:`~hakb.cli.commands.KB_COMMANDS`).

Exit codes: 0 nothing at or above --fail-on; 1 a finding is; 2 usage or input error (one line on
stderr, no traceback unless --debug).
"""

from __future__ import annotations

import os
import signal

import click

from hakb import __version__
from hakb.cli.commands import COMMANDS
from hakb.cli.common import HakbGroup

__all__ = ["cli", "main"]


@click.group(cls=HakbGroup, lazy_subcommands=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hakb")
@click.option("--debug", is_flag=True, help="Show tracebacks of failures.")
@click.option("--config", "config_file", metavar="FILE",
              help="Settings file (TOML); default: HAKB_CONFIG, else config.toml in the user's "
                   "config folder. `hakb config` shows the effective settings.")
@click.option("--color", "--colour", "color", type=click.Choice(["auto", "always", "never"]),
              default=None, help="Colour output: auto (a terminal, unless NO_COLOR is set or "
                                 "TERM=dumb), always or never.  [default: auto]")
@click.pass_context
def cli(ctx: click.Context, debug: bool, config_file: str | None, color: str | None) -> None:
    """hakb: which known fault is it, the evidence, and the fix.

    \b
    Point it at what you collected (folders, vm-support .tgz, .zip, single files, - for stdin):
        hakb diagnose esx-support.tgz esx03/ vmkfstools.txt
        hakb diagnose --format json bundle/ > case.json
        pbpaste | hakb diagnose --host esx01 -
    Every diagnosis is saved as a case: `hakb cases`, `hakb show latest`.
    """
    from hakb.config import load

    ctx.obj = {"debug": debug, "color": color or "auto"}
    config = load(config_file)  # a broken file is a ConfigError: one line, exit 2
    if color:
        config.values["color"], config.sources["color"] = color, "command line --color"
    ctx.obj.update(config=config, color=config.values["color"])
    if config.from_file("plugins") and "HAKB_LOAD_PLUGINS" not in os.environ:
        # The plugin manager reads HAKB_LOAD_PLUGINS; set for this command only (and taken back
        # when it ends, so a library or test calling the CLI in-process keeps its environment).
        os.environ["HAKB_LOAD_PLUGINS"] = ",".join(config.values["plugins"])
        ctx.call_on_close(lambda: os.environ.pop("HAKB_LOAD_PLUGINS", None))


def _terminated(signum, frame) -> None:
    raise KeyboardInterrupt  # a terminated run cleans up (temporary files, open case) like Ctrl-C


def main() -> None:
    signal.signal(signal.SIGTERM, _terminated)
    cli(prog_name="hakb")
