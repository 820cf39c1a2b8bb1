"""Shared data for the export tests: sample pages as plain data and as stored rows (no Tesseract)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from workbench.archive.citation import parse_citation
from workbench.batch import file_sha256
from workbench.db.models import Status
from workbench.db.session import Database
from workbench.db.store import OcrMeta, PhotoFacts, RecognizedPage, record_ocr, register_image, save_text
from workbench.db.tags import set_citation
from workbench.export.layout import align
from workbench.export.model import ExportFile, ExportPage
from workbench.page import BBox, Block, Line, Word
from workbench.page import Page as Layout

GOLDEN = Path(__file__).parent / "golden"
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
META = OcrMeta(engine="tesseract", engine_version="test", languages="rus", parameters={})

# what the OCR read, line by line, and what a person made of it
OCR_LINES = [["Протокол", "заседания", "бюро"], ["Слушали:", "доклад", "т.", "Шляпникова"],
             ["Постановили:", "принять", "к", "сведению."]]
CORRECTED = ("Протокол заседания бюро\nСлушали: доклад т. [[?Шляпникова]]\n\n"
             "Постановили: принять [[...]] к сведению.")
SECOND = "Секретарь Лутовинов\n«Южбюро» № 5 & <копия>"


def ocr_layout(lines: list[list[str]], *, x: int = 60, y: int = 80, size: int = 30) -> Layout:
    """Boxes as Tesseract would give them for these words drawn at ``size`` pixels."""
    blocks = []
    for n, words in enumerate(lines):
        top = y + n * int(size * 1.6)
        left = x
        items = []
        for word in words:
            width = int(len(word) * size * 0.6)
            items.append(Word(word, BBox(left, top, left + width, top + size), 91.5))
            left += width + int(size * 0.6)
        blocks.append(Line(BBox.enclosing([w.bbox for w in items]), items))
    return Layout(800, 1100, [Block(BBox.enclosing([ln.bbox for ln in blocks]), blocks)])


def draw_page(path: Path, layout: Layout) -> Path:
    image = Image.new("L", (layout.width, layout.height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 24)
    for word in layout.words():
        draw.text((word.bbox.x0, word.bbox.y0), word.text, font=font, fill=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.convert("RGB").save(path, "JPEG", quality=80)
    return path


def sample_pages(image_folder: str = "derived") -> ExportFile:
    """Two sides of one leaf, as plain data with fixed dates: the golden files' source."""
    first = ocr_layout(OCR_LINES)
    second = ocr_layout([["Секретарь", "Лутовинов"], ["«Южбюро»", "№", "5", "&", "<копия>"]])
    common = {"status": "verified", "version": 3, "folder": "TsDAHO_f1_op1_d42", "languages": "rus",
              "updated": "2024-05-01T12:00:00+00:00", "width": 800, "height": 1100}
    pages = [
        ExportPage(name="l0061", text=CORRECTED, image_path="/photos/IMG_0412.jpg",
                   citation="TsDAHO f. 1, op. 1, d. 42, l. 61", citation_local="ЦДАГО ф. 1, оп. 1, д. 42, л. 61",
                   leaf="61", leaf_number=61, page_id=1, page_image=f"{image_folder}/page-1.jpg",
                   layout=align(first, CORRECTED, width=800, height=1100),
                   image_url="https://workbench.example/files/pages/1.jpg", **common),  # type: ignore[arg-type]
        ExportPage(name="l0061v", text=SECOND, image_path="/photos/IMG_0413.jpg",
                   citation="TsDAHO f. 1, op. 1, d. 42, l. 61 ob.",
                   citation_local="ЦДАГО ф. 1, оп. 1, д. 42, л. 61 об.", leaf="61 ob.", leaf_number=61,
                   leaf_verso=True, page_id=2, page_image=f"{image_folder}/page-2.jpg",
                   layout=align(second, SECOND, width=800, height=1100),
                   image_url="https://workbench.example/files/pages/2.jpg", **common),  # type: ignore[arg-type]
    ]
    return ExportFile(name="TsDAHO_f1_op1_d42", citation="TsDAHO f. 1, op. 1, d. 42",
                      citation_local="ЦДАГО ф. 1, оп. 1, д. 42", archive="TsDAHO", fond="1", opis="1", delo="42",
                      title="Протоколы заседаний бюро, 1923", pages=pages)


def check_golden(name: str, actual: bytes | str) -> None:
    """Compare with tests/golden/NAME; UPDATE_GOLDEN=1 writes it instead."""
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if not os.environ.get("UPDATE_GOLDEN"):
            raise AssertionError(f"wrote a new golden file {path}; check it and run again")
    assert data.decode("utf-8") == path.read_text(encoding="utf-8"), f"differs from {path}"


def store_sample(db: Database, derived: Path, photos: Path) -> list[int]:
    """Three photos as read (no Tesseract): l. 61 and 61 ob. of d. 42, verified, and one untagged."""
    photos.mkdir(parents=True, exist_ok=True)
    layouts = [ocr_layout(OCR_LINES), ocr_layout([["Секретарь", "Лутовинов"]]), ocr_layout([["Черновик"]])]
    texts = [CORRECTED, "Секретарь Лутовинов", None]
    ids = []
    with db.session() as session:
        for n, (layout, text) in enumerate(zip(layouts, texts, strict=True)):
            photo = photos / f"IMG_{412 + n:04d}.jpg"
            draw_page(photo, layout)
            draw_page(derived / f"page-{n}.jpg", layout)
            image = register_image(session, PhotoFacts(str(photo), file_sha256(photo), photo.stat().st_size))
            page, = record_ocr(session, image, pages=[RecognizedPage(
                part=0, layout=layout, derived_file=f"page-{n}.jpg", transform={}, seconds_preprocess=0,
                seconds_ocr=0)], meta=META, width=800, height=1100, exif_orientation=None,
                captured_at=datetime(1990, 1, 1, 10, 0, n))
            session.flush()
            if text is not None:
                save_text(session, page.id, text=text, base_version=1, author="roman", status=Status.VERIFIED)
                side = "61" if n == 0 else "61 ob."
                set_citation(session, page, parse_citation(f"TsDAHO f. 1, op. 1, d. 42, l. {side}")[0])
            ids.append(page.id)
    return ids
