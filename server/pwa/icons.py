"""Writes Ledsager's icons as PNG with no imaging library: a white "L" on brand blue #1b4d89.

Run: python server/pwa/icons.py server/static/icons
"""
import struct
import zlib

BLUE = (0x1B, 0x4D, 0x89)
WHITE = (0xFF, 0xFF, 0xFF)


def png(size, pixel):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row.extend(pixel(x, y))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def monogram(size, scale, rounded):
    """`scale`: the share of the icon the letter's box takes (maskable icons need a safe zone)."""
    box = size * scale
    left = (size - box * 0.62) / 2
    top = (size - box) / 2
    stem_w = box * 0.2
    foot_h = box * 0.2
    foot_w = box * 0.62
    radius = size * 0.18 if rounded else 0

    def inside_rounded(x, y):
        if not radius:
            return True
        cx = min(max(x + 0.5, radius), size - radius)
        cy = min(max(y + 0.5, radius), size - radius)
        return (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius ** 2

    def pixel(x, y):
        if not inside_rounded(x, y):
            return (0, 0, 0, 0)
        px, py = x + 0.5, y + 0.5
        stem = left <= px <= left + stem_w and top <= py <= top + box
        foot = left <= px <= left + foot_w and top + box - foot_h <= py <= top + box
        return (*(WHITE if stem or foot else BLUE), 255)

    return png(size, pixel)


def ico(png_bytes, size):
    # An ICO may hold a PNG directly (Windows Vista and every current browser).
    header = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png_bytes), 6 + 16)
    return header + entry + png_bytes


if __name__ == "__main__":
    import sys

    out = sys.argv[1]
    open(f"{out}/icon-192.png", "wb").write(monogram(192, 0.6, True))
    open(f"{out}/icon-512.png", "wb").write(monogram(512, 0.6, True))
    open(f"{out}/maskable-512.png", "wb").write(monogram(512, 0.45, False))
    open(f"{out}/favicon.ico", "wb").write(ico(monogram(48, 0.62, True), 48))
