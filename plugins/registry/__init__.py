"""Windows registry export plugin (skeleton: regedit REGEDIT4 and version 5.00 exports)."""
