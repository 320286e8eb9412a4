"""(being written) VMware vmkfstools parsers."""

PARSERS: list = []
