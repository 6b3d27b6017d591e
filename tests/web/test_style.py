"""The stylesheet's colour pairs meet WCAG AA contrast (4.5:1 for normal text)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "css" / "portal.css"
PAIRS = [
    ("ink", "paper"),
    ("ink", "wash"),
    ("muted", "paper"),
    ("muted", "wash"),
    ("brand", "paper"),
    ("brand", "wash"),
    ("white", "brand"),
    ("white", "brand-dark"),
    ("white", "bad"),
    ("ok", "ok-wash"),
    ("warn", "warn-wash"),
    ("bad", "bad-wash"),
]


def palette() -> dict[str, str]:
    root = re.search(r":root\s*{(.*?)}", CSS.read_text(), re.S).group(1)
    colours = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root))
    return {**colours, "white": "#ffffff"}


def luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_colours_have_enough_contrast(text, background):
    colours = palette()
    assert contrast(colours[text], colours[background]) >= 4.5


def test_contrast_formula():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert contrast("#777777", "#ffffff") < 4.5
