"""The indicator lexicons (polarity.yaml, units.yaml, placeholders.yaml) against real indicator
names taken from the five seed disclosures: what a reviewer would say each name's direction and
unit class are."""

from __future__ import annotations

import re

import pytest

from audit.checks.indicators.placeholders import template_text
from audit.indicators.names import polarity_of_names, unit_classes_of
from audit.indicators import Dimension
from audit.lexicon import lexicon
from audit.model import Text

P, N, T, M, C = Dimension.PERCENT, Dimension.NONE, Dimension.DURATION, Dimension.MONEY, Dimension.COUNT

# (三级指标, 绩效指标描述, dimension of the value, expected polarity) — names as printed in the seeds.
POLARITY = [
    ("重大安保任务完成率(%)", "重大安保任务完成率(%)", P, "higher"),
    ("公众安全感指数(%)", "公众安全感指数(%)", P, "higher"),
    ("项目完工及时率(%)", "项目完工及时率(%)", P, "higher"),
    ("群众满意度", "群众满意度", P, "higher"),
    ("民警满意度", "使用感受", P, "higher"),
    ("大型活动安全举办率", "安全举办大型活动数量占全部大型活动数量比例", P, "higher"),
    ("协调督导事项化解率", "已化解协调督导事项占全部化解协调督导事项的比例", P, "higher"),
    ("准确率", "辅警工资核算准确无误", P, "higher"),
    ("被拘留人员档案完整率", "被拘留人员档案建档完整数量与总数比率", P, "higher"),
    ("前端设备在线率", "设备全年平均在线率", P, "higher"),
    ("优良率", "训练人员达标占参训人员比率", P, "higher"),
    ("案件处理办结率(%)", "案件处理办结率(%)", P, "higher"),
    ("服务对象满意度(%)", "调查中满意和较满意的人数占调查总人数的比率", N, "higher"),
    ("满意率", "满意率", N, "higher"),
    ("安全销毁爆炸物品率", "安全销毁爆炸物品率", P, "higher"),
    ("信息准确、及时率", "信息准确、及时率", P, "higher"),
    ("购置装备合格率", "购置装备合格率", P, "higher"),
    ("项目质量", "服务合格率", P, "higher"),  # the description names the rate
    ("治安、刑事案件下降率(%)", "治安、刑事案件下降率(%)", P, "decline"),
    ("辖区发案下降率", "辖区发案下降率", P, "decline"),
    ("“两抢一盗”案件降低率", "“两抢一盗”案件比上年同期降低率", P, "decline"),
    ("车辆违法下降率(%)", "全市公路车辆违法数量比上年同期减少的比率", P, "decline"),
    ("执法办案行为投诉率", "被投诉的执法办案行为次数占执法办案总数的比率", P, "lower"),
    ("机动车注册、年检遗漏率(%)", "应注册未注册机动车数量占应注册年检机动车总数的比例", P, "lower"),
    ("社会公众投诉率", "社会公众投诉情况", P, "lower"),
    ("故障率", "系统正常使用", P, "lower"),
    ("安全事故率", "协助看护留置对象过程中出现的安全事故所占比率", P, "lower"),
    ("治安刑事案件发案率", "治安刑事案件发案率", P, "lower"),
    ("安保任务响应时间", "响应上级下达任务的安保任务", T, "lower"),
    ("治安、刑事案件处理及时性", "治安、刑事案件处理及时性", T, "lower"),
    ("交通事故处置及时性(小时)", "及时调度、指挥相关单位处置交通事故的平均时间", T, "lower"),
    ("响应时间", "按时完成", T, "lower"),
    # No direction can be read (or the wording is ambiguous): never judged.
    ("成本控制率", "实际支出金额与预算金额比较情况", P, None),
    ("预算执行率", "预算执行情况", P, None),
    ("采购设备成本降低率", "采购装备成本降低率", P, None),
    ("采购资金到位率", "采购资金到位率", P, None),
    ("执勤人员比率", "执勤人员占总人数比率", P, None),
    ("净化环境卫生,保持市容市貌整洁", "与上年对比群众投诉率下降", P, None),
    ("监区秩序稳定", "减少病亡率", N, None),
    ("水资源污染", "减少水资源污染", P, None),
    ("重要时期无重大事件发生", "重要时期无重大事件发生", P, None),
    ("铁路运行安全性", "铁路运行是否发生安全事故", P, None),
    ("服务保障", "为局机关运转提供服务保障", P, None),
    ("值班值守情况", "值班值守情况", T, None),
    ("冬季取暖天数", "冬季取暖天数", T, None),
    ("确保冬季取暖时长", "确保冬季在押人员取暖期需求", T, None),
    ("保障联网应用", "实现视频应用的持续", T, None),
    ("处置案件及时性", "处置案件及时性", P, None),
    ("群众满意度", "群众满意度", M, None),  # a money value: direction is not read from a rate word
]


@pytest.mark.parametrize("level3,description,dimension,expected", POLARITY, ids=[p[0] for p in POLARITY])
def test_polarity_of_real_names(level3, description, dimension, expected):
    found = polarity_of_names(level3, description, dimension)
    assert (found.direction if found else None) == expected


