"""quick_init: the faster constructor behaves as the dataclass one does."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from mimelint._frozen import quick_init
from mimelint.params import Param, StructuredValue
from mimelint.rule import Finding, Problem, Severity


@quick_init
@dataclass(frozen=True, slots=True)
class _Sample:
    a: int
    b: str = "b"
    c: list[int] = field(default_factory=list)


def test_positional_keyword_and_defaults_match_the_generated_constructor() -> None:
    assert _Sample(1) == _Sample(a=1, b="b", c=[])
    assert _Sample(1, "x", [2]).c == [2]
    assert _Sample(a=1, c=[3]).b == "b"
    assert _Sample(1).c is not _Sample(1).c  # a fresh default per instance


def test_instances_stay_frozen_and_hashable() -> None:
    value = Param("charset", "utf-8", 1, 2, 3, 4, False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.start = 9  # type: ignore[misc]
    assert hash(value) == hash(Param("charset", "utf-8", 1, 2, 3, 4, False))
    problem = Problem(0, 1, "text")
    assert (problem.part, problem.fix) == ("", None)
    assert hash(problem) == hash(Problem(0, 1, "text", "", None))


def test_missing_and_unknown_arguments_raise_as_before() -> None:
    with pytest.raises(TypeError):
        _Sample()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Sample(1, d=2)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Finding("M101", "n", Severity.ERROR, "m", 0, 0, 1, 1, 1)  # type: ignore[call-arg]


def test_every_field_is_set() -> None:
    sv = StructuredValue("text/plain", 0, 10, (), ())
    assert dataclasses.asdict(sv) == {
        "main": "text/plain",
        "main_start": 0,
        "main_end": 10,
        "params": (),
        "defects": (),
        "_decoded": {},
    }


def test_refuses_classes_it_cannot_serve() -> None:
    @dataclass(frozen=True)
    class NoSlots:
        a: int

    @dataclass(slots=True)
    class NotFrozen:
        a: int

    @dataclass(frozen=True, slots=True)
    class PostInit:
        a: int

        def __post_init__(self) -> None:
            pass

    for cls in (NoSlots, NotFrozen, PostInit):
        with pytest.raises(TypeError):
            quick_init(cls)
