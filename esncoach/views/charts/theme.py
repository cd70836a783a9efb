"""Chart colours for light and dark palettes, from the Okabe–Ito colour-blind-safe set.

Series colours are ordered per palette so the first ones contrast best with the background (Okabe–Ito
blue is too dark on a dark background, its yellow too light on white); lines also differ by dash
pattern, so no reader has to rely on hue alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
}


@dataclass(frozen=True)
class Theme:
    """Every colour a chart uses, for one background."""

    dark: bool
    background: str
    foreground: str
    muted: str
    grid_alpha: float
    series: tuple[str, ...]
    session: str
    streak: str
    streak_alpha: int
    readout_fill: str
    good: str
    bad: str

    def color(self, i: int) -> str:
        """The i-th series colour (cycling)."""
        return self.series[i % len(self.series)]

    def qcolor(self, name: str, alpha: int = 255) -> QColor:
        c = QColor(name)
        c.setAlpha(alpha)
        return c


LIGHT = Theme(
    dark=False, background="#ffffff", foreground="#202020", muted="#6b6b6b", grid_alpha=0.18,
    series=(OKABE_ITO["blue"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["vermillion"],
            OKABE_ITO["purple"], OKABE_ITO["sky"], "#8a7a00"),
    session="#7a7a7a", streak="#009E73", streak_alpha=50, readout_fill="#f6f6f6",
    good=OKABE_ITO["green"], bad=OKABE_ITO["vermillion"],
)
DARK = Theme(
    dark=True, background="#1e1f22", foreground="#e6e6e6", muted="#a0a0a0", grid_alpha=0.22,
    series=(OKABE_ITO["sky"], OKABE_ITO["orange"], OKABE_ITO["green"], OKABE_ITO["vermillion"],
            OKABE_ITO["purple"], OKABE_ITO["yellow"], "#4aa3df"),
    session="#9a9a9a", streak="#009E73", streak_alpha=80, readout_fill="#2b2d31",
    good="#2fc49a", bad="#ff7a3d",
)

DASHES = ("solid", "dash", "dot", "dashdot", "solid", "dash", "dot")
"""Line style per series index, paired with the colours above."""


def theme_for(dark: bool) -> Theme:
    """The light or the dark chart theme."""
    return DARK if dark else LIGHT


def palette_is_dark() -> bool:
    """Whether the application's current palette has a dark window background."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def current_theme() -> Theme:
    """The chart theme matching the application's palette right now."""
    return theme_for(palette_is_dark())
