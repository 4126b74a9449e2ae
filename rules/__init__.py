"""mimelint's built-in rules: one module per rule, in a package per family.

Each family package (``rules/boundaries/``, ``rules/headers/`` ...) exposes
``RULES``, registered under the ``mimelint.rules`` entry-point group in
``pyproject.toml`` exactly as a third-party plugin would register its own.
"""