# (三级指标, 绩效指标描述, expected unit classes read from the names' heads)
UNIT_CLASSES = [
    ("警务站数量", "7个警务站", ["count"]),
    ("辅警人数", "现有辅警人数不超编制数", ["count"]),
    ("参与看护留置对象数", "当年协助市纪委监察看护留置对象", ["count"]),
    ("培训人员数(名)", "培训人员数(名)", ["count"]),
    ("服务场所", "服务场所个数", ["count"]),
    ("刑拘数量", "刑拘数量", ["count"]),
    ("办理刑事案件数", "办理刑事案件数", ["count"]),
    ("司法救助困难家庭个数", "司法救助困难家庭个数", ["count"]),
    ("爆炸物品处置销毁", "爆炸物品处置销毁天数", ["duration"]),
    ("报送网络舆情时间", "报送网络舆情时间", ["duration"]),
    ("确保冬季取暖时长", "确保冬季在押人员取暖期需求", ["duration"]),
    ("保障系统稳定", "保障稳定时限", ["duration"]),
    ("案件结案率(%)", "案件结案率(%)", ["rate"]),
    ("公众安全感指数", "治安管理满意数/总调查人数", ["rate"]),
    ("安全事故发生数量控制率", "被羁押人员各类安全事故发生数量控制率", ["rate"]),
    ("群众满意度", "群众满意度", ["rate"]),
    ("实际受理案件数量", "实际受理案件数量增长率", ["count", "rate"]),
    ("租赁成本", "租赁成本", ["money"]),
    ("按照合同时间缴纳费用", "按照合同时间缴纳费用", ["money"]),
    ("支出服务费用", "支出服务费用超出预算投资百分比", ["money", "rate"]),
    ("工作完成及时性", "各项工作按上级要求及本单位计划时间完成", ["timeliness"]),
    ("交通事故处置及时性(小时)", "及时调度、指挥相关单位处置交通事故的平均时间", ["duration", "timeliness"]),
    # heads that name no unit: not judged
    ("值班值守情况", "值班值守情况", []),
    ("租赁车辆", "租赁长城公司欧拉电动汽车", []),
    ("进一步简化程序,缩短周期", "", ["duration"]),
    ("采取切实可行措施,在规定时限内完成证件申办", "", []),
    ("见义勇为先进事迹的宣传", "见义勇为先进事迹的宣传", []),
]


@pytest.mark.parametrize("level3,description,expected", UNIT_CLASSES, ids=[u[0] for u in UNIT_CLASSES])
def test_unit_classes_of_real_names(level3, description, expected):
    assert sorted(unit_classes_of(level3, description)) == sorted(expected)


def test_lexicons_cover_more_than_fifty_real_names():
    assert len(POLARITY) + len(UNIT_CLASSES) >= 50


@pytest.mark.parametrize(
    "text,found",
    [
        ("1.目标内容1保障劳务派遣人员按月领取工资", "目标内容1"),
        ("1.目标内容1 提高办案人员业务水平", "目标内容1"),
        ("指标XXX", "指标XXX"),
        ("请填写绩效目标", "请填写"),
        ("1.保障劳务派遣人员按月领取工资", None),
        ("发放国家安全宣传明白纸20000余张", None),
        ("XXL码警用服装", None),
    ],
)
def test_template_text(text, found):
    hit = template_text(text)
    assert (hit[0] if hit else None) == found


def test_placeholder_patterns_are_bounded():
    """Regexes applied to whole cells must stay linear on long input."""
    for entry in lexicon("placeholders")["template_text"]:
        assert re.search(r"\([^)]*[+*]\)[+*]", entry["pattern"]) is None  # no nested quantifiers
    long = "目标" * 200_000
    assert template_text(long) is None


def test_every_lexicon_keyword_list_is_nonempty_strings():
    polarity = lexicon("polarity")
    for key in ("decline", "lower_rates", "lower_durations", "higher", "neutral", "negative_sense"):
        assert polarity[key] and all(isinstance(w, str) and w for w in polarity[key])
    units = lexicon("units")
    for spec in units["classes"].values():
        assert spec["keywords"] and spec["allow"]
        assert {d for d in spec["allow"]} <= {d.value for d in Dimension}


def test_derived_answers_follow_a_lexicon_extension(monkeypatch):
    """What is computed from the lexicons and cached (template patterns, label readings…) is
    recomputed after a project extends them, even when a check already ran in this process."""
    from audit import lexicon as lexicons
    from audit.facts.amounts import concept_of

    monkeypatch.setattr(lexicons, "_EXTENSIONS", {})
    lexicons.reset()
    try:
        assert template_text("本项目样板待补") is None
        before = concept_of("奇异专项经费")
        lexicons.extend("placeholders", {"template_text": [{"pattern": "样板待补", "label": {"zh": "样板", "en": "a sample", "fr": "exemple"}}]})
        lexicons.extend("budget_labels", {"concepts": [["oddity", "奇异专项"]]})
        assert template_text("本项目样板待补") == ("样板待补", Text(zh="样板", en="a sample"))
        assert concept_of("奇异专项经费") == "oddity" != before
    finally:
        lexicons._EXTENSIONS.clear()
        lexicons.reset()
