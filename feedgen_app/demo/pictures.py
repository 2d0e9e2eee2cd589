"""The sample site's lead pictures: a small PNG per story, drawn here (a sky and a sea of the section's hue,
and a sun placed by the story's name), so the package carries no image files. Pure."""

from __future__ import annotations

import colorsys
import hashlib
import struct
import zlib

WIDTH, HEIGHT = 640, 360


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _rgb(hue: float, lightness: float, saturation: float) -> bytes:
    r, g, b = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return bytes((int(r * 255), int(g * 255), int(b * 255)))


def picture(name: str, hue_degrees: int) -> bytes:
    """A PNG of WIDTH x HEIGHT: the same bytes for the same name and hue."""
    seed = hashlib.sha256(name.encode()).digest()
    hue = hue_degrees / 360
    sun_x, sun_y, sun_r = 80 + seed[0] * 480 // 255, 40 + seed[1] * 100 // 255, 24 + seed[2] % 24
    horizon = HEIGHT * (55 + seed[3] % 15) // 100
    sky = [_rgb(hue, 0.85 - 0.25 * y / horizon, 0.5) for y in range(horizon)]
    sea = [
        _rgb(hue + 0.05, 0.45 - 0.25 * (y - horizon) / (HEIGHT - horizon), 0.6)
        for y in range(horizon, HEIGHT)
    ]
    sun = _rgb(0.12, 0.75, 0.9)
    rows = []
    for y in range(HEIGHT):
        base = sky[y] if y < horizon else sea[y - horizon]
        row = bytearray(base * WIDTH)
        dy = y - sun_y
        if abs(dy) < sun_r:
            half = int((sun_r * sun_r - dy * dy) ** 0.5)
            for x in range(max(0, sun_x - half), min(WIDTH, sun_x + half)):
                row[3 * x : 3 * x + 3] = sun
        if y >= horizon and (y - horizon) % 14 == 0:  # a wave line
            for x in range(0, WIDTH, 2):
                row[3 * x : 3 * x + 3] = _rgb(hue + 0.05, 0.7, 0.4)
        rows.append(b"\x00" + bytes(row))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _chunk(b"IEND", b"")
    )
