"""Fact types of the windows plugin. ``windows-system`` is shared with other plugins' rules."""

from hakb import FactSchema

SCHEMAS = [
    FactSchema("windows-system", {
        "hostname": "str",
        "os_name": "str",            # "Microsoft Windows Server 2008 R2 Enterprise"
        "os_version": "str",         # "6.1.7601 Service Pack 1 Build 7601"
        "total_memory_mb": "int",    # Total Physical Memory, in MB whatever the locale's separators
        "available_memory_mb": "int",
        "domain": "str",
        "system_type": "str",        # "x64-based PC"
        "hotfixes": "list",          # ["KB2533552", ...]
    }, "A Windows machine as `systeminfo` describes it."),
]
