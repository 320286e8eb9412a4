"""Package list for the three source trees that make up the `hakb` package.

The core lives in src/hakb, the built-in plugins in plugins/ and the knowledge in kb/;
setuptools maps each onto `hakb.*` (see package-dir in pyproject.toml). Listing the
packages here, by walking the trees, means a new plugin or knowledge folder ships
without anybody editing a package list.
"""
from setuptools import find_namespace_packages, find_packages, setup

packages = ["hakb", "hakb.plugins", "hakb.kb"]
packages += ["hakb." + p for p in find_packages("src/hakb")]
packages += ["hakb.plugins." + p for p in find_packages("plugins")]
packages += ["hakb.kb." + p for p in find_namespace_packages("kb")]  # data folders

setup(packages=packages)
