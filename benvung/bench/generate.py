"""The synthetic national data set of `benvung bench`: seeded, with the real shape.

A national root (`BENCH-VN`) has the 34 provinces of 1/7/2025 under it; each province has
district-level units until 30/6/2025 and communes, linked to their district until then and to
the province from 1/7/2025 (the reform); zones, clusters, craft villages, supermarkets,
commercial centres, agencies and enterprises of every sector hang from the communes. Every
active unit reports the KH-2627 elements of its type for 2020–2030, with gaps, late starters and
closures so that the formulas meet every case.

No Django import: the bench loads what this module yields, and the tests recompute the
indicators from it with the plain domain formulas.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

ROOT = "BENCH-VN"
FIRST_YEAR = 2020
LAST_YEAR = 2030
REFORM = dt.date(2025, 7, 1)
_LONG_AGO = dt.date(2015, 1, 1)
SECTORS = ("DET_MAY", "THEP", "NHUA", "HOA_CHAT", "XI_MANG", "BIA_RUOU_NGK", "KHAC")


@dataclass(frozen=True)
class Scale:
    """How big a data set is: provinces, and per province the units of each type."""

    provinces: int
    districts: int  # per province, until 30/6/2025
    communes: int  # per province
    units: dict[str, int]  # per province, by type


SCALES: dict[str, Scale] = {
    # About 3,300 communes and 100,000 reporting units for the whole country.
    "national": Scale(
        provinces=34,
        districts=21,
        communes=97,
        units={
            "KCN": 12,
            "CCN": 35,
            "LANG_NGHE": 57,
            "SIEU_THI": 35,
            "TTTM": 8,
            "CO_QUAN": 25,
            "DOANH_NGHIEP": 2_680,
        },
    ),
    "province": Scale(
        provinces=3,
        districts=8,
        communes=40,
        units={
            "KCN": 8,
            "CCN": 20,
            "LANG_NGHE": 30,
            "SIEU_THI": 20,
            "TTTM": 6,
            "CO_QUAN": 10,
            "DOANH_NGHIEP": 900,
        },
    ),
    "tiny": Scale(
        provinces=2,
        districts=2,
        communes=5,
        units={
            "KCN": 3,
            "CCN": 3,
            "LANG_NGHE": 4,
            "SIEU_THI": 4,
            "TTTM": 2,
            "CO_QUAN": 2,
            "DOANH_NGHIEP": 40,
        },
    ),
}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    type: str
    sector: str
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class Link:
    child: str
    parent: str
    valid_from: dt.date
    valid_to: dt.date | None


@dataclass(frozen=True)
class Value:
    """One reported value as a data-value file row has it (value as text, unit as typed)."""

    element: str
    unit_code: str
    year: int
    value: str
    unit: str


@dataclass
class DataSet:
    units: list[Unit]
    links: list[Link]


def structure(scale: Scale, seed: int) -> DataSet:
    """The units and their dated parent links."""
    rng = random.Random(seed)  # noqa: S311 (seeded synthetic data, not secrets)
    units = [Unit(ROOT, "Toàn quốc (dữ liệu đo hiệu năng)", "TINH", "", _LONG_AGO, None)]
    links: list[Link] = []
    until_reform = REFORM - dt.timedelta(days=1)
    for p in range(1, scale.provinces + 1):
        province = f"B{p:02d}"
        units.append(Unit(province, f"Tỉnh đo hiệu năng {p:02d}", "TINH", "", _LONG_AGO, None))
        links.append(Link(province, ROOT, _LONG_AGO, None))
        districts = [f"{province}-H{d:02d}" for d in range(1, scale.districts + 1)]
        for number, code in enumerate(districts, start=1):
            units.append(
                Unit(code, f"Huyện {p:02d}.{number:02d}", "HUYEN", "", _LONG_AGO, until_reform)
            )
            links.append(Link(code, province, _LONG_AGO, until_reform))
        communes = [f"{province}-X{c:03d}" for c in range(1, scale.communes + 1)]
        for number, code in enumerate(communes, start=1):
            units.append(Unit(code, f"Xã {p:02d}.{number:03d}", "XA", "", _LONG_AGO, None))
            district = districts[(number - 1) % len(districts)]
            links.append(Link(code, district, _LONG_AGO, until_reform))
            links.append(Link(code, province, REFORM, None))
        serial = 0
        for unit_type, count in scale.units.items():
            for _ in range(count):
                serial += 1
                code = f"{province}-{unit_type[:2]}{serial:05d}"
                sector = rng.choice(SECTORS) if unit_type == "DOANH_NGHIEP" else ""
                valid_from, valid_to = _validity(rng)
                units.append(
                    Unit(code, f"{unit_type} {code}", unit_type, sector, valid_from, valid_to)
                )
                links.append(Link(code, rng.choice(communes), valid_from, valid_to))
    return DataSet(units=units, links=links)


def _validity(rng: random.Random) -> tuple[dt.date, dt.date | None]:
    """Most units exist throughout; some start during the plan, a few close."""
    draw = rng.random()
    if draw < 0.10:
        return dt.date(rng.randint(2021, 2029), rng.randint(1, 12), 1), None
    if draw < 0.15:
        return _LONG_AGO, dt.date(rng.randint(2021, 2029), 12, 31)
    return _LONG_AGO, None


_OUTPUT_UNITS = ("tấn", "m³", "chiếc", "kg", "sản phẩm")
_MASS_UNITS = ("tấn", "tấn", "kg", "tạ")
_ENERGY_UNITS = ("TOE", "GJ", "kWh", "MWh")
_ENERGY_SCALE = {"TOE": 1, "GJ": 41.868, "kWh": 6481, "MWh": 6.481}


def values(data: DataSet, seed: int) -> Iterator[Value]:
    """Every value the units report for 2020–2030, in a stable order (unit, then year)."""
    rng = random.Random(seed + 1)  # noqa: S311 (seeded synthetic data, not secrets)
    for unit in data.units:
        years = [
            y
            for y in range(FIRST_YEAR, LAST_YEAR + 1)
            if unit.valid_from <= dt.date(y, 12, 31)
            and (unit.valid_to is None or unit.valid_to >= dt.date(y, 1, 1))
        ]
        if unit.type in ("KCN", "CCN", "LANG_NGHE"):
            zeal = rng.random()
            for y in years:
                if rng.random() < 0.8:
                    events = rng.randint(1, 4) if rng.random() < zeal * 0.5 else 0
                    yield Value("NT_HOAT_DONG", unit.code, y, str(events), "")
                    yield Value("NT_NGUOI", unit.code, y, str(events * rng.randint(20, 200)), "")
        elif unit.type in ("HUYEN", "XA"):
            for y in years:
                if rng.random() < 0.85:
                    events = rng.randint(0, 6)
                    yield Value("TT_SU_KIEN", unit.code, y, str(events), "")
                    yield Value("TT_NGUOI", unit.code, y, str(events * rng.randint(30, 500)), "")
        elif unit.type in ("SIEU_THI", "TTTM"):
            adopted = rng.randint(2020, 2032)
            for y in years:
                if rng.random() < 0.9:
                    flag = "có" if y >= adopted else rng.choice(("0", "không", "false"))
                    yield Value("BB_THAN_THIEN", unit.code, y, flag, "")
                    yield Value("BB_NHAN_SINH_THAI", unit.code, y, str(rng.randint(0, 400)), "")
        elif unit.type == "DOANH_NGHIEP":
            yield from _enterprise(rng, unit.code, years)


def _enterprise(rng: random.Random, code: str, years: list[int]) -> Iterator[Value]:
    output_unit = rng.choice(_OUTPUT_UNITS)
    mass_unit = rng.choice(_MASS_UNITS)
    energy_unit = rng.choice(_ENERGY_UNITS)
    output = rng.uniform(100, 50_000)
    material = output * rng.uniform(0.5, 3)
    energy = output * rng.uniform(0.001, 0.05)
    for y in years:
        output *= rng.uniform(0.95, 1.10)
        material *= rng.uniform(0.93, 1.05)
        energy *= rng.uniform(0.92, 1.05)
        if rng.random() < 0.92:
            yield Value("SX_SAN_LUONG", code, y, _number(output, 2), output_unit)
        if rng.random() < 0.92:
            mass = material * {"tấn": 1, "kg": 1000, "tạ": 10}[mass_unit]
            yield Value("TH_NGUYEN_LIEU", code, y, _number(mass, 2), mass_unit)
        if rng.random() < 0.92:
            yield Value(
                "TH_NANG_LUONG",
                code,
                y,
                _number(energy * _ENERGY_SCALE[energy_unit], 3),
                energy_unit,
            )


def _number(x: float, places: int) -> str:
    """A positive number as a file has it, with a comma as decimal mark now and then."""
    text = str(Decimal(f"{x:.{places}f}"))
    return text.replace(".", ",") if int(x) % 5 == 0 else text
