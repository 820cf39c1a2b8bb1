"""ALTO 4.3, PAGE 2019 and hOCR: valid against the official schemas, golden files, round trips."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from tests.test_export_support import check_golden, sample_pages
from workbench.errors import BadInput
from workbench.export import get_format
from workbench.export.read import read_alto, read_hocr, read_layout, read_page

CHECKOUT = Path(__file__).resolve().parents[1]


def _schema_folders() -> list[Path]:
    """Where the official schemas may lie; they are not copied into the repository. WORKBENCH_SCHEMAS if set;
    else the shared folder beside this checkout, or beside the local repository it was cloned from (a clone
    made in a temporary folder, as CI makes one)."""
    if "WORKBENCH_SCHEMAS" in os.environ:
        return [Path(os.environ["WORKBENCH_SCHEMAS"])]
    folders = [CHECKOUT.parent / "shared" / "schemas"]
    origin = subprocess.run(["git", "-C", str(CHECKOUT), "config", "--get", "remote.origin.url"],
                            capture_output=True, text=True, check=False).stdout.strip()
    if origin and Path(origin).is_dir():
        folders.append(Path(origin).resolve().parent / "shared" / "schemas")
    return folders


@cache
def schema(name: str) -> etree.XMLSchema:
    folders = _schema_folders()
    found = next((folder / name for folder in folders if (folder / name).is_file()), None)
    if found is None:
        pytest.fail(f"{name} is in none of {', '.join(map(str, folders))}: clone the repository beside the "
                    "shared folder (../shared/schemas) or set WORKBENCH_SCHEMAS to the folder that holds them")
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(found), parser))


def validate(payload: bytes, name: str) -> None:
    xsd = schema(name)
    document = etree.fromstring(payload)
    assert xsd.validate(document), "\n".join(str(e) for e in xsd.error_log)


def test_alto_validates_against_alto_4_3() -> None:
    file = sample_pages()
    fmt = get_format("alto")
    validate(fmt.render_page(file.pages[0]), "alto-4-3.xsd")  # type: ignore[arg-type]
    validate(fmt.render_file(file), "alto-4-3.xsd")  # type: ignore[arg-type]


def test_page_validates_against_page_2019() -> None:
    for page in sample_pages().pages:
        validate(get_format("page").render_page(page), "pagecontent.xsd")  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["alto", "page", "hocr"])
def test_golden_files(name: str) -> None:
    fmt = get_format(name)
    file = sample_pages()
    check_golden(f"page{fmt.suffix}", fmt.render_page(file.pages[0]))  # type: ignore[arg-type]
    whole = fmt.render_file(file)
    if whole is not None:
        check_golden(f"file{fmt.suffix}", whole)


@pytest.mark.parametrize(("name", "reader"), [("alto", read_alto), ("page", read_page), ("hocr", read_hocr)])
def test_round_trip_keeps_text_and_boxes(name: str, reader) -> None:  # type: ignore[no-untyped-def]
    for page in sample_pages().pages:
        assert page.layout is not None
        payload = get_format(name).render_page(page)
        assert payload is not None
        imported, = reader(payload)
        assert imported.image_name == page.image_name
        assert (imported.layout.width, imported.layout.height) == (page.width, page.height)
        assert [b.bbox for b in imported.layout.blocks] == [b.bbox for b in page.layout.blocks]
        assert [ln.bbox for ln in imported.layout.lines()] == [ln.bbox for ln in page.layout.lines()]
        assert [(w.text, w.bbox) for w in imported.layout.words()] == [(w.text, w.bbox) for w in page.layout.words()]
        assert imported.layout.text == page.layout.text
        assert read_layout(payload)[0].kind == name


def test_escaping_keeps_markup_characters_as_text() -> None:
    page = sample_pages().pages[1]
    payload = get_format("alto").render_page(page)
    assert payload is not None and 'CONTENT="&lt;копия&gt;"'.encode() in payload
    assert "<копия>" in read_alto(payload)[0].layout.text


def test_malformed_and_hostile_xml_are_clear_errors() -> None:
    with pytest.raises(BadInput, match="not well-formed"):
        read_alto(b"<alto><Layout>", "broken.xml")
    with pytest.raises(BadInput, match="neither ALTO, PAGE nor hOCR"):
        read_layout(b"<svg/>", "x.svg")
    entity = (b'<?xml version="1.0"?><!DOCTYPE alto [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
              b'<alto><Description><MeasurementUnit>pixel</MeasurementUnit></Description><Layout>'
              b'<Page ID="p" WIDTH="10" HEIGHT="10"><PrintSpace><TextBlock><TextLine HPOS="0" VPOS="0" WIDTH="5" '
              b'HEIGHT="5"><String CONTENT="&e;" HPOS="0" VPOS="0" WIDTH="5" HEIGHT="5"/></TextLine></TextBlock>'
              b'</PrintSpace></Page></Layout></alto>')
    try:
        pages = read_alto(entity)
    except BadInput:
        return
    assert "root:" not in pages[0].layout.text
