"""What every command shares: one-line failures, safe output, colour, sizes, the case store.

Light on purpose: it imports click and the standard library only, so loading a command to show
its help costs nothing; the store and the rest are imported where they are used.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

import click

from hakb.cli.lazy import LazyGroup
from hakb.safetext import one_line, terminal

#: Exceptions that are the user's input, not a bug: one line, exit 2. Given as "module:Name"
#: and matched only when that module is loaded (an exception of a module never imported
#: cannot have been raised), so this list costs no import.
USER_ERRORS = [
    "hakb.bundle:InputError", "hakb.plugin_manager:PluginError", "hakb.store:StoreError",
    "hakb.engine:EngineError", "hakb.knowledge:KnowledgeError", "hakb.config:ConfigError",
    "hakb.cli.common:OutputError",
]


class OutputError(Exception):
    """A file the user asked hakb to write cannot be written."""


def _is_user_error(exc: BaseException) -> bool:
    for spec in USER_ERRORS:
        module_name, name = spec.split(":")
        module = sys.modules.get(module_name)
        kind = getattr(module, name, None) if module else None
        if kind is not None and isinstance(exc, kind):
            return True
    return False


class HakbGroup(LazyGroup):
    """Turns every failure into one line and exit code 2; --debug shows the traceback.
    A closed pipe (``hakb kb list | head -1``) ends the command quietly."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            saved = (ctx.obj or {}).get("saved")
            click.echo(f"hakb: interrupted; case {saved} was saved before" if saved
                       else "hakb: interrupted; nothing was saved", err=True)
            sys.exit(130)
        except BrokenPipeError:
            _detach(err=False)
            sys.exit(0)
        except Exception as exc:
            if _is_user_error(exc):
                self._fail(ctx, f"hakb: error: {one_line(str(exc))}")
            self._fail(ctx, f"hakb: internal error: {type(exc).__name__}: {one_line(str(exc))} "
                            "(run again with --debug for the traceback)")

    @staticmethod
    def _fail(ctx: click.Context, message: str) -> None:
        if ctx.obj and ctx.obj.get("debug"):
            traceback.print_exc()
        echo(message, err=True)
        sys.exit(2)


# -- output -----------------------------------------------------------------------------------

_closed = {False: False, True: False}  # stdout / stderr found closed (a pipe's reader left)


def _detach(err: bool) -> None:
    """After EPIPE: send the rest of this stream to /dev/null so nothing (not even the flush at
    exit) complains, and skip further writes."""
    _closed[err] = True
    stream = sys.stderr if err else sys.stdout
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # not a real file (a test runner's buffer): skipping further writes is enough


def root_obj() -> dict:
    ctx = click.get_current_context(silent=True)
    return (ctx.find_root().obj or {}) if ctx else {}


def colour_for(err: bool = False) -> bool:
    """Whether to colour a stream: --color always/never, else only a terminal, and never with
    NO_COLOR set (no-color.org) or TERM=dumb."""
    mode = root_obj().get("color", "auto")
    if mode in ("always", "never"):
        return mode == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    stream = sys.stderr if err else sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def echo(text: str = "", *, err: bool = False, nl: bool = True, raw: bool = False) -> None:
    """click.echo for text from bundles and packs: control characters escaped (unless ``raw``:
    text a renderer already made safe and maybe coloured), a closed pipe ends output quietly."""
    if _closed[err]:
        return
    try:
        click.echo(text if raw else terminal(text), err=err, nl=nl, color=colour_for(err))
    except BrokenPipeError:
        _detach(err)


def dumps(value, indent: int | None = 2) -> str:
    """JSON for a terminal or a script: also C1 control characters (which JSON may carry raw and
    some terminals obey) as \\u escapes."""
    text = json.dumps(value, indent=indent, ensure_ascii=False, default=str)
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def check_writable(output: str | None, option: str = "-o") -> None:
    """Fail now, before any work, if ``output`` could not be written."""
    if not output:
        return
    target = Path(output)
    parent = target.parent
    if target.is_dir():
        raise OutputError(f"cannot write {output}: it is a folder ({option})")
    if not parent.is_dir():
        raise OutputError(f"cannot write {output}: folder {parent} does not exist ({option})")
    if not os.access(parent, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise OutputError(f"cannot write {output}: permission denied ({option})")


def emit(text: str, output: str | None, raw: bool = False) -> None:
    """Print ``text``, or write it to ``output`` whole (never a half-written file)."""
    if not output:
        echo(text, raw=raw)
        return
    target = Path(output)
    temporary = target.with_name(target.name + ".partial")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from exc
    finally:
        temporary.unlink(missing_ok=True)  # interrupted or failed: no .partial left over


# -- option types -----------------------------------------------------------------------------

class Size(click.ParamType):
    """A size in bytes, with an optional binary unit: ``20G``, ``500M``, ``64KiB``, ``1024``."""

    name = "size"
    _UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            return value
        match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", str(value), re.I)
        if not match:
            self.fail(f"{value!r} is not a size (e.g. 20G, 500M, 64K or a number of bytes)", param, ctx)
        return int(float(match.group(1)) * self._UNITS[match.group(2).lower()])


def parse_moment(value: str | None, option: str) -> datetime | None:
    """An ISO date or time (UTC unless it says otherwise), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter("use ISO form, e.g. 2026-11-20 or 2026-11-20T09:15:00Z",
                                 param_hint=option)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def setting(name: str):
    """The effective value of a config setting (config file, else default)."""
    config = root_obj().get("config")
    if config is None:
        from hakb.config import DEFAULTS

        return DEFAULTS[name]
    return config.values[name]


# -- unpacking limits -------------------------------------------------------------------------

# Defaults are stated in the help (not imported, so `--help` loads no archive code); a test
# keeps them equal to hakb.bundle.Limits.
def archive_limit_options(function):
    """``--max-unpacked``, ``--max-files`` and ``--max-ratio``, for every command that unpacks."""
    for option in reversed([
        click.option("--max-unpacked", type=Size(), default=None, metavar="SIZE",
                     help="Refuse archives that unpack to more than this; units K, M, G, T (500M, "
                          "20G).  [default: 20G]"),
        click.option("--max-files", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Refuse archives with more members than this.  [default: 100000]"),
        click.option("--max-ratio", type=click.FloatRange(min=1), default=None, metavar="RATIO",
                     help="Refuse archives that unpack to more than this many times their size "
                          "(bombs).  [default: 200]")]):
        function = option(function)
    return function


def archive_limits(max_unpacked, max_files, max_ratio):
    """The :class:`hakb.bundle.Limits` the options give (defaults where not given)."""
    from hakb.bundle import Limits

    given = {"max_total_bytes": max_unpacked, "max_files": max_files, "max_ratio": max_ratio}
    return Limits(**{name: value for name, value in given.items() if value is not None})


# -- the case store ---------------------------------------------------------------------------

def db_option(function):
    return click.option("--db", metavar="PATH", envvar="HAKB_DB", type=click.Path(dir_okay=False),
                        help="Case database (default: HAKB_DB, else the config file's db, else "
                             "the user's data folder).")(function)


def store_path(db: str | None) -> Path:
    if db:
        return Path(db)
    configured = setting("db")
    if configured:
        return Path(configured)
    from hakb.store import default_path

    return default_path()


def open_store(db: str | None, write: bool = True):
    """The case store; ``write=False`` opens an existing database read-only and never creates
    one (None when there is none yet)."""
    from hakb.store import Store

    path = store_path(db)
    if write:
        return Store(path)
    return Store.open_existing(path)
