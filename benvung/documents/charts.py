"""The report's charts: each key indicator's value in the year beside its target, as a PNG
drawn with matplotlib (Agg canvas, no display) in DejaVu Sans, which has every Vietnamese
letter.

No Django import; the figures come from the report's indicator lines.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from benvung.core.formatting import format_number
from benvung.documents.data import IndicatorLine

FONT = "DejaVu Sans"
WIDTH_CM = 16.0
DPI = 200
# Status colours (those of the pages' badges, darkened for print); the value label and the
# report's table also say the status, so colour is never the only cue.
COLOURS = {
    "dat": "#2e7d32",
    "dung_tien_do": "#558b2f",
    "can_day_nhanh": "#f9a825",
    "cham_tien_do": "#ef6c00",
    "thut_lui": "#c62828",
    "khong_dat": "#8e1b1b",
}
NO_STATUS = "#9e9e9e"
SHARE_FORMULAS = ("coverage_cumulative", "coverage_boolean")
INTENSITY_FORMULAS = ("intensity_index",)


@dataclass(frozen=True)
class Chart:
    caption: str
    png: bytes


def _cm(value: float) -> float:
    return value / 2.54


def bar_chart(lines: Sequence[IndicatorLine], *, unit: str) -> bytes:
    """Horizontal bars of the indicators' values, each with a black tick at its target's
    minimum; the value is written at the end of its bar ("—" without data)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    height = 1.6 + 0.62 * len(lines)
    figure = Figure(figsize=(_cm(WIDTH_CM), _cm(height + 1.4)), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    labels = [line.code for line in lines]
    positions = list(range(len(lines)))[::-1]
    values = [float(line.value) if line.value is not None else 0.0 for line in lines]
    colours = [COLOURS.get(line.status or "", NO_STATUS) for line in lines]
    axes.barh(positions, values, height=0.6, color=colours, zorder=2)
    reach = max([abs(v) for v in values] + [float(line.target_minimum or 0) for line in lines])
    reach = reach or 1.0
    for y, line, value in zip(positions, lines, values, strict=True):
        if line.target_minimum is not None:
            target = float(line.target_minimum)
            axes.plot([target, target], [y - 0.42, y + 0.42], color="black", lw=2, zorder=3)
        text = "—" if line.value is None else format_number(line.value, 2)
        # Right of the bar and of the target tick, so that neither hides the figure.
        right = max(value, float(line.target_minimum or 0), 0.0)
        axes.text(right + reach * 0.02, y, text, va="center", ha="left", fontsize=8, family=FONT)
    axes.set_yticks(positions, labels, fontsize=8, family=FONT)
    low = min([0.0, *values])
    axes.set_xlim(low * 1.25 if low < 0 else 0, reach * 1.18)
    axes.axvline(0, color="#444444", lw=0.8, zorder=1)
    axes.grid(axis="x", color="#dddddd", lw=0.6, zorder=0)
    axes.set_xlabel(unit, fontsize=8, family=FONT)
    axes.tick_params(axis="x", labelsize=8)
    for spine in ("top", "right"):
        axes.spines[spine].set_visible(False)
    used = dict.fromkeys(line.status_label for line in lines if line.status in COLOURS)
    handles: list[Patch | Line2D] = [
        Patch(color=COLOURS[status], label=label)
        for label in used
        for status in {line.status for line in lines if line.status_label == label}
        if status in COLOURS
    ]
    handles.append(Line2D([], [], color="black", lw=2, label="Mục tiêu (mức tối thiểu)"))
    figure.legend(
        handles=handles,
        loc="lower center",
        ncol=min(len(handles), 4),
        fontsize=7,
        frameon=False,
        prop={"family": FONT, "size": 7},
    )
    # Fixed margins rather than tight_layout, which draws the figure once more: room on the
    # left for the codes, at the bottom for the axis and the legend.
    inches = _cm(height + 1.4)
    rows = 1 if len(handles) <= 4 else 2
    bottom = (0.6 + 0.15 * rows) / inches
    figure.subplots_adjust(left=0.27, right=0.96, top=1 - 0.2 / inches, bottom=bottom)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def _with_target(lines: Sequence[IndicatorLine], formulas: Sequence[str]) -> list[IndicatorLine]:
    return [
        line
        for line in lines
        if line.formula in formulas and line.target_minimum is not None and not line.is_qualitative
    ]


def report_charts(lines: Sequence[IndicatorLine], year: int, base_year: int) -> list[Chart]:
    """The report's charts: the share indicators against their targets, and the reductions
    of material and energy use per sector against theirs (each only when there is one)."""
    charts = []
    shares = _with_target(lines, SHARE_FORMULAS)
    if shares:
        caption = f"Tỷ lệ thực hiện năm {year} của các chỉ tiêu tỷ lệ so với mục tiêu"
        charts.append(Chart(caption, bar_chart(shares, unit="%")))
    reductions = _with_target(lines, INTENSITY_FORMULAS)
    if reductions:
        caption = (
            f"Mức giảm tiêu hao nguyên, nhiên vật liệu năm {year} so với năm {base_year} "
            "theo ngành, so với mục tiêu"
        )
        charts.append(Chart(caption, bar_chart(reductions, unit="%")))
    return charts
