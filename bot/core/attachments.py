"""Photos residents send: fetched through their channel, checked, cleaned, stored.

A channel adapter turns a platform's photo or file into an `Attachment` (a reference, not
bytes: the inbox keeps the platform's update, never a file). A screen that takes photos
(`Screen.on_attachment`) calls `turn.store_attachment`, which

1. fetches the bytes through the adapter (`AttachmentSource.fetch`: Telegram `getFile` and
   its file URL, Viber's media URL, the web chat's upload, a path in the terminal chat),
   reading at most `MAX_BYTES` — a file declared or found larger is refused unread;
2. checks what the bytes are, not what the name or the platform says (`clean_image`):
   Pillow must recognise the bytes as JPEG, PNG, WebP, GIF, BMP or TIFF, with at most
   `MAX_PIXELS` pixels (a "decompression bomb" is refused before decoding);
3. re-encodes the picture as a JPEG from its pixels alone, after turning it upright as its
   EXIF orientation says: EXIF (camera, time, GPS position), XMP, ICC profiles and comments
   are gone, and the longest side is at most `MAX_SIDE` pixels;
4. stores it (`attachments`, storage/models/attachments.py) for the resident, with an expiry
   (`ATTACHMENT_RETENTION_DAYS`); operators see it at `/admin/files/<key>`, nobody else.

Failures are a `AttachmentProblem` with a reason the turn tells the resident in their
language (`attachment-<reason>`), never a traceback.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from io import BytesIO
from typing import Protocol, runtime_checkable

from PIL import Image, ImageOps, UnidentifiedImageError

from bot.core.messages import Attachment

MAX_BYTES = 10 * 1024 * 1024  # what a resident may send; larger files are refused unread
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is the largest a phone makes
MAX_SIDE = 2560  # stored pictures are at most this many pixels on their longest side
JPEG_QUALITY = 85
FETCH_TIMEOUT = 30.0  # seconds for one file from a platform

# Formats Pillow decodes that residents' phones and computers send.
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF", "MPO"})

# `clean_image` checks the pixel count itself after reading the header and before decoding,
# and refuses a picture over MAX_PIXELS as too large. Pillow's own check would only warn
# between its limit and twice that (a warning, not an answer for the resident).
Image.MAX_IMAGE_PIXELS = None


class AttachmentProblem(Exception):
    """Why a file cannot be taken: `too-large`, `not-an-image` or `unavailable`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


@runtime_checkable
class AttachmentSource(Protocol):
    """A channel adapter that can fetch what its residents send."""

    async def fetch(self, attachment: Attachment, limit: int) -> bytes:
        """The file's bytes; AttachmentProblem("too-large") past `limit` bytes,
        AttachmentProblem("unavailable") when the platform cannot give it."""
        ...


@dataclass(frozen=True, slots=True)
class CleanImage:
    """A picture re-encoded from its pixels: no metadata of the original survives."""

    data: bytes
    mime: str
    width: int
    height: int
    sha256: str
    original_format: str
    original_size: int


def check_size(declared: int | None, limit: int) -> None:
    """Refuse a file its platform declares larger than `limit` before fetching it."""
    if declared is not None and declared > limit:
        raise AttachmentProblem("too-large", f"{declared} bytes declared")


def clean_image(data: bytes, limit: int = MAX_BYTES) -> CleanImage:
    """Check that `data` is a picture (by its content) and re-encode it without metadata.

    CPU-bound (tens to hundreds of milliseconds for a phone photo): run it in a thread."""
    if len(data) > limit:
        raise AttachmentProblem("too-large", f"{len(data)} bytes")
    try:
        with Image.open(BytesIO(data)) as probe:
            kind = probe.format or ""
            width, height = probe.size
            if kind not in IMAGE_FORMATS:
                raise AttachmentProblem("not-an-image", kind or "unknown format")
            if width * height > MAX_PIXELS:
                raise AttachmentProblem("too-large", f"{width}x{height} pixels")
            probe.verify()
        with Image.open(BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
    except AttachmentProblem:
        raise
    except UnidentifiedImageError as exc:
        raise AttachmentProblem("not-an-image", type(exc).__name__) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        # Pillow reports truncated and corrupt files with these.
        raise AttachmentProblem("not-an-image", f"{type(exc).__name__}: {exc}") from exc
    pixels = _rgb(upright)
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image from the pixels alone: nothing of the original's `info` (EXIF, XMP, ICC,
    # comments, PNG text chunks) can travel along.
    bare = Image.frombytes("RGB", pixels.size, pixels.tobytes())
    out = BytesIO()
    bare.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    encoded = out.getvalue()
    return CleanImage(
        data=encoded,
        mime="image/jpeg",
        width=bare.width,
        height=bare.height,
        sha256=hashlib.sha256(encoded).hexdigest(),
        original_format=kind,
        original_size=len(data),
    )


def _rgb(image: Image.Image) -> Image.Image:
    """The picture as RGB; transparency over white (a screenshot with an alpha channel)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")
