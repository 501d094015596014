"""audit.records.dataclass behaves as dataclasses.dataclass: equality, hashing, repr, fields."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.records import dataclass, field


def _pair(**options):
    """The same class made by the stdlib and by audit.records."""

    def make(decorator):
        class Point:
            x: int
            y: str = ""
            tags: list = dataclasses.field(default_factory=list, compare=False, repr=False)

        return decorator(**options)(Point)

    return make(dataclasses.dataclass), make(dataclass)


@pytest.mark.parametrize("options", [{}, {"slots": True}, {"frozen": True}, {"frozen": True, "slots": True}, {"kw_only": True}])
@given(a=st.tuples(st.integers(-3, 3), st.sampled_from(["", "a"])), b=st.tuples(st.integers(-3, 3), st.sampled_from(["", "a"])))
def test_same_behaviour_as_the_stdlib(options, a, b):
    stdlib, ours = _pair(**options)
    assert dataclasses.is_dataclass(ours)
    assert [f.name for f in dataclasses.fields(ours)] == [f.name for f in dataclasses.fields(stdlib)]
    s1, s2 = stdlib(x=a[0], y=a[1], tags=[1]), stdlib(x=b[0], y=b[1], tags=[2])
    o1, o2 = ours(x=a[0], y=a[1], tags=[1]), ours(x=b[0], y=b[1], tags=[2])
    assert (o1 == o2) == (s1 == s2)
    assert (o1 != o2) == (s1 != s2)
    assert o1 != s1  # another class: never equal, as between two dataclasses
    assert repr(o1).replace("Point", "") == repr(s1).replace("Point", "")
    assert dataclasses.asdict(o1) == dataclasses.asdict(s1)
    if options.get("frozen"):
        assert hash(o1) == hash(s1)  # the same tuple hashed
        with pytest.raises(dataclasses.FrozenInstanceError):
            o1.x = 9
    else:
        with pytest.raises(TypeError):
            hash(o1)


def test_one_field_and_no_field():
    @dataclass(frozen=True)
    class One:
        x: int

    @dataclass(frozen=True)
    class Empty:
        pass

    assert One(1) == One(1) and One(1) != One(2)
    assert hash(One(1)) == hash((1,))
    assert Empty() == Empty() and hash(Empty()) == hash(())


def test_own_methods_and_options_are_kept():
    @dataclass
    class Custom:
        x: int

        def __eq__(self, other):
            return True

        def __repr__(self):
            return "custom"

    assert Custom(1) == Custom(2) and repr(Custom(1)) == "custom"

    @dataclass(eq=False, repr=False)
    class Plain:
        x: int = field(default=0)

    assert Plain() != Plain() and hash(Plain()) is not None
    assert repr(Plain()).startswith("<")


def test_recursive_repr_does_not_loop():
    @dataclass
    class Node:
        children: list

    node = Node([])
    node.children.append(node)
    assert repr(node).endswith("Node(children=[...])")  # qualname, as the stdlib prints it
