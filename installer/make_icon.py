"""Draw the app icon (a safety helmet on a blue tile) into installer/station_app.ico and .png.

Run once after changing the design: ``.venv/bin/python installer/make_icon.py``. Pillow only, no fonts.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent


def draw(size: int = 256) -> Image.Image:
    s = size / 256
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=44 * s, fill=(21, 76, 140, 255))
    # helmet dome, ridge and brim
    d.pieslice((52 * s, 62 * s, 204 * s, 214 * s), 180, 360, fill=(250, 190, 20, 255))
    d.rectangle((118 * s, 58 * s, 138 * s, 138 * s), fill=(230, 160, 0, 255))
    d.rounded_rectangle((36 * s, 134 * s, 220 * s, 158 * s), radius=10 * s, fill=(250, 190, 20, 255))
    # a check mark: "inspected"
    d.line([(84 * s, 190 * s), (114 * s, 216 * s), (174 * s, 168 * s)], fill=(255, 255, 255, 255),
           width=max(2, int(16 * s)), joint="curve")
    return img


def main() -> None:
    img = draw(256)
    img.save(HERE / "station_app.png")
    img.save(HERE / "station_app.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128),
                                              (256, 256)])
    print(f"wrote {HERE / 'station_app.ico'}")


if __name__ == "__main__":
    main()
