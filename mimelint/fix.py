"""``python -m mimelint.fix --regen``: rewrite the fixture pairs' after files.

The fix engine lives in :mod:`mimelint.fixer`; its function is exported as
``mimelint.fix``, which is the way to call it::

    import mimelint
    result = mimelint.fix(raw)

This module keeps the command above working and re-exports the engine's
names, so ``from mimelint.fix import fix`` still gives the same function.
The package imports it before binding ``mimelint.fix`` to the function
(importing a submodule sets the package attribute of its name), so an
import of this module never shadows the function.
"""

from __future__ import annotations

from mimelint.fixer import FixResult, Skipped, accept, apply, fix, main, regenerate

__all__ = ["FixResult", "Skipped", "accept", "apply", "fix", "main", "regenerate"]

if __name__ == "__main__":
    raise SystemExit(main())
