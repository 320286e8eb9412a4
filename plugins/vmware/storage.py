"""(being written) VMware datastore and snapshot parsers and their fact schemas."""

SCHEMAS: list = []
PARSERS: list = []
