"""PDF characters → lines of text: grouped by vertical overlap, spaced as printed.

A default grouping by equal tops splits figures set a few points lower than the Chinese words
beside them (some PDF writers do that); overlap keeps them on their line.
"""

from __future__ import annotations

from dataclasses import dataclass

from audit.readers.spacing import fix_spacing


@dataclass
class _Line:
    """Characters set on one line of a page (grouped by vertical overlap, not by equal tops)."""

    chars: list[dict]
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""
    size: float = 0.0  # the median character height: a few glyphs of another font (“”) set larger do not count



def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def group_lines(chars: list[dict]) -> list[_Line]:
    """Characters → lines, top to bottom. A character joins a line when their vertical extents
    overlap by half the smaller height: digits set 2-4 points lower than the Chinese text beside
    them stay on its line, the next line (no overlap) does not."""
    lines: list[_Line] = []
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        top, bottom = char["top"], char["bottom"]
        height = max(bottom - top, 0.1)
        for line in reversed(lines[-4:]):
            if _overlap(top, bottom, line.top, line.bottom) >= 0.5 * min(height, max(line.bottom - line.top, 0.1)):
                line.chars.append(char)
                line.x0, line.x1 = min(line.x0, char["x0"]), max(line.x1, char["x1"])
                line.top, line.bottom = min(line.top, top), max(line.bottom, bottom)
                break
        else:
            lines.append(_Line([char], char["x0"], top, char["x1"], bottom))
    for line in lines:
        line.chars.sort(key=lambda c: c["x0"])
        line.text = _line_text(line.chars)
        heights = sorted(c["bottom"] - c["top"] for c in line.chars)
        line.size = heights[len(heights) // 2]
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return [ln for ln in lines if ln.text]


def _line_text(chars: list[dict]) -> str:
    """The characters of one line left to right, a space where the gap is wider than a third of
    a character (PDF text often has no space characters at all, or one between every glyph)."""
    out: list[str] = []
    previous = None
    for char in chars:
        text = char["text"]
        if previous is not None and text != " " and out and out[-1] != " ":
            size = max(char.get("size") or 0, char["x1"] - char["x0"], 1.0)
            if char["x0"] - previous["x1"] > size * 0.35:
                out.append(" ")
        out.append(text)
        previous = char
    return fix_spacing("".join(out).strip())


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


