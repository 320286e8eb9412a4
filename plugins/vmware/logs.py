"""(being written) VMware logs parsers."""

PARSERS: list = []
