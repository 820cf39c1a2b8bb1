"""Reading ALTO, PAGE and hOCR from other tools (Transkribus, eScriptorium, Tesseract) as plain layouts.

XML is parsed with lxml with entities left unresolved and no network access. Boxes are kept in the pixels
of the image the other tool read; the importer scales them to the page when the sizes differ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from workbench.errors import BadInput
from workbench.export.layout import spread_words
from workbench.export.marks import words as split_words
from workbench.page import BBox, Block, Line, Word
from workbench.page import Page as Layout

Kind = Literal["alto", "page", "hocr"]
DEFAULT_CONFIDENCE = 100.0  # a tool that gives none: text a person made or checked


@dataclass(slots=True)
class ImportedPage:
    """One page read from another tool's file: the image it names and its layout with boxes."""

    kind: Kind
    image_name: str  # the file name the document names, "" when it names none
    layout: Layout
    producer: str = ""  # the tool that wrote it, when the file says


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Any, name: str) -> list[Any]:
    return [c for c in element if _local(c.tag) == name]


def _descendants(element: Any, name: str) -> list[Any]:
    return [c for c in element.iter() if _local(c.tag) == name]


def _parse_xml(payload: bytes, source: str) -> Any:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        return etree.fromstring(payload, parser)
    except etree.XMLSyntaxError as exc:
        raise BadInput(f"{source} is not well-formed XML: {exc}") from None


def sniff(payload: bytes, source: str) -> Kind:
    """Which of the three formats a file is, by its root element (hOCR by its classes)."""
    head = payload[:4096].decode("utf-8", "replace")
    if re.search(r"<(\w+:)?alto[\s>]", head):
        return "alto"
    if re.search(r"<(\w+:)?PcGts[\s>]", head):
        return "page"
    if "ocr_page" in payload.decode("utf-8", "replace"):
        return "hocr"
    raise BadInput(f"{source} is neither ALTO, PAGE nor hOCR")


def _int(value: Any, source: str, what: str) -> int:
    try:
        return round(float(value))
    except (TypeError, ValueError):
        raise BadInput(f"{source}: {what} {value!r} is not a number") from None


def _make_line(text: str | None, words: list[Word], box: BBox | None) -> Line | None:
    """A line from its words, or from its text spread over its box when it has no words."""
    if box is None and words:
        box = BBox.enclosing([w.bbox for w in words])
    if box is None:
        return None
    if text is not None:
        parts = split_words(text)
        if len(parts) == len(words) and words:
            words = [Word(p, w.bbox, w.confidence) for p, w in zip(parts, words, strict=True)]
        elif parts:
            words = spread_words(text, box)
    return Line(box, words) if words else None


def _block(lines: list[Line], box: BBox | None) -> Block | None:
    if not lines:
        return None
    return Block(box or BBox.enclosing([ln.bbox for ln in lines]), lines)


# ---------------------------------------------------------------- ALTO
def _alto_box(element: Any, source: str) -> BBox | None:
    if element.get("HPOS") is None or element.get("WIDTH") is None:
        return None
    x, y = _int(element.get("HPOS"), source, "HPOS"), _int(element.get("VPOS", 0), source, "VPOS")
    return BBox(x, y, x + _int(element.get("WIDTH"), source, "WIDTH"),
                y + _int(element.get("HEIGHT", 0), source, "HEIGHT"))


def read_alto(payload: bytes, source: str = "the file") -> list[ImportedPage]:
    root = _parse_xml(payload, source)
    if _local(root.tag) != "alto":
        raise BadInput(f"{source}: the root element is {_local(root.tag)!r}, not alto")
    unit = next((u.text or "" for u in _descendants(root, "MeasurementUnit")), "pixel").strip()
    if unit != "pixel":
        raise BadInput(f"{source}: measurement unit {unit!r}; only pixel is read")
    image = next((f.text or "" for f in _descendants(root, "fileName")), "").strip()
    producer = next((s.text or "" for s in _descendants(root, "softwareName")), "").strip()
    pages = []
    for page in _descendants(root, "Page"):
        width = _int(page.get("WIDTH", 0), source, "WIDTH")
        height = _int(page.get("HEIGHT", 0), source, "HEIGHT")
        layout = Layout(width, height)
        for block in _descendants(page, "TextBlock"):
            lines = []
            for line in _children(block, "TextLine"):
                words = []
                for string in _children(line, "String"):
                    box = _alto_box(string, source)
                    content = string.get("CONTENT", "")
                    if box is None or not content:
                        continue
                    wc = string.get("WC")
                    words.append(Word(content, box, float(wc) * 100 if wc else DEFAULT_CONFIDENCE))
                made = _make_line(None, words, _alto_box(line, source))
                if made is not None:
                    lines.append(made)
            if (made_block := _block(lines, _alto_box(block, source))) is not None:
                layout.blocks.append(made_block)
        pages.append(ImportedPage("alto", image, layout, producer))
    if not pages:
        raise BadInput(f"{source}: no Page in the ALTO document")
    return pages


