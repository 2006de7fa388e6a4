"""Horizontal bar charts for the partners' observatory, drawn on the server as SVG (no JavaScript).

Only the geometry is computed here; the template (backoffice/observatory_chart.html) writes the SVG. Every
bar carries its series' name and its value as text, so nothing is said by colour alone; the chart is
mirrored for right-to-left languages (bars grow from the right, labels start on the right).
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 420  # viewBox units; the SVG scales to its container's width
FONT_SIZE = 12
LABEL_ROW = 17  # the group's label, above its bars
BAR_ROW = 17
BAR_HEIGHT = 11
GROUP_GAP = 8
BAR_SPAN = 200  # the longest bar; the text after it takes the rest of the width
TEXT_GAP = 5


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    text: str  # series and value, written after the bar
    text_x: float
    text_y: float
    series: int  # 0, 1… picks the bar's style


@dataclass(frozen=True)
class Group:
    label: str
    label_x: float
    label_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    ident: str  # prefix of the ids of the chart's title and caption
    title: str
    width: int
    height: int
    groups: tuple[Group, ...]
    rtl: bool
    font_size: int = FONT_SIZE


def bar_chart(
    ident: str,
    title: str,
    groups: list[tuple[str, list[tuple[float | None, str]]]],
    rtl: bool = False,
) -> Chart:
    """`groups`: (label, [(value, text) per series]); bars are scaled on the largest value of the chart,
    a missing value (None) draws no bar, only its text."""
    values = [value for _, bars in groups for value, _text in bars if value is not None]
    highest = max([*values, 0]) or 1
    y = 0.0
    drawn = []
    for label, bars in groups:
        label_y = y + FONT_SIZE
        y += LABEL_ROW
        shapes = []
        for series, (value, text) in enumerate(bars):
            length = round(BAR_SPAN * (value or 0) / highest, 1)
            bar_x = WIDTH - length if rtl else 0.0
            text_x = bar_x - TEXT_GAP if rtl else length + TEXT_GAP
            shapes.append(
                Bar(
                    x=bar_x,
                    y=y + (BAR_ROW - BAR_HEIGHT) / 2,
                    width=length,
                    height=BAR_HEIGHT,
                    text=text,
                    text_x=text_x,
                    text_y=y + BAR_ROW / 2 + FONT_SIZE / 3,
                    series=series,
                )
            )
            y += BAR_ROW
        drawn.append(Group(label, WIDTH if rtl else 0.0, label_y, tuple(shapes)))
        y += GROUP_GAP
    return Chart(ident, title, WIDTH, max(int(y), 1), tuple(drawn), rtl)
