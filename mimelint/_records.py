"""``NamedTuple``, ``TypedDict`` and ``Protocol`` for mimelint's modules:
typing's at type-checking time, and at run time classes made without
importing :mod:`typing` (about 2.5 ms of every start with what it
imports: docs/performance.md, "Start-up, fourth pass").

``class Finding(NamedTuple): ...`` under ``from __future__ import
annotations`` hands :class:`typing.NamedTuple` each field's annotation as a
string, and typing compiles every one into a ``ForwardRef`` (Python
source compiled, about 6 to 15 µs a field) only to keep it. A plain check
defines about 45 such classes with about 280 fields: nearly a tenth of
its start-up. The class built here has what typing's has, the class
``collections.namedtuple`` makes: the same fields, defaults, methods,
``_replace``/``_make``/``_asdict`` (its docstrings are our own); ``__annotations__`` keeps
the annotations as written (``typing.get_type_hints`` resolves them). It
is built without compiling a ``__new__`` per class (:func:`_record_class`).
Type checkers see :class:`typing.NamedTuple` itself.

``TypedDict`` makes what typing makes at run time: a class whose call
returns a plain ``dict``, with ``__required_keys__``, ``__optional_keys__``,
``__total__`` and the annotations as written. ``Protocol`` (a structural
type, which only type checkers read) is a plain base class at run time.
"""

from __future__ import annotations

import collections
import sys
import types

TYPE_CHECKING = False  # typing's flag, without importing typing at start-up
if TYPE_CHECKING:
    from typing import Any

__all__ = ["NamedTuple", "Protocol", "TypedDict"]

#: The attribute getter ``collections.namedtuple`` gives each field: C's
#: ``_tuplegetter``, or collections' own fallback where there is none.
_getter: Any = collections._tuplegetter  # type: ignore[attr-defined]

#: What a NamedTuple class body may not define (as typing refuses them).
_PROHIBITED = frozenset(
    {"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults"}
    | {"_make", "_replace", "_asdict", "_source"}
)
#: Class-body names that are not copied onto the class.
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})
#: From Python 3.13 on, namedtuple's ``_replace`` raises ``TypeError`` (not
#: ``ValueError``) for a name that is no field, and ``__replace__`` is the
#: same method, for :func:`copy.replace`.
_SINCE_3_13 = sys.version_info >= (3, 13)
_REPLACE_ERROR = TypeError if _SINCE_3_13 else ValueError


#: The ``__new__`` of a record of each arity, compiled once per arity (see
#: :func:`_record_class`).
_NEW_BY_ARITY: dict[int, Any] = {}
_NEW_GLOBALS: dict[str, Any] = {"_tuple_new": tuple.__new__, "__builtins__": {}}


def _new_of_arity(count: int) -> Any:
    """``lambda _cls, _0, ..., _n: _tuple_new(_cls, (_0, ..., _n))``, as
    ``collections.namedtuple`` writes a class's ``__new__``, compiled on the
    first record with ``count`` fields: its parameters are renamed per class."""
    made = _NEW_BY_ARITY.get(count)
    if made is None:
        names = "".join(f"_{index}, " for index in range(count))
        made = _NEW_BY_ARITY[count] = eval(
            f"lambda _cls, {names}: _tuple_new(_cls, ({names}))", _NEW_GLOBALS
        )
    return made


def _record_class(
    typename: str, fields: tuple[str, ...], defaults: tuple[Any, ...], namespace: dict[str, Any]
) -> Any:
    """A class with what ``collections.namedtuple(typename, fields,
    defaults=defaults, module=...)`` gives (the same names in its namespace,
    signatures, behaviour and pickling; docstrings of our own), with
    ``namespace``'s own attributes added.

    ``collections.namedtuple`` compiles each class's ``__new__`` from
    source: about half of the class's cost, 0.26M of 0.48M instructions,
    ~40 times at every start (docs/performance.md, "Start-up, sixth
    pass"). The code of a ``__new__`` differs between classes only by the
    names of its parameters, so here it is compiled once per arity and the
    parameters renamed (:meth:`types.CodeType.replace`); the function, the
    attribute getters and so construction and reads are the same as
    namedtuple's.
    """
    for name in fields:
        if name.startswith("_"):
            raise ValueError(f"Field names cannot start with an underscore: {name!r}")
    count = len(fields)
    arg_list = ", ".join(fields) + ("," if count == 1 else "")
    template = _new_of_arity(count)
    new = types.FunctionType(
        template.__code__.replace(co_varnames=("_cls", *fields)),
        _NEW_GLOBALS,
        "__new__",
        defaults,
    )
    new.__doc__ = f"A new {typename} of the values of its fields, {arg_list}."
    shown = "(" + ", ".join(f"{name}=%r" for name in fields) + ")"
    tuple_new = tuple.__new__

    def _make(cls: Any, iterable: Any) -> Any:
        values = tuple_new(cls, iterable)
        if len(values) == count:
            return values
        raise TypeError(f"Expected {count} arguments, got {len(values)}")

    _make.__doc__ = f"A {typename} of the {count} values an iterable gives."

    def _replace(self: Any, /, **kwds: Any) -> Any:
        values = [kwds.pop(name, value) for name, value in zip(fields, self)]
        if kwds:
            raise _REPLACE_ERROR(f"Got unexpected field names: {list(kwds)!r}")
        return self._make(values)

    _replace.__doc__ = f"A copy of this {typename} with the fields named given new values."

    def __repr__(self: Any) -> str:
        return type(self).__name__ + shown % tuple(self)

    __repr__.__doc__ = f"The {typename} as its type's name and each field's value."

    def _asdict(self: Any) -> dict[str, Any]:
        return dict(zip(fields, self))

    _asdict.__doc__ = "Each field's name and value, in field order."

    def __getnewargs__(self: Any) -> tuple[Any, ...]:
        return tuple(self)

    __getnewargs__.__doc__ = "The values as a plain tuple, for copy and pickle."

    for method in (new, _make, _replace, __repr__, _asdict, __getnewargs__):
        method.__qualname__ = f"{typename}.{method.__name__}"
        # Typed for mypy only: the class's methods show no annotations at
        # run time (``inspect.signature``, ``typing.get_type_hints``, whose
        # names "Any" would not resolve here).
        method.__annotations__ = {}
    made: dict[str, Any] = {
        "__doc__": f"{typename}({arg_list})",
        "__slots__": (),
        "_fields": fields,
        "_field_defaults": dict(zip(fields[count - len(defaults) :], defaults)),
        "__new__": new,
        "_make": classmethod(_make),
        "_replace": _replace,
        "__repr__": __repr__,
        "_asdict": _asdict,
        "__getnewargs__": __getnewargs__,
        "__match_args__": fields,
    }
    if _SINCE_3_13:
        made["__replace__"] = _replace
    for index, name in enumerate(fields):
        made[name] = _getter(index, f"Field {index}, {name}.")
    for key, value in namespace.items():
        if key in _PROHIBITED:
            raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
        if key not in _SPECIAL and key not in fields:
            made[key] = value
    made["__module__"] = namespace["__module__"]
    return type(typename, (tuple,), made)


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
        made = _record_class(typename, tuple(annotations), tuple(defaults), namespace)
        made.__annotations__ = made.__new__.__annotations__ = dict(annotations)
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
