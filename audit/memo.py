"""Memoised attributes for hot fact objects."""

from __future__ import annotations


class once:  # noqa: N801 - used as a decorator, like functools.cached_property
    """A property computed on first use, then read from the instance's __dict__.

    functools.cached_property does the same but takes a lock on every first access in Python 3.11,
    which shows in the profile when thousands of figures and indicator rows are read per file.
    Fine on a frozen dataclass: its fields never change, and `replace` makes a new instance.
    """

    def __init__(self, function) -> None:
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value
