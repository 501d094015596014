"""--format jsonl: one JSON object per line, for researchers streaming thousands of files.

Each line has a "type": "finding" (the json format's finding plus "path"), "error" (a file that
could not be read), "note" (an expired or unused waiver), and a last "summary" line.
"""

from __future__ import annotations

import json

from audit.model import RunReport
from audit.report import ReportOptions
from audit.report.json_ import finding_dict, note_dict
from audit.report.summary import summarise


def _dump(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def render(run: RunReport, options: ReportOptions) -> str:
    lines = []
    for file in run.files:
        if file.error:
            lines.append(_dump({"type": "error", "path": file.path, "error": file.error}))
            continue
        for finding in file.findings:
            lines.append(_dump({"type": "finding", "path": file.path, **finding_dict(finding, options.lang)}))
    for note in run.notes:
        lines.append(_dump({"type": "note", **note_dict(note, options.lang)}))
    summary = summarise(run)
    if run.suppressed:
        summary["suppressed"] = dict(run.suppressed)
    lines.append(_dump({"type": "summary", **summary}))
    return "\n".join(lines) + "\n"