# ---------------------------------------------------------------- PAGE
def _page_box(element: Any, source: str) -> BBox | None:
    coords = _children(element, "Coords")
    if not coords:
        return None
    points = coords[0].get("points")
    if points:
        pairs = [p.split(",") for p in points.split()]
        try:
            xs, ys = [round(float(p[0])) for p in pairs], [round(float(p[1])) for p in pairs]
        except (ValueError, IndexError):
            raise BadInput(f"{source}: cannot read the points {points!r}") from None
    else:  # PAGE 2010 and older: Point elements
        xs = [_int(p.get("x"), source, "x") for p in _children(coords[0], "Point")]
        ys = [_int(p.get("y"), source, "y") for p in _children(coords[0], "Point")]
    if not xs:
        return None
    return BBox(min(xs), min(ys), max(xs), max(ys))


def _text_equiv(element: Any) -> tuple[str | None, float | None]:
    equivs = _children(element, "TextEquiv")
    if not equivs:
        return None, None
    best = min(equivs, key=lambda e: int(e.get("index", 0) or 0))
    unicode = _children(best, "Unicode")
    conf = best.get("conf")
    return (unicode[0].text or "" if unicode else None), (float(conf) * 100 if conf else None)


def read_page(payload: bytes, source: str = "the file") -> list[ImportedPage]:
    root = _parse_xml(payload, source)
    if _local(root.tag) != "PcGts":
        raise BadInput(f"{source}: the root element is {_local(root.tag)!r}, not PcGts")
    producer = next((c.text or "" for c in _descendants(root, "Creator")), "").strip()
    pages = []
    for page in _children(root, "Page"):
        layout = Layout(_int(page.get("imageWidth", 0), source, "imageWidth"),
                        _int(page.get("imageHeight", 0), source, "imageHeight"))
        for region in _descendants(page, "TextRegion"):
            lines = []
            for line in _children(region, "TextLine"):
                words = []
                for word in _children(line, "Word"):
                    text, conf = _text_equiv(word)
                    box = _page_box(word, source)
                    if text and box is not None:
                        words.append(Word(text, box, DEFAULT_CONFIDENCE if conf is None else conf))
                text, _ = _text_equiv(line)
                made = _make_line(text, words, _page_box(line, source))
                if made is not None:
                    lines.append(made)
            if (made_block := _block(lines, _page_box(region, source))) is not None:
                layout.blocks.append(made_block)
        pages.append(ImportedPage("page", page.get("imageFilename", ""), layout, producer))
    if not pages:
        raise BadInput(f"{source}: no Page in the PAGE document")
    return pages


# ---------------------------------------------------------------- hOCR
_BBOX = re.compile(r"bbox\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)")
_LINE_CLASSES = {"ocr_line", "ocrx_line", "ocr_textfloat", "ocr_header", "ocr_caption"}


def _title(element: Any) -> str:
    return str(element.get("title") or "")


def _hocr_box(element: Any) -> BBox | None:
    match = _BBOX.search(_title(element))
    return None if match is None else BBox(*(int(v) for v in match.groups()))


def _classes(element: Any) -> set[str]:
    return set(str(element.get("class") or "").split())


def read_hocr(payload: bytes, source: str = "the file") -> list[ImportedPage]:
    from lxml import etree

    parser = etree.HTMLParser(no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(payload, parser)
    except etree.XMLSyntaxError as exc:
        raise BadInput(f"{source} is not readable HTML: {exc}") from None
    if root is None:
        raise BadInput(f"{source} is empty")
    producer = next((m.get("content", "") for m in root.iter("meta") if m.get("name") == "ocr-system"), "")
    pages = []
    for page in (e for e in root.iter() if "ocr_page" in _classes(e)):
        box = _hocr_box(page)
        image = re.search(r'image\s+"([^"]*)"', _title(page))
        layout = Layout(box.x1 if box else 0, box.y1 if box else 0)
        areas = [e for e in page.iter() if _classes(e) & {"ocr_carea"}] or [page]
        for area in areas:
            lines = []
            for line in (e for e in area.iter() if _classes(e) & _LINE_CLASSES):
                words = []
                for word in (e for e in line.iter() if "ocrx_word" in _classes(e)):
                    text = "".join(word.itertext()).strip()
                    word_box = _hocr_box(word)
                    conf = re.search(r"x_wconf\s+(\d+(?:\.\d+)?)", _title(word))
                    if text and word_box is not None:
                        words.append(Word(text, word_box, float(conf.group(1)) if conf else DEFAULT_CONFIDENCE))
                line_text = None if words else " ".join("".join(line.itertext()).split())
                made = _make_line(line_text, words, _hocr_box(line))
                if made is not None:
                    lines.append(made)
            if (made_block := _block(lines, _hocr_box(area) if area is not page else None)) is not None:
                layout.blocks.append(made_block)
        pages.append(ImportedPage("hocr", image.group(1) if image else "", layout, producer))
    if not pages:
        raise BadInput(f"{source}: no ocr_page in the hOCR document")
    return pages


def read_layout(payload: bytes, source: str = "the file") -> list[ImportedPage]:
    """Any of the three formats, told apart by their content."""
    kind = sniff(payload, source)
    return {"alto": read_alto, "page": read_page, "hocr": read_hocr}[kind](payload, source)
