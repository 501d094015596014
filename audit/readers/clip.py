"""Text a PDF draws but clips away: the reader of the printed page never sees it, so it is not read.

WPS, for one, lays a long paragraph out once and draws it again on the next page under a clipping
rectangle: the part above that rectangle is in the file's text layer twice, and pdfminer (which
ignores clipping) reads it twice. pypdfium2 gives each text object its clipping path; the boxes
of the text objects that fall outside their clip are returned, in pdfplumber's page coordinates,
so the characters inside them can be dropped.
"""

from __future__ import annotations

import ctypes

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (pdfplumber's page coordinates)


def _to_page(points: list[tuple[float, float]], rotation: int, box: tuple[float, float, float, float]) -> Box:
    """PDF user space points → the bounding box in pdfplumber's rotated, top-down coordinates."""
    mx0, my0, mx1, my1 = box
    if rotation == 90:
        mapped = [(y - my0, x - mx0) for x, y in points]
    elif rotation == 180:
        mapped = [(mx1 - x, y - my0) for x, y in points]
    elif rotation == 270:
        mapped = [(my1 - y, mx1 - x) for x, y in points]
    else:
        mapped = [(x - mx0, my1 - y) for x, y in points]
    xs = [p[0] for p in mapped]
    ys = [p[1] for p in mapped]
    return min(xs), min(ys), max(xs), max(ys)


def _clip_points(raw, clip) -> list[tuple[float, float]]:
    x, y = ctypes.c_float(), ctypes.c_float()
    points = []
    for path in range(raw.FPDFClipPath_CountPaths(clip)):
        for index in range(raw.FPDFClipPath_CountPathSegments(clip, path)):
            segment = raw.FPDFClipPath_GetPathSegment(clip, path, index)
            if segment and raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
                points.append((x.value, y.value))
    return points


def hidden_boxes(path: str) -> dict[int, list[Box]]:
    """1-based page → boxes of text objects drawn wholly or mostly outside their clipping path."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    out: dict[int, list[Box]] = {}
    document = pdfium.PdfDocument(path)
    try:
        for index in range(len(document)):
            page = document[index]
            rotation = page.get_rotation()
            media = page.get_mediabox()
            last_clip: tuple | None = None
            hidden: list[Box] = []
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT], max_depth=2):
                clip = raw.FPDFPageObj_GetClipPath(obj.raw)
                if not clip:
                    continue
                x0, y0, x1, y1 = obj.get_bounds()
                count = raw.FPDFClipPath_CountPathSegments(clip, 0) if raw.FPDFClipPath_CountPaths(clip) == 1 else -1
                key = (count,)
                if last_clip is None or last_clip[0] != key or not _holds(last_clip[1], (x0 + x1) / 2, (y0 + y1) / 2):
                    points = _clip_points(raw, clip)
                    if not points:
                        continue
                    area = (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))
                    last_clip = (key, area)
                    if _holds(area, (x0 + x1) / 2, (y0 + y1) / 2):
                        continue
                    hidden.append(_to_page([(x0, y0), (x1, y1)], rotation, media))
            page.close()
            if hidden:
                out[index + 1] = hidden
    finally:
        document.close()
    return out


def _holds(area: tuple[float, float, float, float], x: float, y: float) -> bool:
    return area[0] - 0.5 <= x <= area[2] + 0.5 and area[1] - 0.5 <= y <= area[3] + 0.5
