"""mimelint._records.NamedTuple builds the class typing.NamedTuple builds,
without compiling each field's annotation; its TypedDict and Protocol stand
in for typing's at run time without importing typing (see the module's
docstring)."""

from __future__ import annotations

import copy
import inspect
import keyword
import pickle
import re
import typing
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mimelint
from mimelint import _records
from mimelint._records import NamedTuple, TypedDict
from tests.profiles import examples


class Ours(NamedTuple):
    """A record."""

    start: int
    name: str | None
    tags: tuple[str, ...] = ()
    weight: float = 1.0

    @property
    def doubled(self) -> int:
        return 2 * self.start

    def label(self) -> str:
        return f"{self.name}@{self.start}"


class Theirs(typing.NamedTuple):
    """A record."""

    start: int
    name: str | None
    tags: tuple[str, ...] = ()
    weight: float = 1.0

    @property
    def doubled(self) -> int:
        return 2 * self.start

    def label(self) -> str:
        return f"{self.name}@{self.start}"


def test_same_class_as_typing() -> None:
    assert Ours.__bases__ == Theirs.__bases__ == (tuple,)
    assert Ours._fields == Theirs._fields
    assert Ours._field_defaults == Theirs._field_defaults
    assert Ours.__doc__ == Theirs.__doc__ == "A record."
    assert Ours.__module__ == Theirs.__module__ == __name__
    assert Ours.__qualname__ == "Ours"
    assert list(Ours.__annotations__) == list(Theirs.__annotations__)
    assert typing.get_type_hints(Ours) == typing.get_type_hints(Theirs)
    # The one difference: annotations stay as written, not ForwardRef objects.
    ours, theirs = inspect.signature(Ours).parameters, inspect.signature(Theirs).parameters
    assert [(p.name, p.default) for p in ours.values()] == [
        (p.name, p.default) for p in theirs.values()
    ]
    assert Ours.__annotations__ == {"start": "int", "name": "str | None"} | {
        "tags": "tuple[str, ...]",
        "weight": "float",
    }
    assert type(Ours) is type(Theirs) is type  # no metaclass left on the class


def test_same_behaviour_as_typing() -> None:
    ours, theirs = Ours(3, "a"), Theirs(3, "a")
    assert tuple(ours) == tuple(theirs) == (3, "a", (), 1.0)
    assert repr(ours) == repr(theirs).replace("Theirs", "Ours")
    assert ours == theirs and hash(ours) == hash(theirs)
    assert ours.doubled == 6 and ours.label() == "a@3"
    assert ours._replace(weight=2.0) == Ours(3, "a", (), 2.0)
    assert Ours._make([1, "b", ("x",), 0.5]).tags == ("x",)
    assert ours._asdict() == theirs._asdict()
    assert pickle.loads(pickle.dumps(ours)) == ours
    with pytest.raises(AttributeError):
        ours.start = 4  # type: ignore[misc]
    with pytest.raises(TypeError):
        Ours(1)  # type: ignore[call-arg]


def test_refuses_what_typing_refuses() -> None:
    with pytest.raises(TypeError, match="without a default follows one with"):

        class Gap(NamedTuple):  # type: ignore[misc]
            a: int = 0
            b: int

    with pytest.raises(AttributeError, match="_replace"):

        class Overwrites(NamedTuple):
            a: int

            def _replace(self, **kwargs: object) -> Overwrites:  # type: ignore[misc]
                return self


def test_the_engines_records_are_namedtuples_of_their_module() -> None:
    # The public records (Finding, Problem, Edit, ...) are made here.
    for record in (mimelint.Finding, mimelint.Problem, mimelint.Edit, mimelint.Fix):
        assert record.__module__ == "mimelint.rule"
        assert record.__bases__ == (tuple,)
        assert list(record.__annotations__) == list(record._fields)
        assert typing.get_type_hints(record)  # the annotations resolve
    assert _records.NamedTuple is not typing.NamedTuple


class OurOptions(TypedDict, total=False):
    """Keywords."""

    size: int
    name: str | None


