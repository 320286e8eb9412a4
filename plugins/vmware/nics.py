"""(being written) VMware nics parsers."""

PARSERS: list = []
