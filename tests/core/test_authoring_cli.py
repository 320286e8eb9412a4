"""What plugin authors read from the CLI: hakb's own templates in `hakb schemas`, the API
version in `hakb plugins`."""

import json

from click.testing import CliRunner

from hakb.cli import cli
from hakb.hookspecs import API_VERSION


def test_schemas_lists_hakbs_own_templates_with_their_slots():
    result = CliRunner().invoke(cli, ["schemas", "--json", "hakb-case", "hakb-finding", "hakb-unverified"])
    assert result.exit_code == 0, result.output
    found = {s["name"]: s for s in json.loads(result.output)}
    assert found["hakb-case"]["slots"] == {"as-of": "integer", "as-of-iso": "string"}
    assert found["hakb-finding"]["slots"]["vars"] == "list"
    assert found["hakb-finding"]["slots"]["severity"] == "string"
    assert {"rule", "check", "collect", "host", "ask", "choices"} <= set(found["hakb-unverified"]["slots"])
    listing = CliRunner().invoke(cli, ["schemas"]).output
    assert "hakb-relate: (hakb)" in listing and "host-nic" in listing


def test_plugins_shows_the_api_version():
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == f"plugin API version {API_VERSION} (hakb.hookspecs)"
