"""The triage page of ``hakb serve``: server-rendered pages over the same case store as the CLI.

:mod:`hakb.web.app` builds the Starlette application, :mod:`hakb.web.uploads` stores uploads
safely for the diagnosis, :mod:`hakb.web.render` turns articles and fix steps into HTML.
"""
