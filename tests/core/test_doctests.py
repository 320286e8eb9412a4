"""Every docstring example in hakb and its built-in plugins runs and gives what it shows."""

import doctest
import importlib
import pkgutil

import pytest

import hakb
import hakb.plugins


def modules():
    names = []
    for package in (hakb, hakb.plugins):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            names.append(info.name)
    return sorted(set(names) - {"hakb.__main__"})


@pytest.mark.parametrize("name", modules())
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
