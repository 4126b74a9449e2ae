"""Email templates: Jinja and Handlebars/Mustache ``.eml`` files, raw or rendered.

- :mod:`mimelint.templates.scan`: the placeholders of a template;
- :mod:`mimelint.templates.mask`: raw-template mode, the template parsed as
  the message it will become, placeholders masked in place;
- :mod:`mimelint.templates.render`: render mode, with every rendered byte
  mapped back to the template;
- :mod:`mimelint.templates.lint`: :func:`lint_template`, both modes.

This module itself is light (file discovery asks it which names are
templates); the rest loads on first use.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

    from mimelint.templates.lint import lint_template


class Syntax(str, enum.Enum):
    """A template language."""

    JINJA = "jinja"
    HANDLEBARS = "handlebars"


#: File-name endings that mark a template, and their syntax.
DEFAULT_EXTENSIONS: dict[str, Syntax] = {
    ".eml.j2": Syntax.JINJA,
    ".eml.jinja": Syntax.JINJA,
    ".eml.jinja2": Syntax.JINJA,
    ".eml.hbs": Syntax.HANDLEBARS,
    ".eml.handlebars": Syntax.HANDLEBARS,
    ".eml.mustache": Syntax.HANDLEBARS,
}


def syntax_for(name: str, extensions: Mapping[str, str] | None = None) -> Syntax | None:
    """The syntax of a template file named ``name``, or None for a plain message.

    ``extensions`` adds endings (``".eml.tpl": "jinja"``) to the defaults.
    Endings are compared case-insensitively; the longest one that matches wins.
    """
    lower = name.lower()
    table: dict[str, Syntax] = dict(DEFAULT_EXTENSIONS)
    for ending, syntax in (extensions or {}).items():
        table[ending.lower()] = Syntax(syntax)
    best: tuple[int, Syntax] | None = None
    for ending, syntax in table.items():
        if lower.endswith(ending) and (best is None or len(ending) > best[0]):
            best = (len(ending), syntax)
    return None if best is None else best[1]


def __getattr__(name: str) -> Any:
    if name == "lint_template":
        from mimelint.templates.lint import lint_template

        return lint_template
    raise AttributeError(name)


__all__ = ["DEFAULT_EXTENSIONS", "Syntax", "lint_template", "syntax_for"]
