"""`dataclass`, cheaper to define: what every module here uses in place of dataclasses.dataclass.

On Python 3.11 a dataclass costs ~0.4 ms to create, mostly one exec() per generated method, and a
cold `audit check` creates sixty of them before reading a line. The generated `__eq__` and `__repr__`
are two of those execs; here they are shared functions reading the fields through one
operator.attrgetter made per class, which halves the cost. Instances behave as before: equal
when of the same class with equal compared fields, unhashable unless frozen (then hashed on the
same tuple as a dataclass's own __hash__), and `dataclasses.fields`/`asdict`/pydantic see a dataclass.
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter
from reprlib import recursive_repr

field = dataclasses.field


def dataclass(cls=None, /, **options):
    """dataclasses.dataclass with the same options; `eq` and `repr` are built without exec()."""

    eq = options.pop("eq", True)
    show = options.pop("repr", True)

    def wrap(cls):
        if options.get("order") or options.get("unsafe_hash"):
            return dataclasses.dataclass(cls, eq=eq, repr=show, **options)  # rare: the stdlib's own
        made = dataclasses.dataclass(cls, eq=False, repr=False, **options)
        fields = dataclasses.fields(made)
        if eq and "__eq__" not in cls.__dict__:
            made.__eq__ = _equality(_getter([f.name for f in fields if f.compare]))
            if "__hash__" not in cls.__dict__:
                # as a dataclass: frozen hashes its compared fields' tuple, otherwise unhashable
                hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
                made.__hash__ = _hashing(_getter(hashed)) if options.get("frozen") else None
        if show and "__repr__" not in cls.__dict__:
            made.__repr__ = _representation([f.name for f in fields if f.repr])
        return made

    return wrap if cls is None else wrap(cls)


def _getter(names: list[str]):
    """self → the tuple of those fields (a tuple even for one field or none, as a dataclass compares)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return lambda self: ()


def _equality(values):
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


def _hashing(values):
    def __hash__(self):
        return hash(values(self))

    return __hash__


def _representation(names: list[str]):
    @recursive_repr()
    def __repr__(self):
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__qualname__}({inner})"

    return __repr__


def slot_setters(cls, *names: str) -> tuple:
    """Setters of a frozen slotted class's fields, for a hand-written __init__ on a class built by
    the thousand: a frozen dataclass's own __init__ makes one object.__setattr__ call per field,
    which costs about twice as much as setting the slot through its descriptor."""
    return tuple(cls.__dict__[name].__set__ for name in names)
