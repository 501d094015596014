"""One PDF page → its visible characters and its ruling lines, read with pypdfium2.

pdfium parses a page ten times faster than pdfminer (a 33-page disclosure: 0.1 s against 2.2 s),
so the characters and the ruled lines tables are found from come from it; the table finding
itself is pdfplumber's (audit.readers.pdf). Coordinates are pdfplumber's: points from the top-left
corner of the page as displayed (its /Rotate applied), `top` growing downwards.

What the printed page does not show is left out: characters outside the visible (crop) box, and
characters of text objects drawn outside their clipping path — WPS lays a long paragraph out once
and draws it again on the next page under a clip, so the text layer holds that part twice.
"""

from __future__ import annotations

import ctypes

Box = tuple[float, float, float, float]  # x0, top, x1, bottom


class Transform:
    """PDF user space → displayed page coordinates, for the page's rotation and media box."""

    def __init__(self, rotation: int, media: tuple[float, float, float, float]):
        self.rotation = rotation % 360
        self.media = media

    def box(self, left: float, bottom: float, right: float, top: float) -> Box:
        mx0, my0, mx1, my1 = self.media
        r = self.rotation
        if r == 90:
            return bottom - my0, left - mx0, top - my0, right - mx0
        if r == 180:
            return mx1 - right, bottom - my0, mx1 - left, top - my0
        if r == 270:
            return my1 - top, mx1 - right, my1 - bottom, mx1 - left
        return left - mx0, my1 - top, right - mx0, my1 - bottom


def _center_in(box: Box, x: float, y: float, slack: float = 0.5) -> bool:
    return box[0] - slack <= x <= box[2] + slack and box[1] - slack <= y <= box[3] + slack


def _clip_area(raw, clip) -> tuple[float, float, float, float] | None:
    """The box a clipping path leaves visible (PDF user space): the intersection of its paths'
    boxes (each path of a clip narrows it further); None when it has no points."""
    x, y = ctypes.c_float(), ctypes.c_float()
    area = None
    for path in range(raw.FPDFClipPath_CountPaths(clip)):
        xs: list[float] = []
        ys: list[float] = []
        for index in range(raw.FPDFClipPath_CountPathSegments(clip, path)):
            segment = raw.FPDFClipPath_GetPathSegment(clip, path, index)
            if segment and raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
                xs.append(x.value)
                ys.append(y.value)
        if not xs:
            continue
        box = (min(xs), min(ys), max(xs), max(ys))
        area = box if area is None else (max(area[0], box[0]), max(area[1], box[1]), min(area[2], box[2]), min(area[3], box[3]))
    return area


def _signature(raw, clip) -> tuple:
    """A cheap identity of a clipping path: its paths, the last one's segments and first point.
    Consecutive objects usually share their clip; its area is read again only when this changes."""
    x, y = ctypes.c_float(), ctypes.c_float()
    paths = raw.FPDFClipPath_CountPaths(clip)
    if paths <= 0:
        return (paths,)
    segments = raw.FPDFClipPath_CountPathSegments(clip, paths - 1)
    segment = raw.FPDFClipPath_GetPathSegment(clip, paths - 1, 0) if segments > 0 else None
    if segment and raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
        return (paths, segments, round(x.value, 2), round(y.value, 2))
    return (paths, segments)


def clipped_objects(page, raw) -> set[int]:
    """Addresses of the text objects whose centre lies outside their own clipping path."""
    hidden: set[int] = set()
    last: tuple | None = None
    area = None
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], max_depth=1):
        clip = raw.FPDFPageObj_GetClipPath(obj.raw)
        if not clip:
            continue
        signature = _signature(raw, clip)
        if signature != last:
            last, area = signature, _clip_area(raw, clip)
        if area is None:
            continue
        left, bottom, right, top = obj.get_bounds()
        cx, cy = (left + right) / 2, (bottom + top) / 2
        if not (area[0] - 0.5 <= cx <= area[2] + 0.5 and area[1] - 0.5 <= cy <= area[3] + 0.5):
            hidden.add(ctypes.cast(obj.raw, ctypes.c_void_p).value or 0)
    return hidden


