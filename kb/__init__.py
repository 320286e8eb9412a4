"""hakb's knowledge: one folder per product, each fault a rule file (.clp) beside its article (.md).

This file only makes the folder importable as ``hakb.kb`` so plugins can find it with
``importlib.resources.files("hakb.kb")``; there is no code here.
"""
