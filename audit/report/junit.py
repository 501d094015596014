"""--format junit: one <testsuite> per file, one <testcase> per file × rule (CI dashboards show them as tests).

A testcase fails when the rule has findings at or above --fail-on (the rest go to system-out);
it is skipped when the rule found nothing to check; an unreadable file is one errored testcase.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from audit.model import RunReport, Severity
from audit.report import ReportOptions
from audit.report.common import evidence_line, relative_path, rule_name

_BAD_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _BAD_XML.sub("\ufffd", text)


def _counts(element: ET.Element, tests: int, failures: int, errors: int, skipped: int) -> None:
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", str(errors))
    element.set("skipped", str(skipped))


def render(run: RunReport, options: ReportOptions) -> str:
    lang = options.lang
    threshold = None if options.fail_on == "never" else Severity(options.fail_on).rank
    suites = ET.Element("testsuites", name="audit")
    totals = [0, 0, 0, 0]
    for file in run.files:
        path = relative_path(file.path, options.root)
        suite = ET.SubElement(suites, "testsuite", name=_clean(path))
        counts = [0, 0, 0, 0]
        if file.error:
            case = ET.SubElement(suite, "testcase", classname=_clean(path), name="read")
            ET.SubElement(case, "error", message=_clean(file.error), type="input")
            counts = [1, 0, 1, 0]
        else:
            by_rule: dict[str, list] = {}
            for finding in file.findings:
                by_rule.setdefault(finding.rule, []).append(finding)
            for rule in sorted(set(file.checks) | set(by_rule)):
                findings = by_rule.get(rule, [])
                case = ET.SubElement(suite, "testcase", classname=_clean(path), name=f"{rule} {rule_name(run, rule)}")
                counts[0] += 1
                tally = file.checks.get(rule)
                failing = [f for f in findings if threshold is not None and f.severity.rank >= threshold]
                body = "\n".join(
                    _clean(
                        f"{path}:{f.span.line}:{f.span.column}: [{f.severity.value}] {f.message.get(lang)}"
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
                        message=_clean(f"{len(findings)} finding(s): {failing[0].message.get(lang)}"),
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
                        message=f"not applicable {tally.not_applicable}, insufficient data {tally.insufficient_data}",
                    )
        _counts(suite, *counts)
        totals = [a + b for a, b in zip(totals, counts)]
    _counts(suites, *totals)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
