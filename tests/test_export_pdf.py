"""PDF: the page image with an invisible text layer that pdftotext reads back as the transcription."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from tests.test_export_support import check_golden, draw_page, sample_pages
from workbench.export import get_format
from workbench.export.model import ExportFile

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is missing")


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def with_images(file: ExportFile, folder: Path) -> ExportFile:
    pages = []
    for page in file.pages:
        assert page.layout is not None
        pages.append(replace(page, page_image=str(draw_page(folder / f"{page.name}.jpg", page.layout))))
    return replace(file, pages=pages)


def test_text_layer_reads_back_as_the_transcription(tmp_path: Path) -> None:
    file = with_images(sample_pages(), tmp_path)
    fmt = get_format("pdf")
    for page in file.pages:
        target = tmp_path / f"{page.name}.pdf"
        target.write_bytes(fmt.render_page(page))  # type: ignore[arg-type]
        assert lines(pdftotext(target)) == lines(page.text)
    whole = tmp_path / "file.pdf"
    whole.write_bytes(fmt.render_file(file))  # type: ignore[arg-type]
    assert lines(pdftotext(whole, "-f", "2", "-l", "2")) == lines(file.pages[1].text)
    text = pdftotext(whole)
    check_golden("file.pdf.txt", "\n".join(lines(text)) + "\n")
    info = subprocess.run(["pdfinfo", str(whole)], check=True, capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+2\n", info) and "TsDAHO f. 1, op. 1, d. 42" in info
    fonts = subprocess.run(["pdffonts", str(whole)], check=True, capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts and " yes yes yes " in fonts  # embedded, subset, with a ToUnicode map


def test_the_text_layer_is_invisible(tmp_path: Path) -> None:
    """Without the image the page renders white: the text is there for search and copy only."""
    page = replace(sample_pages().pages[0], page_image=None)
    target = tmp_path / "blank.pdf"
    target.write_bytes(get_format("pdf").render_page(page))  # type: ignore[arg-type]
    subprocess.run(["pdftoppm", "-r", "20", "-gray", "-singlefile", str(target), str(tmp_path / "render")],
                   check=True)
    from PIL import Image

    with Image.open(tmp_path / "render.pgm") as image:
        assert image.getextrema() == (255, 255)
    assert "Протокол" in pdftotext(target)
