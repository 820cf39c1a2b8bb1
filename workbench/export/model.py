"""What every format renders: plain data taken out of the database first (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.page import Page as Layout


@dataclass(frozen=True, slots=True)
class ExportPage:
    """One page as exported: its transcription, its citation and a layout aligned to the corrected text."""

    name: str  # the file name without suffix: "l0061v" in a file's folder, else the image's stem (+ part)
    text: str
    status: str
    version: int
    image_path: str  # the photo as taken
    folder: str = ""  # the file's folder name, "TsDAHO_f1_op1_d42", or "" for an untagged page
    citation: str = ""  # the page's citation in the English form, "" when untagged
    citation_local: str = ""  # the same in the Russian form, as the finding aid writes it
    leaf: str = ""  # "61 ob.", "" when untagged
    leaf_number: int | None = None
    leaf_suffix: str = ""
    leaf_verso: bool = False
    page_id: int | None = None
    page_image: str | None = None  # the corrected page image the boxes refer to
    width: int = 0
    height: int = 0
    layout: Layout | None = None  # OCR geometry with the corrected text (see layout.align)
    languages: str = "rus"
    updated: str = "1970-01-01T00:00:00+00:00"  # the transcription's last change, ISO 8601
    retake_of: int | None = None
    image_url: str = ""  # where a IIIF viewer finds the page image

    @property
    def path(self) -> str:
        """The page's path below the export folder, without suffix."""
        return f"{self.folder}/{self.name}" if self.folder else self.name

    @property
    def leaf_key(self) -> tuple[bool, int, str, bool, int]:
        """Leaf order: 61, 61 ob., 61a, 62; untagged pages last."""
        return (self.leaf_number is None, self.leaf_number or 0, self.leaf_suffix, self.leaf_verso,
                self.page_id or 0)

    @property
    def title(self) -> str:
        return self.citation or self.name

    @property
    def image_name(self) -> str:
        return self.image_path.replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def lang(self) -> str:
        """An ISO 639-1 code for the main language."""
        first = self.languages.split("+", 1)[0]
        return {"rus": "ru", "ukr": "uk", "eng": "en", "deu": "de"}.get(first, first or "ru")


@dataclass(frozen=True, slots=True)
class ExportFile:
    """An archival file (delo), or the loose pages: its pages in leaf order, headed by its citation."""

    name: str  # "TsDAHO_f1_op1_d42"
    citation: str
    citation_local: str = ""
    archive: str = ""
    fond: str = ""
    opis: str = ""
    delo: str = ""
    title: str = ""  # the file's title in the finding aid
    pages: list[ExportPage] = field(default_factory=list)