class TheirOptions(typing.TypedDict, total=False):
    """Keywords."""

    size: int
    name: str | None


class OurRequired(TypedDict):
    size: int


class TheirRequired(typing.TypedDict):
    size: int


class OurMore(OurRequired, total=False):
    note: str


class TheirMore(TheirRequired, total=False):
    note: str


def test_typed_dict_as_typing_makes_it() -> None:
    pairs = ((OurOptions, TheirOptions), (OurRequired, TheirRequired), (OurMore, TheirMore))
    for ours, theirs in pairs:
        assert ours.__total__ == theirs.__total__
        assert ours.__required_keys__ == theirs.__required_keys__
        assert ours.__optional_keys__ == theirs.__optional_keys__
        assert typing.get_type_hints(ours) == typing.get_type_hints(theirs)
        assert ours.__doc__ == theirs.__doc__
    made = OurOptions(size=3)
    assert type(made) is type(TheirOptions(size=3)) is dict
    assert made == {"size": 3}
    assert OurOptions.__optional_keys__ == {"size", "name"} and not OurOptions.__total__
    assert OurRequired.__required_keys__ == {"size"} and OurRequired.__total__
    assert OurMore.__required_keys__ == {"size"} and OurMore.__optional_keys__ == {"note"}
    assert list(OurMore.__annotations__) == ["size", "note"]


def test_protocols_stay_importable_and_describe_their_implementations() -> None:
    # At run time a Protocol is a plain base class (only type checkers read
    # it): the engine's protocols still import, and list the members that
    # their implementations have.
    import importlib.metadata

    from mimelint.entry_points import EntryPoint
    from mimelint.registry import EntryPointLike

    members = [name for name in vars(EntryPointLike) if not name.startswith("_")]
    assert sorted(members) == ["load", "name", "value"]
    for entry_point in (
        EntryPoint("x", "pkg.mod:func", "mimelint.rules"),
        importlib.metadata.EntryPoint("x", "pkg.mod:func", "mimelint.rules"),
    ):
        assert all(hasattr(entry_point, name) for name in members)


def _same_error(ours: Callable[..., object], theirs: Callable[..., object], **kwargs: int) -> None:
    """Both calls raise an exception of the same type with the same message."""
    with pytest.raises(Exception) as raised:
        theirs(**kwargs)
    with pytest.raises(raised.type, match=f"^{re.escape(str(raised.value))}$"):
        ours(**kwargs)


