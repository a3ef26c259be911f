"""Server-side SVG line charts: a pure function from points to markup, no JavaScript.

The indicator page draws the yearly values, the expected path, the milestones and the
projection with `line_chart`. Every text placed in the SVG is escaped here, so the result can
be embedded in a page as is; numbers are written the Vietnamese way (1.234,5).

    svg = line_chart(
        title="CT01",
        series=[Series("Giá trị", [(2020, 0), (2021, 25), (2022, None), (2023, 50)])],
        markers=[Marker(2025, 70, "≥ 70 % (2025)")],
        unit="%",
    )
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from benvung.core.formatting import format_number

Number = Decimal | float | int

__all__ = ["Marker", "Series", "line_chart", "nice_ticks"]

# How each line style is drawn: (stroke-dasharray, stroke-width). Dashes and dots keep the
# lines apart in black-and-white print, where colour says nothing.
_STROKES: dict[str, tuple[str | None, float]] = {
    "solid": (None, 2.5),
    "dashed": ("7 5", 2.0),
    "dotted": ("0.5 6", 3.0),
}


@dataclass(frozen=True)
class Series:
    """One line: (x, y) points in x order; a None y breaks the line (no data that year)."""

    label: str
    points: Sequence[tuple[int, Number | None]]
    style: str = "solid"
    css_class: str = "value"
    show_points: bool = True
    color: str = "#0f6e5a"


@dataclass(frozen=True)
class Marker:
    """A labelled point (a milestone): drawn as a diamond with its label."""

    x: int
    y: Number
    label: str
    color: str = "#8a3b12"


@dataclass(frozen=True)
class _Frame:
    """The plotting area and the value ranges it maps."""

    left: float
    top: float
    right: float
    bottom: float
    x_min: float
    x_max: float
    y_min: float
    y_max: float

    def px(self, x: float) -> float:
        return self.left + (x - self.x_min) / (self.x_max - self.x_min) * (self.right - self.left)

    def py(self, y: float) -> float:
        span = self.y_max - self.y_min
        return self.bottom - (y - self.y_min) / span * (self.bottom - self.top)


def nice_ticks(low: float, high: float, count: int = 6) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2, 2.5 or 5 times a power of 10."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [math.floor(low / step) * step]
    while ticks[-1] < high - step * 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _fmt(value: float) -> str:
    """A tick or point value, Vietnamese notation, at most 2 decimals."""
    return format_number(Decimal(repr(round(value, 2))))


def _segments(points: Iterable[tuple[int, Number | None]]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive points that have a value."""
    runs: list[list[tuple[int, float]]] = [[]]
    for x, y in points:
        if y is None:
            if runs[-1]:
                runs.append([])
            continue
        runs[-1].append((x, float(y)))
    return [run for run in runs if run]


def _attr(name: str, value: object) -> str:
    return f' {name}="{escape(str(value), quote=True)}"'


