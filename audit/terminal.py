"""Strings from outside (file names, paths, error texts) made safe to print on a terminal.

A file may be named `\x1b]0;pwned\x07report.txt`: printed raw, that renames the terminal window,
and other sequences move the cursor, rewrite earlier lines or (on some terminals) answer back as
typed input. Document text is neutralised when it is read (audit.source); names and messages
that reach stderr or a report header go through printable().
"""

from __future__ import annotations

import re

# C0 and C1 controls and DEL, the bidirectional overrides and isolates (which reorder what a
# reader sees: "Trojan Source"), and lone surrogates (undecodable bytes of a file name, which
# would also make printing fail).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object) -> str:
    """`text` with every control, bidi override and undecodable byte shown as a visible escape
    (`\\x1b`, `\\u202e`); anything else, including all of Chinese, unchanged."""
    text = str(text)
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text
