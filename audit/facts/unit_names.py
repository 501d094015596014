"""The document's title, its budget year and the unit it is about: title, preparer and
code-and-name lines (T004–T006)."""

from __future__ import annotations

from audit.facts.lazy import _Lazy



# -- titles, years, unit names ------------------------------------------------------------------

# 某局2023年部门预算公开; 上海市普陀区2025年区级部门预算 (Shanghai's covers have no 公开)
_DISCLOSURE = _Lazy(r"(部门|单位).{0,16}?预算.{0,6}公开|预算.{0,4}(信息)?公开|\d{4}\s{0,2}年.{0,8}(部门|单位)预算\s*$")
_PERFORMANCE_ONLY = _Lazy(r"绩效(目标|信息)")
_TITLE_YEAR = _Lazy(r"(\d{4})\s{0,2}年\s{0,2}度?")
_PREPARER = _Lazy(r"^(?:编制(?:单位|部门)|填报单位|预算(?:主管)?(?:单位|部门)|(?:单位|部门)名称)\s*[:]\s*(?P<name>[^\s:]{2,40})")
_CODE_NAME = _Lazy(r"^(?P<code>(?!(?:19|20)\d\d(?!\d))\d{3,6})\s*(?P<name>[^\d\s年,。][^\s\t,。]{3,40}?)(?=\s*$|\s+预算年度|\s+单位[:])")
_YEAR_SLOT = _Lazy(
    r"(?P<year>(?:19|20)\d{2})\s{0,2}年\s{0,2}度?\s{0,2}(?:部门|单位)?\s{0,2}(?:预算|支出预算|预算收入|预算支出|部门预算|单位预算)"
)
_HEADER_YEAR = _Lazy(r"预算年度\s{0,3}:?\s{0,3}(?P<year>(?:19|20)\d{2})")
# what an organisation's name ends with (局, 委员会, 中心, …, and the (本级) of a unit's own tables)
_UNIT_END = _Lazy(r"(局|委|委员会|会|院|所|中心|站|队|办|室|处|厅|部|馆|校|团|社|政府|街道|乡|镇|分局|支队|大队|本级|\(本级\))$")
_UNIT_SUFFIX = _Lazy(r"(部门|单位)$")
_TITLE_SLOT = _Lazy(r"\s{0,2}年\s{0,2}度?\s{0,2}(?:单位|部门)?\s{0,2}预算\s{0,2}(公开|信息)")
_COMPARISON = _Lazy(r"(较|比|与|同比|对比|相比|上年|去年|上一年)\s*$")
_UNIT_AFTER_YEAR = _Lazy(r"(.{3,40}?)(?:部门|单位)?(?:预算|决算)")
_UNIT_LINE_STARTS = "编填预单部"  # 编制单位, 填报单位, 预算(主管)单位, 单位名称, 部门名称; or the digits of a code


def _may_name_unit(text: str) -> bool:
    """Cheap test of a stripped line before _PREPARER / _CODE_NAME: it starts as one of them does."""
    return bool(text) and (text[0] in _UNIT_LINE_STARTS or text[0].isdigit())


def _unit_name(text: str) -> str | None:
    """The unit a stripped preparer line (编制单位：…) or code-and-name line (301001 某某局) names."""
    if not _may_name_unit(text):
        return None
    for pattern in (_PREPARER(), _CODE_NAME()):
        match = pattern.match(text)
        if match:
            name = match.group("name").strip()
            if "预算年度" in name or len(name) < 3 or not _UNIT_END().search(_UNIT_SUFFIX().sub("", name)):
                continue
            return name
    return None


def _title_unit(title: str) -> str | None:
    """The unit in a title: the text before its year (`…公安分局部门2020年度预算…` → `…公安分局`)."""
    match = _TITLE_YEAR().search(title)
    if not match:
        return None
    name = title[: match.start()].strip()
    if len(name) < 3:  # 2023年某某局部门预算公开: the unit follows the year
        after = _UNIT_AFTER_YEAR().match(title[match.end() :].strip())
        name = after.group(1) if after else ""
    name = _UNIT_SUFFIX().sub("", name.strip()).strip()
    return name if len(name) >= 3 and _UNIT_END().search(name) else None
