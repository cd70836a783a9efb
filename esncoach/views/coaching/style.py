"""Large, high-contrast type for a screen read across a table; sizes follow the screen's height."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CoachPalette:
    """Colours of one coaching theme (both pass WCAG AA contrast for body text)."""

    background: str
    surface: str
    text: str
    muted: str
    accent: str
    good: str
    bad: str


DARK = CoachPalette("#101418", "#1b2229", "#f3f5f7", "#a9b4bf", "#f4a261", "#7fd1a8", "#ff8a80")
LIGHT = CoachPalette("#fbfbf8", "#eef1f4", "#101418", "#4a5560", "#1f4e79", "#1b7a4b", "#b3261e")


def _tick_url() -> str:
    """A white tick drawn on the ticked box (a plain green square did not read as ticked)."""
    from esncoach.paths import resources_dir

    return (resources_dir() / "indicators" / "tick.svg").as_posix()  # not a toolbar icon


def base_font_px(screen_height: int) -> int:
    """Body text size: about 1/36 of the screen height, never below 16 px or above 40 px."""
    return max(16, min(40, round(screen_height / 36)))


def stylesheet(p: CoachPalette, base: int) -> str:
    """The whole coaching window's style sheet for a palette and body size."""
    big, huge, small = round(base * 1.5), round(base * 3.2), max(12, round(base * 0.7))
    return f"""
    QWidget#coachingWindow, QWidget#coachingWindow QWidget {{
        background: {p.background}; color: {p.text}; font-size: {base}px;
    }}
    QWidget#coachingWindow QLabel[role="heading"] {{ font-size: {big}px; font-weight: 600; color: {p.text}; }}
    QWidget#coachingWindow QLabel[role="name"] {{ font-size: {big}px; font-weight: 700; }}
    QWidget#coachingWindow QLabel[role="muted"], QWidget#coachingWindow QLabel[role="hint"] {{ color: {p.muted}; }}
    QWidget#coachingWindow QLabel[role="hint"] {{ font-size: {small}px; }}
    QWidget#coachingWindow QLabel[role="figure"] {{ font-size: {huge}px; font-weight: 700; color: {p.accent}; }}
    QWidget#coachingWindow QLabel[role="good"] {{ color: {p.good}; }}
    QWidget#coachingWindow QLabel[role="bad"] {{ color: {p.bad}; }}
    QWidget#coachingWindow QLabel[role="status"] {{ color: {p.muted}; font-size: {small}px; }}
    QWidget#coachingWindow QLabel[role="timer"] {{ color: {p.accent}; font-weight: 600; }}
    QWidget#coachingWindow QPlainTextEdit, QWidget#coachingWindow QLineEdit, QWidget#coachingWindow QComboBox,
    QWidget#coachingWindow QDateEdit, QWidget#coachingWindow QListWidget {{
        background: {p.surface}; color: {p.text}; border: 1px solid {p.muted}; border-radius: 6px; padding: 6px;
        selection-background-color: {p.accent}; selection-color: {p.background};
    }}
    QWidget#coachingWindow QPlainTextEdit:focus, QWidget#coachingWindow QLineEdit:focus {{ border: 2px solid {p.accent}; }}
    QWidget#coachingWindow QCheckBox {{ spacing: {base // 2}px; }}
    QWidget#coachingWindow QCheckBox::indicator {{
        width: {base}px; height: {base}px; border: 2px solid {p.muted}; border-radius: 4px; background: {p.surface};
    }}
    QWidget#coachingWindow QCheckBox::indicator:checked {{
        background: {p.good}; border-color: {p.good}; image: url({_tick_url()});
    }}
    QWidget#coachingWindow QCheckBox::indicator:focus {{ border-color: {p.accent}; }}
    QWidget#coachingWindow QPushButton {{
        background: {p.surface}; color: {p.text}; border: 1px solid {p.muted}; border-radius: 6px;
        padding: {base // 4}px {base // 2}px;
    }}
    QWidget#coachingWindow QPushButton:focus {{ border: 2px solid {p.accent}; }}
    QWidget#coachingWindow QFrame#privateNotes {{ border: 2px dashed {p.bad}; border-radius: 8px; }}
    QWidget#coachingWindow QWidget#blank {{ background: {p.background}; }}
    """


def embedded_stylesheet(base: int) -> str:
    """Other features' widgets (posts, charts) assume a light palette: show them on a light panel."""
    p = LIGHT
    size = max(13, round(base * 0.65))
    return f"""
    * {{ font-size: {size}px; }}
    QWidget {{ background: {p.background}; color: {p.text}; }}
    QPlainTextEdit, QTextEdit, QLineEdit, QComboBox, QListView, QListWidget, QTableView {{
        background: #ffffff; color: {p.text}; border: 1px solid #9aa5b1; border-radius: 4px;
        selection-background-color: {p.accent}; selection-color: #ffffff;
    }}
    QPushButton, QToolButton {{
        background: {p.surface}; color: {p.text}; border: 1px solid #9aa5b1; border-radius: 4px; padding: 3px 8px;
    }}
    QPushButton:checked, QToolButton:checked {{ background: #d6e4f2; }}
    QTabBar::tab {{ background: {p.surface}; color: {p.text}; padding: 4px 10px; border: 1px solid #c5ced6; }}
    QTabBar::tab:selected {{ background: #ffffff; }}
    """
