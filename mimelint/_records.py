"""``NamedTuple``, ``TypedDict`` and ``Protocol`` for mimelint's modules:
typing's at type-checking time, and at run time classes made without
importing :mod:`typing` (about 2.5 ms of every start with what it
imports: docs/performance.md, "Start-up, fourth pass").

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

``TypedDict`` makes what typing makes at run time: a class whose call
returns a plain ``dict``, with ``__required_keys__``, ``__optional_keys__``,
``__total__`` and the annotations as written. ``Protocol`` (a structural
type, which only type checkers read) is a plain base class at run time.
"""

from __future__ import annotations

import collections

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

__all__ = ["NamedTuple", "Protocol", "TypedDict"]

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


class _TypedDictType(type):
    """Builds the class for ``class X(TypedDict, total=...)`` as typing does."""

    def __new__(
        cls, typename: str, bases: tuple[type, ...], namespace: dict[str, Any], total: bool = True
    ) -> Any:
        own: dict[str, Any] = namespace.get("__annotations__", {})
        annotations: dict[str, Any] = {}
        required: set[str] = set()
        optional: set[str] = set()
        for base in bases:  # keys and annotations are inherited, as typing does
            annotations.update(getattr(base, "__annotations__", {}))
            required.update(getattr(base, "__required_keys__", ()))
            optional.update(getattr(base, "__optional_keys__", ()))
        (required if total else optional).update(own)
        made: Any = type.__new__(cls, typename, (dict,), namespace)
        made.__annotations__ = annotations | own
        made.__total__ = total
        made.__required_keys__ = frozenset(required)
        made.__optional_keys__ = frozenset(optional)
        return made

    def __call__(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return dict(*args, **kwargs)


if TYPE_CHECKING:
    from typing import NamedTuple, Protocol, TypedDict
else:
    NamedTuple = type.__new__(_RecordType, "NamedTuple", (), {})
    TypedDict = type.__new__(_TypedDictType, "TypedDict", (), {})
    Protocol = object
