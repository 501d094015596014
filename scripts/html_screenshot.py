#!/usr/bin/env python
"""Render an HTML report in headless Chromium and save a screenshot (acceptance check for --format html).

    python scripts/html_screenshot.py [DISCLOSURE.txt] [--out /tmp/audit-report.png] [--dom]

Default input: seed 003 of ../shared/corpus. Prints the report and screenshot paths. With --dom it
also prints the rendered DOM's text, so a script can check that document text such as `<script>`
shows as text. Needs a `chromium` (or chromium-browser / google-chrome) on PATH.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def chromium_args(exe: str, profile: str) -> list[str]:
    return [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ]


def render_report(source: Path, html: Path, lang: str = "zh") -> None:
    subprocess.run(
        [sys.executable, "-m", "audit", "check", str(source), "--format", "html", "--output", str(html), "--lang", lang, "--exit-zero"],
        cwd=ROOT,
        check=True,
    )


def screenshot(html: Path, png: Path, width: int = 1280, height: int = 2000) -> None:
    exe = browser()
    if exe is None:
        raise SystemExit("no chromium on PATH (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            chromium_args(exe, profile) + ["--virtual-time-budget=10000", f"--screenshot={png}", f"--window-size={width},{height}", html.as_uri()],
            check=True,
            capture_output=True,
            timeout=120,
        )


def dump_dom(html: Path, fragment: str = "") -> str:
    """The DOM after the page's script ran; `fragment` (e.g. "rule=S002") preselects the filters."""
    exe = browser()
    if exe is None:
        raise SystemExit("no chromium on PATH")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            chromium_args(exe, profile) + ["--virtual-time-budget=10000", "--dump-dom", html.as_uri() + (f"#{fragment}" if fragment else "")], check=True, capture_output=True, timeout=120, text=True
        )
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "audit-report.png")
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--dom", action="store_true")
    args = parser.parse_args()
    source = args.source or next(iter(sorted(CORPUS.glob("003_*.txt"))), None)
    if source is None:
        raise SystemExit(f"no input: pass a file, or put the corpus at {CORPUS}")
    html = args.out.with_suffix(".html")
    render_report(source, html, args.lang)
    screenshot(html, args.out)
    print(f"report: {html}\nscreenshot: {args.out}")
    if args.dom:
        print(dump_dom(html))


if __name__ == "__main__":
    main()
