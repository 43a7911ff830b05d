"""Recognise PNG, JPEG and WebP images from their bytes and read their size (no decoding)."""

from __future__ import annotations

import struct
from dataclasses import dataclass

from site_gen.i18n import _


@dataclass(frozen=True)
class ImageInfo:
    media_type: str
    extension: str
    width: int
    height: int


class NotAnImage(ValueError):
    """The bytes are not a PNG, JPEG or WebP image we can read."""


def inspect_image(data: bytes) -> ImageInfo:
    """The image's real type and size, whatever its file name claims."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return _checked(ImageInfo("image/png", ".png", width, height))
    if data.startswith(b"\xff\xd8"):
        return _checked(_jpeg(data))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _checked(_webp(data))
    if data.lstrip()[:5].lower() in (b"<?xml", b"<svg ", b"<svg>"):
        raise NotAnImage(_("it is an SVG file, which can carry scripts"))
    raise NotAnImage(_("it is not a PNG, JPEG or WebP image"))


def _checked(info: ImageInfo) -> ImageInfo:
    if not (0 < info.width <= 20_000 and 0 < info.height <= 20_000):
        raise NotAnImage(
            _("its size {width}×{height} is not plausible").format(
                width=info.width, height=info.height
            )
        )
    return info


def _jpeg(data: bytes) -> ImageInfo:
    position = 2
    while position + 9 < len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        # Start-of-frame markers carry the size; C4, C8 and CC are other tables.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return ImageInfo("image/jpeg", ".jpg", width, height)
        position += 2 + length
    raise NotAnImage(_("it is a damaged JPEG image (no size found)"))


def _webp(data: bytes) -> ImageInfo:
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return ImageInfo("image/webp", ".webp", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return ImageInfo("image/webp", ".webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return ImageInfo("image/webp", ".webp", width, height)
    raise NotAnImage(_("it is a damaged WebP image (no size found)"))
