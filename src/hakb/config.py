"""Settings from a TOML config file, with where each effective value came from.

The file is ``--config FILE``, else ``HAKB_CONFIG``, else ``config.toml`` in the platform's
config folder (``~/.config/hakb/`` on Linux, via platformdirs). A missing default file is fine;
a named file that is missing or invalid is an error. Example::

    db = "/srv/hakb/cases.db"     # the case database (HAKB_DB overrides)
    fail_on = "error"             # hakb diagnose --fail-on
    plugins = ["vmware", "windows"]  # plugins to load (HAKB_LOAD_PLUGINS overrides)
    rule_timeout = 30             # hakb diagnose --rule-timeout, seconds
    color = "never"               # auto | always | never

Precedence, highest first: the command line, the environment, the config file, the default.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FAIL_LEVELS = ("critical", "error", "warning", "info", "never")
COLOR_MODES = ("auto", "always", "never")
#: Defaults of the settings a config file may change (the same values the commands show).
DEFAULT_RULE_TIMEOUT = 10.0
DEFAULTS: dict[str, Any] = {"db": None, "fail_on": "warning", "plugins": None,
                            "rule_timeout": DEFAULT_RULE_TIMEOUT, "color": "auto"}
#: Environment variables that override a setting.
ENVIRONMENT = {"db": "HAKB_DB", "plugins": "HAKB_LOAD_PLUGINS"}


class ConfigError(Exception):
    """The config file cannot be used; the message names the file and what is wrong."""


@dataclass
class Config:
    """Effective settings and, for each, where it came from."""

    path: Path | None  # the file read, or None when there was none
    values: dict[str, Any] = field(default_factory=lambda: dict(DEFAULTS))
    sources: dict[str, str] = field(default_factory=lambda: {k: "default" for k in DEFAULTS})

    def from_file(self, name: str) -> bool:
        return self.sources.get(name, "").startswith("config file")


def default_path() -> Path:
    """Where the config file is looked for when neither --config nor HAKB_CONFIG names one."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("hakb", appauthor=False)) / "config.toml"


def _check(name: str, value: Any, where: str) -> Any:
    def bad(expected: str) -> ConfigError:
        return ConfigError(f"{where}: {name} must be {expected}, not {value!r}")

    if name == "db":
        if not isinstance(value, str) or not value:
            raise bad("a file path (a string)")
        return str(Path(value).expanduser())
    if name == "fail_on":
        if value not in FAIL_LEVELS:
            raise bad("one of " + ", ".join(FAIL_LEVELS))
        return value
    if name == "color":
        if value not in COLOR_MODES:
            raise bad("one of " + ", ".join(COLOR_MODES))
        return value
    if name == "rule_timeout":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0.1:
            raise bad("a number of seconds (at least 0.1)")
        return float(value)
    if name == "plugins":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad("a list of plugin names")
        return value
    raise ConfigError(f"{where}: unknown setting {name!r} (known: {', '.join(DEFAULTS)})")


def load(given: str | None = None, environ: dict | None = None) -> Config:
    """The effective settings: ``given`` (--config), else HAKB_CONFIG, else the default file."""
    environ = os.environ if environ is None else environ
    named = given or environ.get("HAKB_CONFIG")
    path = Path(named).expanduser() if named else default_path()
    config = Config(path=None)
    if path.is_file():
        where = f"config file {path}"
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config file {path}: {exc}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from exc
        config.path = path
        for name, value in data.items():
            config.values[name] = _check(name, value, where)
            config.sources[name] = where
    elif named:
        source = "--config" if given else "HAKB_CONFIG"
        raise ConfigError(f"config file {path} ({source}) does not exist")
    for name, variable in ENVIRONMENT.items():
        if environ.get(variable) is not None:
            raw = environ[variable]
            config.values[name] = ([p.strip() for p in raw.split(",") if p.strip()]
                                   if name == "plugins" else raw)
            config.sources[name] = f"environment {variable}"
    return config
