"""An indicator table's header row (一级指标 … 指标值) and the level names of its rows, read
against the indicator schema: which cell holds each role, and the canonical 一级/二级.

audit/facts/projects.py walks a project's rows; reading what a header row says is a job of its
own (not memoised: a few header rows a document, microseconds each).
"""

from __future__ import annotations

from operator import itemgetter

from audit.lexicon import indicator_schema

_ROLES = ("value", "level1", "level2", "level3", "description", "basis")
_HEADER_WORDS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "level3",
    "绩效指标描述": "description",
    "指标描述": "description",
    "指标内容": "description",
    "指标值": "value",
    "指标值(包含数字及文字描述)": "value",
    "指标值确定依据": "basis",
    "指标值设定依据": "basis",
    "备注": "basis",
}


def _indicator_header(texts: tuple[str, ...]) -> dict[str, int] | None:
    """The header row's cell index of each role, or None for no indicator header."""
    roles: dict[str, int] = {}
    position = 0
    for text in texts:
        words = text.split() or [""]
        for word in words:
            role = _HEADER_WORDS.get(word)
            if role and role not in roles:
                roles[role] = position
            position += 1
    if "value" in roles and ("level1" in roles or "level2" in roles):
        return roles
    return None


def _indicator_layout(texts: tuple[str, ...]) -> tuple[dict[str, int], tuple[int | None, ...], int, itemgetter] | None:
    """What the builder keeps of a header row: its roles, each of _ROLES' cell index, its width,
    and a getter of _ROLES' cell texts from a full row with "" appended ("" for a missing role)."""
    header = _indicator_header(texts)
    if header is None:
        return None
    roles = tuple(map(header.get, _ROLES))
    return header, roles, max(header.values()) + 1, itemgetter(*[-1 if i is None else i for i in roles])


def _level_names(level1_raw: str, level2_raw: str) -> tuple[str | None, str, str | None]:
    """(canonical 一级 or None, where it came from, 二级) as the schema reads the printed pair;
    a 一级 still None is carried from the row above by the builder."""
    schema = indicator_schema()
    level1 = schema.canonical_level1(level1_raw)
    if level1 is not None:
        source = "cell"
    else:
        level1 = schema.parent_of(level2_raw) or None
        source = "inferred" if level1 else "cell"
    return level1, source, schema.canonical_level2(level2_raw) or level2_raw or None
