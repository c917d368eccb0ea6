#!/usr/bin/env python3
"""Draws the two Teams icons (no imaging library here, so PNG is written by hand with zlib).

The motif is a staged rollout: three rising steps, each a stage of early adopters.
color.png: 192x192, white steps on the accent colour. outline.png: 32x32, white steps on transparency,
as Teams requires for the outline icon. Run from anywhere: python3 manifests/teams/make_icons.py
"""
import os
import struct
import zlib

ACCENT = (0x1F, 0x5F, 0xA8, 0xFF)
WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
CLEAR = (0, 0, 0, 0)


def steps(size, margin, gap):
    """Three bars of 1/3, 2/3 and full height inside the margins, as (x0, y0, x1, y1) boxes."""
    inner = size - 2 * margin
    width = (inner - 2 * gap) // 3
    boxes = []
    for i in range(3):
        x0 = margin + i * (width + gap)
        height = inner * (i + 1) // 3
        boxes.append((x0, size - margin - height, x0 + width, size - margin))
    return boxes


def draw(size, background, boxes):
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type 0 (None) for every scanline
        for x in range(size):
            inside = any(x0 <= x < x1 and y0 <= y < y1 for x0, y0, x1, y1 in boxes)
            row.extend(WHITE if inside else background)
        rows.append(bytes(row))
    return b"".join(rows)


def png(size, raw):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "color.png"), "wb") as f:
        f.write(png(192, draw(192, ACCENT, steps(192, 40, 10))))
    with open(os.path.join(here, "outline.png"), "wb") as f:
        f.write(png(32, draw(32, CLEAR, steps(32, 4, 2))))


if __name__ == "__main__":
    main()