def test_record_class_is_what_collections_namedtuple_makes() -> None:
    # The class is built without collections.namedtuple (whose __new__ is
    # compiled per class): every attribute namedtuple gives is there, with
    # the same signatures and behaviour (and docstrings of our own), for
    # each arity.
    import collections

    for count in range(7):
        fields = tuple(f"f{index}" for index in range(count))
        for defaults in ((), tuple(range(count))[: count // 2]):
            theirs = collections.namedtuple("Rec", fields, defaults=defaults, module=__name__)
            ours = _records._record_class("Rec", fields, defaults, {"__module__": __name__})
            assert set(vars(ours)) == set(vars(theirs))
            for name in vars(theirs):
                a, b = getattr(ours, name), getattr(theirs, name)
                if callable(b) and not isinstance(b, type):
                    # Annotations too: namedtuple's methods have none, so
                    # inspect.signature and typing.get_type_hints show none.
                    assert inspect.signature(a) == inspect.signature(b), name
                    assert typing.get_type_hints(a) == typing.get_type_hints(b) == {}, name
                    assert a.__qualname__ == b.__qualname__ and a.__doc__, name
                elif name not in ("__new__", "_make", *fields):
                    assert a == b, name
            for index, name in enumerate(fields):
                assert vars(ours)[name].__doc__ == f"Field {index}, {name}."
            values = tuple(range(100, 100 + count))
            made, expected = ours(*values), theirs(*values)
            assert tuple(made) == values and repr(made) == repr(expected)
            assert ours(**dict(zip(fields, values))) == made
            assert made._asdict() == expected._asdict()
            assert ours._make(values) == made and made.__getnewargs__() == values
            if count:
                assert getattr(made, fields[-1]) == values[-1]
                assert made._replace(**{fields[0]: -1})[0] == -1
                assert ours(*values[: count - len(defaults)]) == theirs(
                    *values[: count - len(defaults)]
                )
            with pytest.raises(TypeError):
                ours(*values, 1)
            with pytest.raises(TypeError, match="Expected"):
                ours._make((*values, 1))
            _same_error(made._replace, expected._replace, zz=1, aa=2)
            if hasattr(copy, "replace"):  # Python 3.13 and later
                assert copy.replace(made) == made
                _same_error(made.__replace__, expected.__replace__, zz=1)
            assert ours.__new__.__defaults__ == theirs.__new__.__defaults__


def test_record_methods_of_the_class_body_win() -> None:
    class Shown(NamedTuple):
        a: int

        def __repr__(self) -> str:
            return f"<{self.a}>"

    assert repr(Shown(1)) == "<1>"
    assert pickle.loads(pickle.dumps(Ours(1, "x"))) == Ours(1, "x")
    with pytest.raises(ValueError, match="underscore"):

        class Hidden(NamedTuple):
            _a: int


#: Field names: short identifiers, and names of builtins, of tuple's own
#: methods, of soft keywords and of __new__'s first parameter.
_FIELD_NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True).filter(
    lambda name: not keyword.iskeyword(name)
) | st.sampled_from(["type", "id", "count", "index", "match", "case", "cls", "self", "tuple"])


def _outcome(call: Callable[..., Any], *args: object, **kwargs: object) -> tuple[object, ...]:
    """What a call gives, comparable between two classes named alike."""
    try:
        made = call(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - the error itself is compared
        return ("raised", type(exc), str(exc))
    return ("made", type(made).__name__, repr(made), tuple(made))


@settings(max_examples=examples(300), deadline=None)
@given(
    st.lists(_FIELD_NAMES, unique=True, max_size=7),
    st.data(),
)
def test_records_behave_as_collections_namedtuple(fields: list[str], data: st.DataObject) -> None:
    # Construction (by position, by keyword, missing, repeated and unknown
    # arguments), _make, _replace, _asdict, __match_args__ and pickling
    # arguments of a record class against the class collections.namedtuple
    # makes of the same fields and defaults: the same results, the same
    # errors, word for word.
    import collections

    defaults = tuple(range(data.draw(st.integers(0, len(fields)), label="defaults")))
    ours = _records._record_class("Rec", tuple(fields), defaults, {"__module__": __name__})
    theirs: Any = collections.namedtuple("Rec", fields, defaults=defaults, module=__name__)  # type: ignore[misc]
    assert ours.__match_args__ == theirs.__match_args__ == tuple(fields)
    assert ours._field_defaults == theirs._field_defaults
    assert inspect.signature(ours) == inspect.signature(theirs)
    keywords = st.sampled_from([*fields, "unknown", "_cls"])
    for _ in range(4):
        args = data.draw(st.lists(st.integers(), max_size=len(fields) + 1), label="args")
        names = data.draw(st.lists(keywords, unique=True, max_size=3), label="keywords")
        kwargs = {name: -index for index, name in enumerate(names)}
        assert _outcome(ours, *args, **kwargs) == _outcome(theirs, *args, **kwargs)
        assert _outcome(ours._make, args) == _outcome(theirs._make, args)
    values = tuple(range(10, 10 + len(fields)))
    made, expected = ours(*values), theirs(*values)
    assert made == expected and hash(made) == hash(expected)
    assert made._asdict() == expected._asdict()
    assert made.__getnewargs__() == expected.__getnewargs__()
    assert copy.deepcopy(made) == made and type(copy.copy(made)) is ours
    changes = {name: -1 for name in data.draw(st.lists(keywords, unique=True), label="changes")}
    assert _outcome(made._replace, **changes) == _outcome(expected._replace, **changes)
    if fields:
        match made:
            case ours(first) if first == values[0]:
                pass
            case _:
                pytest.fail("a record's first field is its first positional pattern")
