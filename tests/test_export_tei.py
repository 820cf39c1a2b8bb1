"""TEI P5: facsimile zones, pb per leaf, unclear and gap."""

from __future__ import annotations

from lxml import etree

from tests.test_export_support import check_golden, sample_pages
from workbench.export import get_format

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def test_tei_has_zones_page_breaks_unclear_and_gap() -> None:
    file = sample_pages()
    payload = get_format("tei").render_file(file)
    assert payload is not None
    check_golden("file.tei.xml", payload)
    check_golden("page.tei.xml", get_format("tei").render_page(file.pages[0]))  # type: ignore[arg-type]
    root = etree.fromstring(payload)
    assert root.findtext(f"{TEI}teiHeader//{TEI}title") == "TsDAHO f. 1, op. 1, d. 42"
    assert [pb.get("n") for pb in root.iter(f"{TEI}pb")] == ["61", "61 ob."]
    zones = {z.get(XML_ID): z for z in root.iter(f"{TEI}zone")}
    surfaces = {s.get(XML_ID) for s in root.iter(f"{TEI}surface")}
    for pb in root.iter(f"{TEI}pb"):
        assert pb.get("facs").lstrip("#") in surfaces
    for lb in root.iter(f"{TEI}lb"):
        assert lb.get("facs").lstrip("#") in zones  # every line points at its zone
    assert [u.text for u in root.iter(f"{TEI}unclear")] == ["Шляпникова"]
    assert [g.get("reason") for g in root.iter(f"{TEI}gap")] == ["illegible"]
    first_line = zones["f1-l0061-b1-l1"]
    line = file.pages[0].layout.blocks[0].lines[0]  # type: ignore[union-attr]
    assert [int(first_line.get(k)) for k in ("ulx", "uly", "lrx", "lry")] == [
        line.bbox.x0, line.bbox.y0, line.bbox.x1, line.bbox.y1]
    body = "".join(root.find(f"{TEI}text").itertext())
    assert "«Южбюро» № 5 & <копия>" in body and "[[" not in body
