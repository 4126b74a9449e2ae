"""mimelint's built-in rules: one module per rule, in a package per family.

Each family package (``rules/boundaries/``, ``rules/headers/`` ...) exposes
``RULES``, registered under the ``mimelint.rules`` entry-point group in
``pyproject.toml`` exactly as a third-party plugin would register its own.
A family reads its ``RULES`` from :mod:`.index`, generated from the rule
modules by ``python -m mimelint.docs``: the registry selects rules and plans
the walk with that metadata, and a rule's module is imported when the walk
first calls the rule (docs/performance.md, "Start-up").
"""
