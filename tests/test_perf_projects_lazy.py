"""Indicator spans are made on first read from the row the builder kept: they must read, compare,
copy and dump exactly as spans given to the constructor."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest
from pydantic_core import to_jsonable_python

from audit.facts.projects import Indicator, extract_projects
from audit.layout import blocks
from audit.source import from_text

from tests.test_projects import CELL_PROJECT, GRID_PROJECT

SPANS = ("span", "value_span", "name_span", "level2_span")


def eager(indicator: Indicator) -> Indicator:
    """The same indicator made by its constructor, every span given."""
    return Indicator(**{f.name: getattr(indicator, f.name) for f in dataclasses.fields(Indicator)})


def built(text: str) -> list[Indicator]:
    (project,) = extract_projects(blocks(from_text(text)))
    return project.indicators


@pytest.mark.parametrize("text", [CELL_PROJECT, GRID_PROJECT])
def test_lazy_spans_equal_constructed_ones(text):
    for lazy, made in zip(built(text), [eager(i) for i in built(text)]):
        assert lazy == made and repr(lazy) == repr(made)
        assert to_jsonable_python(lazy) == to_jsonable_python(made)  # what `audit extract` prints


@pytest.mark.parametrize("text", [CELL_PROJECT, GRID_PROJECT])
def test_lazy_spans_survive_copy_and_pickle(text):
    for indicator in built(text):
        for twin in (copy.copy(indicator), copy.deepcopy(indicator), pickle.loads(pickle.dumps(indicator))):
            assert twin == eager(indicator)


def test_spans_point_at_their_cells():
    first = built(CELL_PROJECT)[0]  # 产出指标 | 数量指标 | 完成数量 | 完成数量 | ≥10个 | 计划
    assert first.span.line == first.level2_span.line - 1
    assert first.name_span.line == first.span.line + 2
    assert first.value_span.line == first.span.line + 4


def test_a_set_span_wins_and_unknown_names_still_fail():
    indicator = built(CELL_PROJECT)[0]
    other = built(GRID_PROJECT)[0].span
    indicator.value_span = other
    assert indicator.value_span is other
    with pytest.raises(AttributeError):
        indicator.no_such_field  # noqa: B018
    with pytest.raises(AttributeError):
        Indicator.__new__(Indicator).span  # noqa: B018  (a hand-made, unfilled one has no row)
