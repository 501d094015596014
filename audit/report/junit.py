"""--format junit: one <testsuite> per file, one <testcase> per file × rule (CI dashboards show them as tests).

A testcase fails when the rule has findings at or above --fail-on (the rest go to system-out);
it is skipped when the rule found nothing to check; an unreadable file is one errored testcase.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from audit.model import FileReport, RunReport, Severity
from audit.report import ReportOptions
from audit.report.common import evidence_line, relative_path, rule_name

SEVERITY = {"zh": {"error": "错误", "warning": "警告", "info": "提示"}, "en": {"error": "error", "warning": "warning", "info": "info"}}
WORDS = {
    "zh": {"read": "读取", "findings": "{n} 个问题：{first}", "skipped": "不适用 {na}，数据不足 {insufficient}"},
    "en": {"read": "read", "findings": "{n} finding{s}: {first}", "skipped": "not applicable {na}, insufficient data {insufficient}"},
}
_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _BAD_XML.sub("\ufffd", text)


def _counts(element: ET.Element, tests: int, failures: int, errors: int, skipped: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", str(errors))
    element.set("skipped", str(skipped))


class JunitWriter:
    """The root's totals come first, so each file's <testsuite> is kept as indented text until the end."""

    def __init__(self, run: RunReport, options: ReportOptions):
        self.run, self.options = run, options
        self.threshold = None if options.fail_on == "never" else Severity(options.fail_on).rank
        self.suites: list[str] = []
        self.totals = [0, 0, 0, 0]

    def start(self) -> str:
        return ""

    def file(self, file: FileReport) -> str:
        lang, threshold = self.options.lang, self.threshold
        words = WORDS[lang]
        path = relative_path(file.path, self.options.root)
        suite = ET.Element("testsuite", name=_clean(path))
        counts = [0, 0, 0, 0]
        if file.error:
            case = ET.SubElement(suite, "testcase", classname=_clean(path), name=words["read"])
            ET.SubElement(case, "error", message=_clean(file.error), type="input")
            counts = [1, 0, 1, 0]
        else:
            by_rule: dict[str, list] = {}
            for finding in file.findings:
                by_rule.setdefault(finding.rule, []).append(finding)
            for rule in sorted(set(file.checks) | set(by_rule)):
                findings = by_rule.get(rule, [])
                case = ET.SubElement(suite, "testcase", classname=_clean(path), name=f"{rule} {rule_name(self.run, rule)}")
                counts[0] += 1
                tally = file.checks.get(rule)
                failing = [f for f in findings if threshold is not None and f.severity.rank >= threshold]
                body = "\n".join(
                    _clean(
                        f"{path}:{f.span.line}:{f.span.column}: [{SEVERITY[lang][f.severity.value]}] {f.message.get(lang)}"
                        + (f" ({evidence_line(f, lang)})" if f.evidence and evidence_line(f, lang) else "")
                        + (f" → {f.suggestion.get(lang)}" if f.suggestion else "")
                    )
                    for f in findings
                )
                if failing:
                    counts[1] += 1
                    failure = ET.SubElement(
                        case,
                        "failure",
                        message=_clean(words["findings"].format(n=len(findings), s="" if len(findings) == 1 else "s", first=failing[0].message.get(lang))),
                        type=failing[0].severity.value,
                    )
                    failure.text = body
                elif findings:
                    ET.SubElement(case, "system-out").text = body
                elif tally is not None and tally.passed == 0 and tally.failed == 0:
                    counts[3] += 1
                    ET.SubElement(
                        case,
                        "skipped",
                        message=words["skipped"].format(na=tally.not_applicable, insufficient=tally.insufficient_data),
                    )
        _counts(suite, *counts)
        self.totals = [a + b for a, b in zip(self.totals, counts)]
        ET.indent(suite, level=1)  # as ET.indent(root) would indent it
        self.suites.append(ET.tostring(suite, encoding="unicode"))
        return ""

    def finish(self) -> str:
        suites = ET.Element("testsuites", name="audit")
        _counts(suites, *self.totals)
        if not self.suites:
            return XML_DECLARATION + ET.tostring(suites, encoding="unicode") + "\n"
        suites.text = "\n  "
        head = ET.tostring(suites, encoding="unicode")[: -len("</testsuites>")]
        return XML_DECLARATION + head + "\n  ".join(self.suites) + "\n</testsuites>\n"


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
