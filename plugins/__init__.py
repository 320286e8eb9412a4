"""hakb's built-in plugins. Each subpackage is a plugin registered through the ``hakb``
entry-point group in pyproject.toml, exactly as a third-party plugin would be."""
