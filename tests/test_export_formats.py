"""Export formats: names, the CLI's options and manifest, golden files for every format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import invoke
from tests.test_export_support import CORRECTED, check_golden, sample_pages, store_sample
from workbench.archive.citation import Side, parse_citation
from workbench.export import formats, get_format
from workbench.export.layout import align, text_blocks
from workbench.export.marks import Segment, segments, words
from workbench.export.naming import folder_name, leaf_name
from workbench.page import BBox


def test_names_come_from_the_citation() -> None:
    citation, _ = parse_citation("TsDAHO f. 1, op. 1, d. 42, l. 61 ob.")
    assert folder_name(citation) == "TsDAHO_f1_op1_d42"
    assert leaf_name(Side(61, verso=True)) == "l0061v"
    assert leaf_name(Side(61, "а")) == "l0061а"
    assert leaf_name(Side(61, verso=True), Side(62)) == "l0061v-0062"
    assert folder_name(parse_citation("HDA SBU f. 6, op. 1, spr. 7")[0]) == "HDASBU_f6_op1_d7"


def test_marks_are_read_as_unclear_and_gap() -> None:
    assert segments("т. [[?Шляпникова]] и [[...]].") == [
        Segment("text", "т. "), Segment("unclear", "Шляпникова"), Segment("text", " и "), Segment("gap", ""),
        Segment("text", ".")]
    assert words("доклад [[?две буквы]] конец") == ["доклад", "[[?две буквы]]", "конец"]


def test_the_layout_keeps_word_boxes_where_the_words_still_match() -> None:
    file = sample_pages()
    layout = file.pages[0].layout
    assert layout is not None
    assert [line.text for line in layout.lines()] == [ln for block in text_blocks(CORRECTED) for ln in block]
    first, second, third = layout.lines()
    assert first.words[0].bbox == BBox(60, 80, 60 + 8 * 18, 110)  # the OCR word box, kept
    assert second.words[3].text == "[[?Шляпникова]]" and second.words[3].confidence == 100.0
    # the third line has a word more than the OCR read: its words share the line box
    assert len(third.words) == 5 and third.words[0].bbox.x0 == third.bbox.x0
    assert len(layout.blocks) == 2  # the blank line makes two blocks


def test_without_geometry_the_lines_share_the_page() -> None:
    layout = align(None, "один\nдва", width=100, height=200)
    assert [ln.bbox for ln in layout.lines()] == [BBox(0, 0, 100, 100), BBox(0, 100, 100, 200)]


TEXT_FORMATS = ["txt", "json", "csv"]


@pytest.mark.parametrize("name", TEXT_FORMATS)
def test_golden_files(name: str) -> None:
    fmt = get_format(name)
    file = sample_pages()
    page = fmt.render_page(file.pages[0])
    if page is not None:
        check_golden(f"page{fmt.suffix}", page)
    whole = fmt.render_file(file)
    if whole is not None:
        check_golden(f"file{fmt.suffix}", whole)


ALL = ["txt", "json", "csv", "docx", "hocr", "alto", "page", "tei", "pdf", "iiif"]


def test_every_format_is_registered() -> None:
    assert list(formats()) == ALL


@pytest.mark.parametrize("name", ALL)
def test_cli_exports_every_format(runner, settings, db, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    store_sample(db, settings.derived_path, tmp_path / "photos")
    out = tmp_path / "out"
    result = invoke(runner, settings, "export", "--format", name, "--out", str(out), "--status", "any")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "export-manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["pages"] + manifest["files"]:
        assert (out / entry["path"]).stat().st_size > 0
    suffix = get_format(name).suffix
    if name != "csv":
        assert {e["path"] for e in manifest["pages"]} == {f"TsDAHO_f1_op1_d42/l0061{suffix}",
                                                          f"TsDAHO_f1_op1_d42/l0061v{suffix}", f"IMG_0414{suffix}"}
    if name != "page":
        assert f"TsDAHO_f1_op1_d42{suffix}" in {e["path"] for e in manifest["files"]}


def test_cli_exports_files_in_leaf_order_with_a_manifest(runner, settings, db, tmp_path: Path) -> None:
    store_sample(db, settings.derived_path, tmp_path / "photos")
    out = tmp_path / "out"
    result = invoke(runner, settings, "export", "--format", "txt", "--out", str(out))
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["TsDAHO_f1_op1_d42.txt", "TsDAHO_f1_op1_d42/l0061.txt", "TsDAHO_f1_op1_d42/l0061v.txt",
                       "export-manifest.json"]
    whole = (out / "TsDAHO_f1_op1_d42.txt").read_text(encoding="utf-8")
    assert whole.startswith("TsDAHO f. 1, op. 1, d. 42\n")
    assert whole.index("d. 42, l. 61\n") < whole.index("l. 61 ob.") < whole.index("Лутовинов")
    manifest = json.loads((out / "export-manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "txt" and manifest["status"] == "verified"
    assert [p["path"] for p in manifest["pages"]] == ["TsDAHO_f1_op1_d42/l0061.txt", "TsDAHO_f1_op1_d42/l0061v.txt"]
    assert manifest["files"][0]["pages"] == ["TsDAHO_f1_op1_d42/l0061", "TsDAHO_f1_op1_d42/l0061v"]

    everything = tmp_path / "all"
    result = invoke(runner, settings, "export", "--format", "json", "--out", str(everything), "--status", "any")
    assert result.exit_code == 0, result.output
    assert (everything / "IMG_0414.json").exists()  # untagged: the photo's stem
    data = json.loads((everything / "TsDAHO_f1_op1_d42" / "l0061.json").read_text(encoding="utf-8"))
    assert data["page"]["text"] == CORRECTED and data["page"]["layout"]["blocks"][0]["lines"][0]["words"]


def test_cli_filters_by_citation_prefix(runner, settings, db, tmp_path: Path) -> None:
    store_sample(db, settings.derived_path, tmp_path / "photos")
    for prefix, expected in [("TsDAHO f. 1, op. 1, d. 42, l. 61 ob.", 1), ("TsDAHO f. 1", 2),
                             ("ф. 1, оп. 1, д. 42", 2), ("TsDAHO f. 12", 0), ("GARF f. 1, op. 1, d. 42", 0)]:
        out = tmp_path / f"out{expected}{len(prefix)}"
        result = invoke(runner, settings, "export", "--format", "csv", "--out", str(out), "--cite", prefix,
                        "--status", "any")
        assert result.exit_code == 0, result.output
        manifest = json.loads((out / "export-manifest.json").read_text(encoding="utf-8"))
        if expected:
            rows = list(csv.DictReader(io.StringIO((out / "index.csv").read_text(encoding="utf-8"))))
            assert len(rows) == expected, prefix
        else:
            assert manifest["files"] == [], prefix