def page_chars(page, raw, transform: Transform, visible: Box) -> tuple[list[dict], int]:
    """(the page's visible characters as pdfplumber-like dicts, how many were hidden)."""
    textpage = page.get_textpage()
    try:
        count = raw.FPDFText_CountChars(textpage.raw)
        if count <= 0:
            return [], 0
        buffer = ctypes.create_string_buffer((count + 1) * 2)
        raw.FPDFText_GetText(textpage.raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
        text = buffer.raw[: count * 2].decode("utf-16-le", errors="replace")
        hidden = clipped_objects(page, raw)
        rect = raw.FS_RECTF()
        loose = raw.FPDFText_GetLooseCharBox
        chars: list[dict] = []
        dropped = 0
        for index, char in enumerate(text):
            if char.isspace() or char == "\x00" or char == "\ufffe":
                continue
            if not loose(textpage.raw, index, ctypes.byref(rect)):
                continue
            x0, top, x1, bottom = transform.box(rect.left, rect.bottom, rect.right, rect.top)
            cx, cy = (x0 + x1) / 2, (top + bottom) / 2
            if not _center_in(visible, cx, cy, 0.0):
                dropped += 1
                continue
            if hidden:
                obj = raw.FPDFText_GetTextObject(textpage.raw, index)
                if obj and (ctypes.cast(obj, ctypes.c_void_p).value or 0) in hidden:
                    dropped += 1
                    continue
            chars.append({"text": char, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": bottom - top})
        return chars, dropped
    finally:
        textpage.close()


THIN = 2.0  # a path this thin in one direction is a ruling line


def page_edges(page, raw, transform: Transform) -> list[dict]:
    """Ruling lines as pdfplumber edges: a thin path is one line; a rectangle (at most five
    segments) gives its four sides; curves and charts give none."""
    edges: list[dict] = []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=1):
        if not _seen(raw, obj.raw):
            continue
        x0, top, x1, bottom = transform.box(*obj.get_bounds())
        width, height = x1 - x0, bottom - top
        if width <= THIN and height <= THIN:
            continue
        if height <= THIN:
            middle = (top + bottom) / 2
            edges.append(_edge(x0, middle, x1, middle, "h"))
        elif width <= THIN:
            middle = (x0 + x1) / 2
            edges.append(_edge(middle, top, middle, bottom, "v"))
        elif raw.FPDFPath_CountSegments(obj.raw) <= 5:
            edges += [
                _edge(x0, top, x1, top, "h"),
                _edge(x0, bottom, x1, bottom, "h"),
                _edge(x0, top, x0, bottom, "v"),
                _edge(x1, top, x1, bottom, "v"),
            ]
    return edges


def _seen(raw, path) -> bool:
    """Whether a path shows on a white page: stroked or filled in a colour that is not white (nor
    transparent). Some writers (the Jiangsu 2017 files) paint every cell, and the padding strips
    around its text, as white rectangles under the black rules; their sides are no rules, and
    taken as rules they cut a header cell whose words wrap over two lines into two cells."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(path, ctypes.byref(fill), ctypes.byref(stroke)):
        return True
    rgba = [ctypes.c_uint() for _ in range(4)]
    refs = [ctypes.byref(v) for v in rgba]

    def visible(get) -> bool:
        if not get(path, *refs):
            return True
        r, g, b, a = (v.value for v in rgba)
        return a > 0 and min(r, g, b) < 250

    return bool(stroke.value and visible(raw.FPDFPageObj_GetStrokeColor)) or bool(fill.value and visible(raw.FPDFPageObj_GetFillColor))


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict:
    return {
        "x0": x0, "x1": x1, "top": top, "bottom": bottom,
        "width": x1 - x0, "height": bottom - top,
        "orientation": orientation, "object_type": "line",
    }
