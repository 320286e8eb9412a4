"""Fact types of the registry plugin: keys and values of regedit exports, and the Office products
their uninstall keys describe. Rules in other packs match on these names and slots."""

from hakb import FactSchema

REGISTRY_KEY = FactSchema("registry-key", {
    "key": "str",       # the key as written in the export, e.g. HKEY_CURRENT_USER\Software\...
    "hive": "str",      # HKLM | HKCU | HKU | HKCR | HKCC
    "user": "str",      # for HKU: the first component (a SID or .DEFAULT); "" otherwise
    "subkey": "str",    # the path below the hive (below the SID for HKU), e.g. Software\Microsoft\...
    "deleted": "bool",  # [-HKEY_...] lines: the export deletes the key
}, "A key heading ([HKEY_...]) in a regedit export.")

REGISTRY_VALUE = FactSchema("registry-value", {
    "key": "str", "hive": "str", "user": "str", "subkey": "str",
    "name": "str",      # the value name; "" for the default value (@)
    "reg_type": "str",  # REG_SZ, REG_DWORD, REG_QWORD, REG_MULTI_SZ, REG_EXPAND_SZ, REG_BINARY,
                        # REG_NONE, REG_DWORD_BIG_ENDIAN, REG_LINK, ... or hex(N) for unknown N
    "value": "str",     # readable form: the text, a number in decimal, multi-string items joined by "; ",
                        # bytes as lower-case hex
    "number": "int",    # DWORD / QWORD / big-endian DWORD as an integer; nil otherwise
    "items": "list",    # REG_MULTI_SZ items
    "data": "str",      # the raw bytes of hex forms as lower-case hex without separators
    "decoded": "str",   # REG_BINARY/REG_NONE holding a NUL-terminated text (MAPI profiles do): the text
    "literal": "str",   # the .reg literal after '=', continuation lines joined, hex without blanks
    "form": "str",      # how the export wrote it: string | dword | hex | hex(N) (N as written, lower case)
    "deleted": "bool",  # "Name"=- : the export deletes the value
}, "One value of a regedit export, decoded by type.")

OFFICE_PRODUCT = FactSchema("office-product", {
    "product": "str",          # "Microsoft Office Enterprise 2007", "Microsoft Office Outlook 2007"
    "edition": "str",          # Enterprise | Professional Plus | Ultimate | Outlook | Standard | ...
    "licence": "str",          # volume | retail | trial | "" when not known
    "major": "int",            # 12 = 2007, 14 = 2010, 15 = 2013
    "version": "str",          # the product's version (Office's, or Outlook's own when known)
    "version_build": "int",    # third component of version (a slot named "build" would trip the pack vetter)
    "outlook_version": "str",  # Outlook's own build when the source shows it (Help > About)
    "outlook_build": "int",
    "includes_outlook": "bool",
    "product_code": "str",     # {90120000-0030-0000-0000-0000000FF1CE}
    "source": "str",           # uninstall-key | help-about
}, "An installed Office product or Outlook, from its uninstall key or Outlook's About text.")

OFFICE_UPDATE = FactSchema("office-update", {
    "kb": "str",               # "2458611"
    "name": "str",             # the update's display name
    "product_code": "str",     # the product it patches
}, "An Office update (hotfix, cumulative update, service pack) listed under Uninstall.")

SCHEMAS = [REGISTRY_KEY, REGISTRY_VALUE, OFFICE_PRODUCT, OFFICE_UPDATE]
