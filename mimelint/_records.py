"""``NamedTuple`` for mimelint's modules: typing's at type-checking time,
the same ``collections.namedtuple`` class at run time, made without
typing's check of every field.

``class Finding(NamedTuple): ...`` under ``from __future__ import
annotations`` hands :class:`typing.NamedTuple` each field's annotation as a
string, and typing compiles every one into a ``ForwardRef`` (Python
source compiled, about 6 to 15 µs a field) only to keep it. A plain check
defines about 45 such classes with about 280 fields: nearly a tenth of
its start-up. The class built here is what typing builds, from the same
``collections.namedtuple`` call: same fields, defaults, methods,
docstring, ``_replace``/``_make``/``_asdict``; ``__annotations__`` keeps
the annotations as written (``typing.get_type_hints`` resolves them).
Type checkers see :class:`typing.NamedTuple` itself.
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING, Any

__all__ = ["NamedTuple"]

#: What a NamedTuple class body may not define (as typing refuses them).
_PROHIBITED = frozenset(
    {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults"}
    | {"_make", "_replace", "_asdict", "_source"}
)
#: Class-body names that are not copied onto the class.
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})


class _RecordType(type):
    """Builds the tuple class for ``class X(NamedTuple)`` as typing does."""

    def __new__(cls, typename: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
        annotations: dict[str, Any] = namespace.get("__annotations__", {})
        defaults = []
        for field in annotations:
            if field in namespace:
                defaults.append(namespace[field])
            elif defaults:
                raise TypeError(f"{typename}: the field {field} without a default follows one with")
        factory: Any = collections.namedtuple
        made = factory(
            typename, list(annotations), defaults=defaults, module=namespace["__module__"]
        )
        made.__annotations__ = made.__new__.__annotations__ = dict(annotations)
        for key, value in namespace.items():
            if key in _PROHIBITED:
                raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
            if key not in _SPECIAL and key not in annotations:
                setattr(made, key, value)
        return made


if TYPE_CHECKING:
    from typing import NamedTuple
else:
    NamedTuple = type.__new__(_RecordType, "NamedTuple", (), {})
