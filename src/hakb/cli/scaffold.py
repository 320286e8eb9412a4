"""``hakb plugin new``: start a plugin package (for plugin authors)."""

from __future__ import annotations

import click

from hakb.cli.common import echo


@click.group()
def plugin() -> None:
    """Write plugins: `hakb plugin new NAME` starts one."""


@plugin.command("new")
@click.argument("name")
@click.option("-d", "--directory", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write the package in.")
def plugin_new(name: str, directory: str) -> None:
    """Write a ready plugin package NAME: a fact schema, a parser, a rule and its article, two
    example bundles and tests that pass at once.

    \b
    Then:
      pip install -e './NAME[test]' && pytest NAME
      hakb diagnose NAME/examples/service-failed
    """
    from hakb.scaffold import ScaffoldError, write_plugin

    try:
        folder = write_plugin(name, directory)
    except ScaffoldError as exc:
        raise click.BadParameter(str(exc), param_hint="NAME") from None
    echo(f"wrote {folder}/ (plugin {name}); next: pip install -e '{folder}[test]' && pytest {folder}")
