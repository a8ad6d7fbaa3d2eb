"""Reading a screenshot's pixels without an imaging library: the computer sends 8-bit RGB PNGs."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Picture:
    """A decoded screenshot: ``pixel(x, y)`` is its (r, g, b)."""

    width: int
    height: int
    rgb: bytes

    def pixel(self, x: int, y: int) -> Colour:
        i = (y * self.width + x) * 3
        return self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else b if pb <= pc else c


def decode(png: bytes) -> Picture:
    """Decodes an 8-bit RGB (colour type 2) PNG with any of the five row filters."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width, height = 8, bytearray(), 0, 0
    while pos < len(png):
        (length,), kind = struct.unpack(">I", png[pos:pos + 4]), png[pos + 4:pos + 8]
        data = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", data[:10])
            if (depth, colour) != (8, 2):
                raise ValueError(f"only 8-bit RGB PNGs are read, not depth {depth} colour type {colour}")
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    raw, stride, out = zlib.decompress(bytes(idat)), width * 3, bytearray()
    prev = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        f, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride) if f else ():
            a, c = (line[i - 3], prev[i - 3]) if i >= 3 else (0, 0)
            line[i] = (line[i] + (a if f == 1 else prev[i] if f == 2 else (a + prev[i]) // 2 if f == 3
                                  else _paeth(a, prev[i], c))) & 0xFF
        out += line
        prev = line
    return Picture(width, height, bytes(out))


def near(a: Colour, b: Colour, tolerance: int = 3) -> bool:
    return all(abs(p - q) <= tolerance for p, q in zip(a, b))


def first_row(shot: Picture, colour: Colour, x: int | None = None) -> int | None:
    """The first row, down column ``x`` (default: the middle), that shows ``colour``; where a page starts below
    the browser's own bars."""
    column = shot.width // 2 if x is None else x
    return next((y for y in range(shot.height) if near(shot.pixel(column, y), colour)), None)
