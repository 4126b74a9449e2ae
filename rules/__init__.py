"""mimelint's built-in rules, one module per concern.

Each module exposes ``RULES``, registered under the ``mimelint.rules``
entry-point group in ``pyproject.toml`` exactly as a third-party plugin
would register its own.
"""