def line_chart(
    *,
    series: Sequence[Series],
    title: str,
    markers: Sequence[Marker] = (),
    description: str = "",
    unit: str = "",
    x_range: tuple[int, int] | None = None,
    width: int = 800,
    height: int = 340,
    max_x_labels: int = 12,
    empty_text: str = "Chưa có dữ liệu",
) -> str:
    """The SVG markup of a line chart with an x label per year (every n-th year when there
    are more than `max_x_labels`).

    `x_range` fixes the first and last year shown (default: those of the points and markers).
    The y axis always includes 0, so a rise from nothing looks like one. When no point has a
    value, the axes are drawn with `empty_text` in the middle.
    """
    xs = [x for s in series for x, _ in s.points] + [m.x for m in markers]
    ys = [float(y) for s in series for _, y in s.points if y is not None]
    ys += [float(m.y) for m in markers]
    if x_range is not None:
        x_lo, x_hi = x_range
    elif xs:
        x_lo, x_hi = min(xs), max(xs)
    else:
        x_lo, x_hi = 0, 1
    if x_hi == x_lo:
        x_hi = x_lo + 1
    low, high = min([0.0, *ys]), max([0.0, *ys]) or 1.0
    # Headroom above the highest point, so that a milestone label can sit over its marker.
    ticks = nice_ticks(low, high + (high - low) * 0.08)
    frame = _Frame(
        left=64,
        top=28,
        right=width - 28,
        bottom=height - 44,
        x_min=x_lo,
        x_max=x_hi,
        y_min=ticks[0],
        y_max=ticks[-1],
    )
    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}"'
        f' role="img" font-family="inherit" font-size="13"{_attr("aria-label", title)}>',
        f"<title>{escape(title)}</title>",
    ]
    if description:
        out.append(f"<desc>{escape(description)}</desc>")
    out.append('<g class="chart-grid" stroke="#d4dcd9" stroke-width="1">')
    for tick in ticks:
        y = frame.py(tick)
        out.append(f'<line x1="{frame.left}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}"/>')
    out.append("</g>")
    out.append('<g class="chart-axis" fill="#3d4a47" stroke="none">')
    for tick in ticks:
        out.append(
            f'<text x="{frame.left - 8}" y="{frame.py(tick) + 5:.1f}" text-anchor="end">'
            f"{escape(_fmt(tick))}</text>"
        )
    if unit:
        out.append(
            f'<text x="{frame.left - 8}" y="{frame.top - 12}" text-anchor="end">'
            f"{escape(unit)}</text>"
        )
    span = x_hi - x_lo
    every = 1 if span < max_x_labels else math.ceil(span / (max_x_labels - 1))
    for year in range(x_lo, x_hi + 1, every):
        out.append(
            f'<text class="chart-x" x="{frame.px(year):.1f}" y="{frame.bottom + 24}"'
            f' text-anchor="middle">{year}</text>'
        )
    out.append("</g>")
    out.append(
        f'<line class="chart-baseline" x1="{frame.left}" x2="{frame.right}"'
        f' y1="{frame.py(0):.1f}" y2="{frame.py(0):.1f}" stroke="#8a9a96" stroke-width="1.5"/>'
    )
    for s in series:
        out.extend(_series_markup(s, frame, unit))
    for marker in markers:
        out.extend(_marker_markup(marker, frame))
    if not ys:
        out.append(
            f'<text class="chart-empty" x="{(frame.left + frame.right) / 2:.1f}"'
            f' y="{(frame.top + frame.bottom) / 2:.1f}" text-anchor="middle" fill="#5b6b67">'
            f"{escape(empty_text)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _series_markup(s: Series, frame: _Frame, unit: str) -> list[str]:
    dash, stroke_width = _STROKES.get(s.style, _STROKES["solid"])
    css = escape(f"chart-series chart-series--{s.css_class} chart-series--{s.style}", quote=True)
    out = [f'<g class="{css}"{_attr("color", s.color)}{_attr("data-label", s.label)}>']
    for run in _segments(s.points):
        d = " ".join(
            f"{'M' if i == 0 else 'L'}{frame.px(x):.1f},{frame.py(y):.1f}"
            for i, (x, y) in enumerate(run)
        )
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<path d="{d}" fill="none" stroke="currentColor" stroke-width="{stroke_width}"'
            f' stroke-linecap="round" stroke-linejoin="round"{dash_attr}/>'
        )
        if s.show_points:
            for x, y in run:
                label = f"{x}: {_fmt(y)}{' ' + unit if unit else ''}"
                out.append(
                    f'<circle cx="{frame.px(x):.1f}" cy="{frame.py(y):.1f}" r="4.5"'
                    f' fill="#fff" stroke="currentColor" stroke-width="2.5">'
                    f"<title>{escape(label)}</title></circle>"
                )
    out.append("</g>")
    return out


def _marker_markup(marker: Marker, frame: _Frame) -> list[str]:
    x, y = frame.px(marker.x), frame.py(float(marker.y))
    size = 7
    anchor = "end" if x > frame.right - 60 else ("start" if x < frame.left + 60 else "middle")
    label_y = y - 14 if y - 14 > frame.top - 10 else y + 24
    return [
        f'<g class="chart-marker"{_attr("color", marker.color)}>',
        f'<path d="M{x:.1f},{y - size:.1f} L{x + size:.1f},{y:.1f} L{x:.1f},{y + size:.1f}'
        f' L{x - size:.1f},{y:.1f} Z" fill="#fff" stroke="currentColor" stroke-width="2.5">'
        f"<title>{escape(marker.label)}</title></path>",
        f'<text x="{x:.1f}" y="{label_y:.1f}" text-anchor="{anchor}" fill="currentColor"'
        f' font-weight="600" paint-order="stroke" stroke="#fff" stroke-width="4">'
        f"{escape(marker.label)}</text>",
        "</g>",
    ]
