"""TEI P5: a facsimile with a surface per page and zones per block and line, ``pb`` per leaf,
uncertain readings as ``unclear`` and illegible ones as ``gap``."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.export.marks import Segment, segments
from workbench.export.model import ExportFile, ExportPage
from workbench.export.templating import render
from workbench.page import BBox


@dataclass(slots=True)
class _Line:
    id: str
    box: BBox
    segments: list[Segment]


@dataclass(slots=True)
class _Block:
    id: str
    box: BBox
    lines: list[_Line] = field(default_factory=list)


@dataclass(slots=True)
class _Surface:
    id: str
    n: str
    graphic: str
    page: ExportPage
    blocks: list[_Block] = field(default_factory=list)


def _surface(page: ExportPage, index: int) -> _Surface:
    prefix = f"f{index}-{page.name}"
    graphic = (page.page_image or page.image_name).replace("\\", "/").rsplit("/", 1)[-1]
    surface = _Surface(prefix, page.leaf or page.name, graphic, page)
    for b, block in enumerate(page.layout.blocks if page.layout else [], start=1):
        item = _Block(f"{prefix}-b{b}", block.bbox)
        for n, line in enumerate(block.lines, start=1):
            item.lines.append(_Line(f"{prefix}-b{b}-l{n}", line.bbox, segments(line.text)))
        surface.blocks.append(item)
    return surface


class Tei:
    name = "tei"
    suffix = ".tei.xml"
    media_type = "application/tei+xml"
    label = "TEI P5"

    def render_page(self, page: ExportPage) -> bytes:
        file = ExportFile(name=page.name, citation=page.citation, citation_local=page.citation_local)
        return render("tei.xml", file=file, title=page.title, lang=page.lang, pages=[_surface(page, 1)])

    def render_file(self, file: ExportFile) -> bytes:
        lang = file.pages[0].lang if file.pages else "ru"
        return render("tei.xml", file=file, title=file.citation, lang=lang,
                      pages=[_surface(p, n) for n, p in enumerate(file.pages, start=1)])
