"""Plain-text export: one UTF-8 file per image, named after its stem."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from tests.conftest import invoke
from workbench.db.models import Status
from workbench.db.store import list_pages, save_text
from workbench.export import write_atomically

pytestmark = pytest.mark.ocr


def test_export_writes_verified_pages_by_default(runner, settings, db, photos: Path, tmp_path: Path) -> None:
    assert invoke(runner, settings, "ocr", str(photos), "-j", "1").exit_code == 0
    with db.session() as session:
        page = next(p for p in list_pages(session) if p.image.stem == "IMG_0002")
        save_text(session, page.id, text="Постановили: принять.\nСекретарь", base_version=1, author=None,
                  status=Status.VERIFIED)
    out = tmp_path / "out"
    result = invoke(runner, settings, "export", "--format", "txt", "--out", str(out))
    assert result.exit_code == 0 and "wrote 1 file(s)" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["IMG_0002.txt", "export-manifest.json"]
    assert (out / "IMG_0002.txt").read_text(encoding="utf-8") == "Постановили: принять.\nСекретарь\n"

    everything = invoke(runner, settings, "export", "--out", str(out), "--status", "any")
    assert everything.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["IMG_0001.txt", "IMG_0002.txt", "IMG_0003.txt",
                                                     "export-manifest.json"]
    assert "Шляпникова" in (out / "IMG_0001.txt").read_text(encoding="utf-8")


def test_an_unknown_format_is_a_clear_error(runner, settings, tmp_path: Path) -> None:
    result = invoke(runner, settings, "export", "--format", "odt", "--out", str(tmp_path))
    assert result.exit_code == 2 and "unknown export format 'odt'" in result.output


def test_a_full_disk_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "page.txt"
    write_atomically(target, b"old")

    def disk_full(fd: int) -> None:  # a full disk cannot be caused here; fsync is where it shows
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.txt"]


def test_an_untagged_photo_never_overwrites_the_manifest(runner, settings, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import TEXTS, draw_page

    folder = tmp_path / "named"
    folder.mkdir()
    draw_page(folder / "export-manifest.png", TEXTS["letter"])
    assert invoke(runner, settings, "ocr", str(folder), "-j", "1").exit_code == 0
    out = tmp_path / "out"
    assert invoke(runner, settings, "export", "--format", "json", "--out", str(out), "--status", "any").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["export-manifest-2.json", "export-manifest.json"]
    manifest = json.loads((out / "export-manifest.json").read_text(encoding="utf-8"))
    assert manifest["pages"][0]["path"] == "export-manifest-2.json"
