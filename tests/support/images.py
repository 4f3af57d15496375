"""Pictures as residents' phones make them, for the attachment tests: a JPEG with a camera's
EXIF (make, model, time, GPS position, orientation), a PNG with transparency and a text
chunk, and files that only pretend to be pictures."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from PIL import Image, PngImagePlugin

from bot.core.dialog import Flow, Screen, Turn
from bot.core.messages import Attachment

if TYPE_CHECKING:
    from bot.app import Svoi

GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE, MODEL, DATETIME = 0x010F, 0x0110, 0x0132


def phone_jpeg(width: int = 640, height: int = 480, *, rotated: bool = False) -> bytes:
    """A JPEG with the EXIF a phone writes, GPS position included (a yard in Khmelnytskyi).
    `rotated`: stored sideways with orientation 6 (turn 90° clockwise to view)."""
    image = Image.new("RGB", (width, height), (200, 40, 40))
    for x in range(width // 2):  # a left half of another colour, to tell the sides apart
        for y in range(0, height, 8):
            image.putpixel((x, y), (20, 120, 20))
    exif = Image.Exif()
    exif[MAKE] = "Samsung"
    exif[MODEL] = "Galaxy A54"
    exif[DATETIME] = "2026:06:17 08:12:40"
    if rotated:
        exif[ORIENTATION] = 6
    exif[GPS_IFD] = {
        1: "N",
        2: (49.0, 25.0, 21.6),
        3: "E",
        4: (26.0, 59.0, 13.2),
    }
    out = BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90, comment=b"taken by resident")
    return out.getvalue()


def screenshot_png(width: int = 300, height: int = 200) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 255, 0))
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Ivan Petrenko")
    out = BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def bomb_png() -> bytes:
    """A tiny file that decodes to 100 megapixels (a "decompression bomb")."""
    image = Image.new("1", (10_000, 10_000))
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML_AS_JPEG = b"<html><script>alert(1)</script></html>"


def metadata_of(data: bytes) -> dict[str, object]:
    """What a stored picture still says about itself: its format, EXIF tags and info keys."""
    with Image.open(BytesIO(data)) as image:
        return {
            "format": image.format,
            "exif": dict(image.getexif()),
            "info": sorted(
                k
                for k in image.info
                if k
                not in (
                    "jfif",
                    "jfif_version",
                    "jfif_unit",
                    "jfif_density",
                    "dpi",
                    "progressive",
                    "progression",
                )
            ),
            "size": image.size,
        }


PURPOSE = "photo-test"


def add_photo_screen(svoi: Svoi) -> None:
    """A screen that takes photos, added to the real engine for the core's and the channels'
    tests (the reports feature is the product's own; tests/reports has its conversations):
    `/phototest` opens it; it stores what it is sent and says so."""

    async def render(turn: Turn) -> None:
        turn.say("Надішліть фото.")

    async def on_photo(turn: Turn, attachment: Attachment) -> None:
        stored = await turn.store_attachment(attachment, PURPOSE)
        if stored is not None:
            turn.say(f"Збережено {stored.width}×{stored.height}.")

    async def start(turn: Turn, _args: str) -> None:
        await turn.engine.enter(turn, "photo-test", None, {})

    registry = svoi.engine.registry
    registry.add_flow(Flow("photo-test", {"start": Screen(render, on_attachment=on_photo)}))
    registry.add_interrupt("phototest", start)
