"""Rule documentation from one source, the rule's YAML entry: `audit explain`, SARIF help and docs/rules.md."""

from __future__ import annotations

import json

from audit.rules import Rule

HEADINGS = {
    "zh": {
        "what": "检查什么",
        "message": "提示模板",
        "why": "为什么",
        "suggestion": "建议模板",
        "bad": "反例",
        "good": "正例",
        "options": "参数说明",
        "params": "参数值",
        "references": "依据",
        "severity": "级别",
        "kind": "检查类型",
        "source": "定义于",
        "name": "名称",
    },
    "en": {
        "what": "What it checks",
        "message": "Message",
        "why": "Why",
        "suggestion": "Suggestion",
        "bad": "Bad",
        "good": "Good",
        "options": "Options",
        "params": "Params",
        "references": "References",
        "severity": "Severity",
        "kind": "Kind",
        "source": "Defined in",
        "name": "Name",
    },
}


def _params(rule: Rule) -> str:
    return json.dumps(rule.params, ensure_ascii=False, sort_keys=True)


def explain_text(rule: Rule, lang: str = "zh") -> str:
    """The full entry as plain text, in one language."""
    h = HEADINGS[lang]
    sep = "：" if lang == "zh" else ": "
    out = [f"{rule.id} {rule.name} [{rule.severity.value}]", rule.title.get(lang), ""]
    if rule.rationale:
        out += [h["why"] + sep + rule.rationale.get(lang), ""]
    out.append(h["message"] + sep + rule.message.get(lang))
    if rule.suggestion:
        out.append(h["suggestion"] + sep + rule.suggestion.get(lang))
    for key in ("bad", "good"):
        example = getattr(rule.examples, key, None) if rule.examples else None
        if example:
            out.append(h[key] + sep + _example_text(example))
    if rule.options:
        out.append(h["options"] + sep + rule.options.get(lang))
    if rule.params:
        out.append(h["params"] + sep + _params(rule))
    if rule.references:
        out.append(h["references"] + sep + ("；" if lang == "zh" else "; ").join(rule.references))
    out.append(h["kind"] + sep + rule.kind)
    if rule.source:
        out.append(h["source"] + sep + rule.source)
    return "\n".join(out)


def _example_text(text: str) -> str:
    """An example as the terminal shows it: a whole document (several lines) on its own lines,
    indented, with its TABs visible as wide gaps."""
    if "\n" not in text.strip():
        return text
    return "\n" + "\n".join("    " + line.replace("\t", "  │ ") if line else "" for line in text.rstrip("\n").split("\n"))


def _example_markdown(label: str, text: str) -> list[str]:
    """An example in Markdown: inline code for a phrase, a fenced block for a document."""
    if "\n" not in text.strip():
        return [f"- {label}: {_code(text)}"]
    return [f"- {label}:", "", "  ```text", *("  " + line for line in text.rstrip("\n").split("\n")), "  ```"]


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def explain_markdown(rule: Rule, lang: str = "zh", level: int = 2) -> str:
    """The full entry as Markdown, in one language (SARIF help.markdown)."""
    h = HEADINGS[lang]
    hashes = "#" * level
    out = [f"{hashes} {rule.id} {rule.name}: {rule.title.get(lang)}", ""]
    out.append(f"- {h['severity']}: `{rule.severity.value}`  ·  {h['kind']}: `{rule.kind}`")
    out.append("")
    if rule.rationale:
        out += [f"**{h['why']}.** {rule.rationale.get(lang)}", ""]
    out += [f"**{h['message']}:** {_code(rule.message.get(lang))}", ""]
    if rule.suggestion:
        out += [f"**{h['suggestion']}:** {_code(rule.suggestion.get(lang))}", ""]
    if rule.examples and (rule.examples.bad or rule.examples.good):
        if rule.examples.bad:
            out += _example_markdown(f"✗ {h['bad']}", rule.examples.bad)
        if rule.examples.good:
            out += _example_markdown(f"✓ {h['good']}", rule.examples.good)
        out.append("")
    if rule.options:
        out += [f"**{h['options']}:** {rule.options.get(lang)}", ""]
    if rule.params:
        out += [f"**{h['params']}:** {_code(_params(rule))}", ""]
    if rule.references:
        out += [f"**{h['references']}:** " + "; ".join(rule.references), ""]
    return "\n".join(out).rstrip() + "\n"


def rules_page(rules) -> str:
    """docs/rules.md: the table of every rule, then each rule in Chinese and English."""
    rules = list(rules)
    out = [
        "# Rules / 规则",
        "",
        "<!-- Generated from rules/*.yaml by `audit docs --output docs/rules.md`. Do not edit by hand. -->",
        "",
        f"{len(rules)} rules. Every rule has an id (`B003`) and a kebab-case name (`schedule-gap`); "
        "both work wherever a rule is named: `--select`, `--ignore`, `audit explain`, config, waivers.",
        "",
        "| id | name | severity | 标题 | title |",
        "| --- | --- | --- | --- | --- |",
    ]
    for rule in rules:
        cells = [f"[{rule.id}](#{rule.id.lower()})", f"`{rule.name}`", rule.severity.value, rule.title.zh, rule.title.en]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    out.append("")
    for rule in rules:
        out += [f'<a id="{rule.id.lower()}"></a>', ""]
        out.append(explain_markdown(rule, "zh", level=2))
        out.append(explain_markdown(rule, "en", level=3).replace(f"### {rule.id} {rule.name}: ", "### English: ", 1))
        if rule.source:
            out += [f"*Defined in `rules/{rule.source.split(':')[0]}`.*", ""]
    return "\n".join(out).rstrip() + "\n"
