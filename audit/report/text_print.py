"""--format text, the printing half: report lines (text, style pieces) become the characters a
terminal or file receives — wrapped to a width (`fit`), then printed plainly or through rich.

audit/report/text.py lays the report out as lines; this module owns everything about turning those
lines into characters, so that the layout code never meets rich and the plain printer sits beside
the rich one it must match byte for byte.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

from audit.report import ReportOptions

Piece = tuple[str, "str | None"]  # text and its style
Line = tuple["str | None", list[Piece]]  # a style for the whole line, and its pieces

NO_LINE_START = set("，。、；：！？）」』”’》〉】,.;:!?)]")
BREAK_BACK = 24  # cells a line break may step back to land on a space instead of inside a word


def fit(lines: list[Line], width: int | None) -> list[Line]:
    """Each line wrapped to `width` cells (None: left as it is), its continuation lines indented two
    cells past the line's own indent. Chinese breaks between any two characters, words at a space
    when there is one near the edge. Source excerpts and carets are cut to fit beforehand, never here."""
    if width is None:
        return lines
    out: list[Line] = []
    for line in lines:
        style, pieces = line
        chars = [(char, piece_style) for piece, piece_style in pieces for char in piece.replace("\t", " ")]
        if sum(cell_len(char) for char, _ in chars) <= width:
            out.append(line)
            continue
        text = "".join(char for char, _ in chars)
        indent = min(len(text) - len(text.lstrip(" ")) + 2, width // 2)
        while chars:
            cut, used, space = 0, 0, -1
            while cut < len(chars) and used + cell_len(chars[cut][0]) <= width:
                used += cell_len(chars[cut][0])
                if chars[cut][0] == " " and cut > indent:
                    space = cut
                cut += 1
            inside_word = 0 < cut < len(chars) and all(c[0] != " " and c[0].isascii() for c in (chars[cut - 1], chars[cut]))
            if inside_word and space > 0 and used - _cells(chars[: space + 1]) <= BREAK_BACK:
                cut = space + 1  # the break falls inside a word: break at the space before it
            elif 1 < cut < len(chars) and chars[cut][0] in NO_LINE_START:
                cut -= 1  # a closing mark never starts a line (禁则): its character goes down with it
            head, chars = chars[:max(cut, 1)], chars[max(cut, 1):]
            out.append((style, _pieces(head)))
            if chars:
                while chars and chars[0][0] == " ":
                    chars.pop(0)
                chars = [(" ", None)] * indent + chars if chars else chars
    return out


def _cells(chars: list[tuple[str, str | None]]) -> int:
    return sum(cell_len(char) for char, _ in chars)


def _pieces(chars: list[tuple[str, str | None]]) -> list[Piece]:
    """Characters back into (text, style) pieces, one per run of one style."""
    pieces: list[Piece] = []
    for char, style in chars:
        if pieces and pieces[-1][1] == style:
            pieces[-1] = (pieces[-1][0] + char, style)
        else:
            pieces.append((char, style))
    return [(text.rstrip(" ") if i == len(pieces) - 1 else text, style) for i, (text, style) in enumerate(pieces)]


RIGHT_FROM = 2  # table columns from this one on are numbers, right-aligned
_CONTROL = re.compile("[\x07\x08\x0b\x0c\x0d]")  # what rich strips from text: bell, backspace, VT, FF, CR


class PlainPrinter:
    """The bytes rich's console prints without colour, for the lines this report is made of
    (soft wrap: no wrapping, no cropping). Returns None where it would differ from rich."""

    def __init__(self, width: int):
        self.width = width

    def lines(self, lines: list[Line]) -> str | None:
        text = _CONTROL.sub("", "\n".join("".join(piece for piece, _ in pieces) for _, pieces in lines))
        return None if "\t" in text else text + "\n"

    def blocks(self, blocks: list[list[Line]]) -> str | None:
        return self.lines([line for block in blocks for line in block])

    def table(self, rows: list[list[str]]) -> str | None:
        """rich's Table(box=None, show_edge=False, pad_edge=False): columns as wide as their widest
        cell, one space of padding inside each column edge but the outer two, numbers right-aligned."""
        count = len(rows[0])
        cells = [[_CONTROL.sub("", cell) for cell in row] for row in rows]
        if any("\t" in cell or "\n" in cell or "[" in cell or cell != cell.strip(" ") for row in cells for cell in row):
            return None  # rich reads [..] as markup, trims edge spaces its own way; summary cells have neither
        widths = [max(cell_len(row[c]) for row in cells) for c in range(count)]
        padded = [w + (c > 0) + (c < count - 1) for c, w in enumerate(widths)]
        if sum(padded) > self.width:
            return None
        out = []
        for row in cells:
            parts = []
            for c, cell in enumerate(row):
                gap = " " * (widths[c] - cell_len(cell))
                text = gap + cell if c >= RIGHT_FROM else cell + gap
                parts.append((" " if c > 0 else "") + text + (" " if c < count - 1 else ""))
            out.append("".join(parts))
        return "\n".join(out) + "\n"


class RichPrinter:
    """The same lines through rich's console (with colour, or where plain printing would differ)."""

    def __init__(self, options: ReportOptions, width: int):
        import io

        from rich.console import Console

        self.buffer = io.StringIO()
        self.console = Console(
            file=self.buffer,
            force_terminal=options.color,
            color_system="standard" if options.color else None,
            width=width,
            highlight=False,
            soft_wrap=True,  # a finding stays on one line in files and pipes (grep); terminals wrap it themselves
        )

    def _flush(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text

    @staticmethod
    def _text(lines: list[Line]):
        from rich.text import Text

        out = []
        for style, pieces in lines:
            text = Text(style=style or "")
            for piece, piece_style in pieces:
                text.append(piece, style=piece_style)
            out.append(text)
        return Text("\n").join(out)

    def lines(self, lines: list[Line]) -> str:
        self.console.print(self._text(lines))
        return self._flush()

    def blocks(self, blocks: list[list[Line]]) -> str:
        from rich.text import Text

        self.console.print(Text("\n").join([self._text(block) for block in blocks]))
        return self._flush()

    def table(self, rows: list[list[str]]) -> str:
        from rich.table import Table

        table = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
        for c, title in enumerate(rows[0]):
            if c >= RIGHT_FROM:
                table.add_column(title, justify="right")
            else:
                table.add_column(title)
        for row in rows[1:]:
            table.add_row(*row)
        self.console.print(table)
        return self._flush()
