"""A CSV index: one row per page with its citation, file names, status and the text's first line."""

from __future__ import annotations

import csv
import io

from workbench.export.model import ExportFile, ExportPage

FIELDS = ["path", "citation", "citation_local", "leaf", "status", "version", "photo", "words", "first_line"]


def rows(pages: list[ExportPage]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for page in pages:
        first = next((line.strip() for line in page.text.splitlines() if line.strip()), "")
        writer.writerow({"path": page.path, "citation": page.citation, "citation_local": page.citation_local,
                         "leaf": page.leaf, "status": page.status, "version": page.version,
                         "photo": page.image_name, "words": len(page.text.split()), "first_line": first})
    return buffer.getvalue().encode("utf-8")


class CsvIndex:
    name = "csv"
    suffix = ".csv"
    media_type = "text/csv; charset=utf-8"
    label = "CSV index"
    index_name = "index"  # one index of every exported page besides one per file

    def render_page(self, page: ExportPage) -> bytes | None:
        return None

    def render_file(self, file: ExportFile) -> bytes:
        return rows(file.pages)
