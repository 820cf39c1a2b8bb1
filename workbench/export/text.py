"""Plain text: the transcription as typed, marks included; a file's pages each under its citation."""

from __future__ import annotations

from workbench.export.model import ExportFile, ExportPage


def _ending(text: str) -> str:
    return text if text.endswith("\n") or not text else text + "\n"


class PlainText:
    name = "txt"
    suffix = ".txt"
    media_type = "text/plain; charset=utf-8"
    label = "Plain text"

    def render_page(self, page: ExportPage) -> bytes:
        return _ending(page.text).encode("utf-8")

    def render_file(self, file: ExportFile) -> bytes:
        parts = [file.citation + "\n" + "=" * len(file.citation) + "\n"]
        if file.title:
            parts[0] += file.title + "\n"
        for page in file.pages:
            heading = page.title
            parts.append(f"\n{heading}\n{'-' * len(heading)}\n\n{_ending(page.text)}")
        return "".join(parts).encode("utf-8")
