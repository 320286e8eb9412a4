"""``hakb config``: the effective settings and where each came from."""

from __future__ import annotations

import click

from hakb.cli.common import dumps, echo, root_obj, store_path


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def config(as_json: bool) -> None:
    """Show the effective settings and where each came from (command line, environment,
    config file, default), and which config file was read.

    \b
    The file is TOML: --config FILE, else HAKB_CONFIG, else config.toml in the user's config
    folder. Settings: db, fail_on, plugins, rule_timeout, color.
    """
    from hakb.config import default_path

    settings = root_obj()["config"]
    values = dict(settings.values)
    sources = dict(settings.sources)
    if values["db"] is None:
        values["db"] = str(store_path(None))
        sources["db"] = "default (the user's data folder)"
    if values["plugins"] is None:
        sources["plugins"] = "default (every installed plugin)"
    file = str(settings.path) if settings.path else None
    if as_json:
        echo(dumps({"file": file, "looked_for": str(default_path()),
                    "settings": {k: {"value": values[k], "source": sources[k]} for k in values}}),
             raw=True)
        return
    echo(f"config file: {file or f'none (looked for {default_path()})'}")
    for name in values:
        value = values[name]
        shown = ", ".join(value) if isinstance(value, list) else ("all" if value is None else value)
        echo(f"{name:13} {str(shown):40} from {sources[name]}")
