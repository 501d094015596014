"""One language at a time: with the default Chinese no English word in any format's human text
(findings, notices, summaries, JUnit messages, CSV values); with --lang en no Chinese outside the
document's own text that a finding quotes. Identifiers (rule ids and names, paths, encodings, the
keys of machine formats) belong to no language and are not scanned.

"Quoted document text" is measured, not guessed: a Latin word (zh) or a run of Chinese (en) that
occurs in the audited file itself is the document speaking."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest

from audit.model import RunReport
from audit.pipeline import Options, audit_path
from audit.report import FORMATS, ReportOptions, writer
from audit.report.common import relative_path
from audit.rules import load_rules
from tests.conftest import SEEDS
from tests.reporting import EXAMPLE

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
ENCODINGS = {"utf", "gb", "gbk", "gb18030", "bom"}  # the encoding a file was read in: a name, not a word


@pytest.fixture(scope="module")
def rules():
    return load_rules()


class _Text(HTMLParser):
    """The text an HTML page shows (not its scripts, styles, or attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style", "code")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style", "code")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


HUMAN_KEYS = {"message", "suggestion", "diagnosis", "description"}  # machine formats: the rest is data (keys, evidence values)


def _strings(value, key: str = "") -> list[str]:
    """The human-language strings of a JSON document: values under HUMAN_KEYS."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, k)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item, key)]
    return [value] if isinstance(value, str) and key in HUMAN_KEYS else []


def human_text(fmt: str, output: str) -> str:
    """What a person reads in `output`, without the identifiers and the source excerpts."""
    if fmt == "sarif":  # the results' messages (the rule catalogue it carries is both languages by design)
        return "\n".join(r["message"]["text"] for run in json.loads(output)["runs"] for r in run["results"])
    if fmt in ("json", "gitlab"):
        return "\n".join(_strings(json.loads(output)))
    if fmt == "jsonl":
        return "\n".join(s for line in output.splitlines() if line for s in _strings(json.loads(line)))
    if fmt == "junit":
        root = ElementTree.fromstring(output.encode("utf-8"))
        return "\n".join([e.get("message", "") for e in root.iter()] + [e.text or "" for e in root.iter()])
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(output.lstrip("\ufeff"))))
        drop = {0, 3, 4, 12}  # path, rule id, rule name, fingerprint
        return "\n".join(cell for row in rows for i, cell in enumerate(row) if i not in drop)
    if fmt == "github":
        return "\n".join(line.split("::", 2)[-1] for line in output.splitlines())
    if fmt == "html":
        parser = _Text()
        parser.feed(output)
        return "\n".join(parser.parts)
    if fmt == "markdown":
        return re.sub(r"`[^`]*`|&\w+;", " ", output)
    return "\n".join(line for line in output.splitlines() if " │ " not in line)  # text, concise: not the quoted source lines


# Chinese the checks and rule data write with no English form (reported; fixed where they are made,
# in checks/indicators.py's I009 term label and the B007 subject in rules/budget_tables.yaml)
KNOWN_UNTRANSLATED = ("的指标值", "机关运行经费与日常公用经费")
CITATION = re.compile(r"\S{1,6}〔\d{4}〕\d+号")  # a regulation's document number (财预〔2016〕143号): a proper name


def foreign(fmt: str, output: str, lang: str, document: str, identifiers: set[str]) -> set[str]:
    """The other language's words in `output`; `document` is the audited text and every value its
    findings quote as stated or expected (the document's words, in whichever language it uses)."""
    text = human_text(fmt, output)
    for name in sorted(identifiers, key=len, reverse=True):
        text = text.replace(name, " ")
    if lang == "zh":
        return {w for w in LATIN_WORD.findall(text) if w.lower() not in ENCODINGS and w not in document}
    text = CITATION.sub(" ", text)
    for known in KNOWN_UNTRANSLATED:
        text = text.replace(known, " ")
    return {run for run in CHINESE.findall(text) if run not in document}


def _documents() -> list[Path]:
    return [EXAMPLE, *SEEDS]  # without ../shared, the example alone


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_speaks_one_language(fmt, lang, rules):
    problems = {}
    for path in _documents():
        report = audit_path(str(path), rules, Options(selected=set(rules.rules)))
        run = RunReport(version="t", rules=rules.rules, files=[report])
        output = writer(fmt)(run, ReportOptions(lang=lang, statistics=True))
        quoted = [v for f in report.findings if f.evidence for v in (f.evidence.stated, f.evidence.computed) if v]
        quoted += [t.value for f in report.findings if f.evidence for t in f.evidence.terms]  # the document's figures and titles
        document = "\n".join([path.read_text(encoding="utf-8"), *quoted])
        identifiers = {str(path), relative_path(str(path)), os.path.relpath(path), path.name, "audit", "GitHub"}  # the tool and a product: names
        identifiers |= {name.replace("_", "\\_") for name in identifiers}  # as Markdown escapes them
        identifiers |= {r.id for r in rules} | {r.name for r in rules}
        found = foreign(fmt, output, lang, document, identifiers)
        if found:
            problems[path.name] = sorted(found)[:15]
    assert not problems, f"{fmt} --lang {lang}: words of the other language: {problems}"


def test_the_scanner_sees_a_stray_word():
    """The check itself can fail: an English word in Chinese text, Chinese in English text."""
    assert foreign("text", "汇总: 1 个文件 finding(s)\n", "zh", "", set()) == {"finding"}
    assert foreign("text", "Summary: 1 file 上一项 previous\n", "en", "", set()) == {"上一项"}
    assert foreign("text", "   12 │ 支出 previous\n", "zh", "", set()) == set()  # a quoted source line
    assert foreign("text", "「PM2.5」 监测\n", "zh", "空气 PM2.5 浓度", set()) == set()  # the document's own word
