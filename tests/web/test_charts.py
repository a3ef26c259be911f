"""The SVG line chart builder (pure function: no database)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from benvung.indicators.charts import Marker, Series, line_chart, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The chart as XML: it must be well-formed to be embedded in a page."""
    return ET.fromstring(svg)  # noqa: S314 (our own output, not untrusted input)


def paths_of(root: ET.Element, css: str) -> list[str]:
    group = next(g for g in root.iter(f"{SVG}g") if css in g.get("class", ""))
    return [p.get("d", "") for p in group.iter(f"{SVG}path")]


def test_points_and_path_of_a_series() -> None:
    svg = line_chart(
        title="CT01",
        series=[Series("Giá trị", [(2020, 0), (2021, Decimal("22.5")), (2022, 40)])],
        unit="%",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "CT01"  # type: ignore[union-attr]
    (d,) = paths_of(root, "chart-series--value")
    assert d.startswith("M") and d.count("L") == 2
    circles = list(root.iter(f"{SVG}circle"))
    assert len(circles) == 3
    tooltips = [c.find(f"{SVG}title").text for c in circles]  # type: ignore[union-attr]
    assert tooltips == ["2020: 0 %", "2021: 22,5 %", "2022: 40 %"]


def test_none_values_break_the_line() -> None:
    svg = line_chart(
        title="t",
        series=[Series("v", [(2020, 1), (2021, 2), (2022, None), (2023, 4), (2024, 5)])],
    )
    root = parse(svg)
    paths = paths_of(root, "chart-series--value")
    assert len(paths) == 2
    assert all(p.count("M") == 1 and p.count("L") == 1 for p in paths)
    assert len(list(root.iter(f"{SVG}circle"))) == 4
    assert "nan" not in svg.lower() and "None" not in svg


def test_single_point_between_gaps_is_still_drawn() -> None:
    svg = line_chart(title="t", series=[Series("v", [(2020, None), (2021, 3), (2022, None)])])
    root = parse(svg)
    assert paths_of(root, "chart-series--value") == [paths_of(root, "chart-series--value")[0]]
    assert len(list(root.iter(f"{SVG}circle"))) == 1


def test_all_none_shows_the_empty_text() -> None:
    svg = line_chart(
        title="t", series=[Series("v", [(2020, None), (2021, None)])], empty_text="Chưa có dữ liệu"
    )
    root = parse(svg)
    assert paths_of(root, "chart-series--value") == []
    assert "Chưa có dữ liệu" in svg


def test_no_series_at_all() -> None:
    svg = line_chart(title="t", series=[])
    parse(svg)
    assert "Chưa có dữ liệu" in svg


def test_styles_markers_and_x_range() -> None:
    svg = line_chart(
        title="t",
        series=[
            Series("v", [(2020, 0), (2021, 20)]),
            Series(
                "e",
                [(2020, 0), (2025, 70)],
                style="dashed",
                css_class="expected",
                show_points=False,
            ),
            Series("p", [(2021, 20), (2025, 90)], style="dotted", css_class="projection"),
        ],
        markers=[Marker(2025, 70, "≥ 70 % (2025)"), Marker(2030, 100, "≥ 100 % (2030)")],
        x_range=(2020, 2030),
    )
    root = parse(svg)
    expected = next(
        g for g in root.iter(f"{SVG}g") if "chart-series--expected" in g.get("class", "")
    )
    assert expected.find(f"{SVG}path").get("stroke-dasharray")  # type: ignore[union-attr]
    assert expected.find(f"{SVG}circle") is None
    assert "chart-series--dotted" in svg
    labels = [t.text for t in root.iter(f"{SVG}text")]
    assert "≥ 70 % (2025)" in labels and "≥ 100 % (2030)" in labels
    years = [t.text for t in root.iter(f"{SVG}text") if "chart-x" in t.get("class", "")]
    assert years == [str(y) for y in range(2020, 2031)]


def test_fewer_year_labels_on_a_narrow_chart() -> None:
    svg = line_chart(
        title="t", series=[Series("v", [(2020, 1), (2030, 2)])], width=420, max_x_labels=6
    )
    years = [t.text for t in parse(svg).iter(f"{SVG}text") if t.get("class") == "chart-x"]
    assert years == ["2020", "2022", "2024", "2026", "2028", "2030"]


def test_headroom_above_the_highest_point() -> None:
    svg = line_chart(title="t", series=[Series("v", [(2020, 0), (2021, 100)])])
    labels = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert "125" in labels  # 100 + 8 % headroom → the next tick of 25


def test_negative_values_get_an_axis_below_zero() -> None:
    svg = line_chart(title="t", series=[Series("v", [(2020, 0), (2021, Decimal("-2.2"))])])
    labels = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert any(label and label.startswith("-") for label in labels)
    assert "0" in labels


def test_text_is_escaped() -> None:
    svg = line_chart(
        title="<script>alert(1)</script>",
        series=[Series('a"b', [(2020, 1)])],
        markers=[Marker(2020, 1, "x < y & z")],
    )
    assert "<script>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "<script>alert(1)</script>"  # type: ignore[union-attr]


def test_coordinates_stay_inside_the_view_box() -> None:
    svg = line_chart(
        title="t",
        series=[Series("v", [(2020, 0), (2021, 1000), (2022, Decimal("0.5"))])],
        width=640,
        height=320,
    )
    numbers = [float(n) for n in re.findall(r'c[xy]="(-?[\d.]+)"', svg)]
    assert numbers and all(0 <= n <= 640 for n in numbers)


@pytest.mark.parametrize(
    ("low", "high", "first", "last"),
    [
        (0, 100, 0, 100),
        (0, 72, 0, 80),
        (0, 108, 0, 125),
        (-2.2, 9.4, -2.5, 10),
        (0, 0.3, 0, 0.3),
        (5, 5, 5, 6),
    ],
)
def test_nice_ticks_cover_the_range(low: float, high: float, first: float, last: float) -> None:
    ticks = nice_ticks(low, high)
    assert ticks[0] == pytest.approx(first)
    assert ticks[-1] == pytest.approx(last)
    assert ticks[0] <= low and ticks[-1] >= high
    assert 2 <= len(ticks) <= 8
