"""Which parser reads each NSX sample, through the core (sections, then parsers or object shapes)."""

from pathlib import Path

import pytest

from hakb import Head
from hakb.parsing import choose_parser
from hakb.plugin_manager import get_plugin_manager, parsers
from bundles import samples

SAMPLES = samples("nsx")


@pytest.mark.parametrize("name, parser", [
    ("vmkping-too-long.txt", "nsx-vmkping"),
    ("vmkping-silent-loss.txt", "nsx-vmkping"),
    ("vmkping-success-no-command.txt", "nsx-vmkping"),
    ("esxcli-vswitch-standard-list.txt", "nsx-vswitch-list"),
    ("esxcli-vswitch-dvs-list-empty.txt", "nsx-vswitch-list"),
    ("esxcli-vswitch-dvs-list.txt", "nsx-vswitch-list"),
    ("esxcfg-vswitch-l.txt", "nsx-vswitch-list"),
    ("vShield Manager.vmx", "nsx-vmx"),
    ("nsxmgr01.vmx", "nsx-vmx"),
    ("vcsa01.vmsd", "nsx-vmsd"),
    ("vShield Manager.vmsd", "nsx-vmsd"),
    ("vim-cmd-snapshots.txt", "nsx-vms, nsx-vim-cmd-snapshots"),
    ("vim-cmd-snapshot-tree.txt", "nsx-vim-cmd-snapshots"),
    ("show-version.txt", "nsx-version"),
    ("version-line.txt", "nsx-version"),
    ("backup-listing.txt", "nsx-upgrade-files"),
    ("backup-dir-windows.txt", "nsx-upgrade-files"),
])
def test_each_sample_is_read_by_its_parser(read, name, parser):
    got = read(SAMPLES / name)
    assert got.result.status == "parsed", got.result.message
    assert got.result.parser == parser


def test_the_example_readmes_are_not_claimed(read):
    readmes = sorted(Path(__file__).resolve().parents[2].glob("facts/nsx/examples/nsx-*/README.md"))
    assert len(readmes) == 3
    for readme in readmes:
        chosen, _ = choose_parser(Head("README.md", readme.read_text()), parsers(get_plugin_manager()))
        assert chosen is None, (readme, chosen and chosen.name)
        got = read(readme)  # nor do its sections' records fit an object shape
        assert (got.result.status, got.facts) == ("skipped", []), readme
