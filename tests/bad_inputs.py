"""A corpus of bad inputs the tests make: each a file and the words its error must contain (None: readable)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims a huge size over a few bytes of data: a decompression bomb's opening."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + \
        chunk(b"IEND", b"")


def _jpeg(size: tuple[int, int] = (400, 300)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 190, 170)).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def write_corpus(folder: Path) -> dict[str, str | None]:
    """Writes the files; returns each file's name and what its error says (None where it must load)."""
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, str | None] = {}

    def put(name: str, payload: bytes, error: str | None) -> None:
        (folder / name).write_bytes(payload)
        expected[name] = error

    put("empty.jpg", b"", "an empty file")
    put("truncated.jpg", _jpeg()[:400], "not a readable image")
    put("page.jpg", b"<!DOCTYPE html><html><body>Login required</body></html>", "an HTML page")
    put("scan.jpg", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", "a PDF document")
    put("bomb.png", _png_claiming(40_000, 40_000), "claims 1,600,000,000 pixels.*decompression bomb")
    put("dot.png", _png_bytes(Image.new("L", (1, 1), 0)), "too small to be a page")
    frames = [Image.new("P", (120, 120), i) for i in range(3)]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    put("animated.jpg", gif.getvalue(), "a GIF")
    deep = Image.new("I;16", (200, 150))
    deep.putdata([(x * 300) % 65536 for x in range(200 * 150)])
    put("sixteen_bit.tif", _tiff_bytes(deep), None)
    put("cmyk.tif", _tiff_bytes(Image.new("CMYK", (200, 150), (0, 30, 60, 10))), None)
    put("png_named.jpg", _png_bytes(Image.new("L", (200, 150), 230)), None)  # content decides, not the name
    return expected


def _png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _tiff_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "TIFF")
    return buffer.getvalue()
