"""Generated demo data for Hải Dương, 2020–2025 (`benvung init --demo`).

The data set is built as interchange-format rows (the same CSV columns users import) and loaded
through the three import services, so it is validated exactly like user data. Everything it
creates is labelled: unit and model names end with " (minh họa)", `OrgUnit.is_demo` and
`ScpModel.is_demo` are set, and data values carry the comment "Dữ liệu minh họa" and the source
"demo". The same seed always gives the same rows (`demo_rows` is pure: no database, no clock).

The reports (submissions) of every data set, unit and year that has demo values go through
the workflow as they would have: the years up to 2024 sent and approved (most before the
deadline of 20/12, a few late), 2025 still in progress (mostly sent, some approved, a few
returned with a comment, some still drafts), so that the review queue and the completeness
pages have content (`demo_submissions` is pure too).

Demo accounts — for demo installs only, never on a real installation (see `DEMO_ACCOUNTS`):
    demo / demo       co-ordinator (Sở Công Thương), also staff with the plan's data in the admin
    baocao / demo     reporter for Thành phố Hải Dương (288) and its subtree
    sieuthi / demo    reporter for one supermarket
    lanhdao / demo    leader: reads everything, changes nothing
    admin / admin     superuser
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from benvung.core.formatting import format_number
from benvung.orgunits.models import OrgUnit, ParentLink, UnitType

DEMO_SUFFIX = " (minh họa)"
DEMO_COMMENT = "Dữ liệu minh họa"
DEMO_SOURCE = "demo"
PLAN_CODE = "KH-2627"
FIRST_YEAR = 2020  # the plan's base year
LAST_YEAR = 2025
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
PLAN_START = 2021
DEFAULT_FROM = dt.date(2020, 1, 1)

ORGUNIT_COLUMNS = ("code", "name", "type", "parent", "valid_from", "valid_to", "sector")
DATAVALUE_COLUMNS = ("data_element", "org_unit", "period", "value", "unit", "comment")
MODEL_COLUMNS = ("code", "name", "kind", "org_unit", "year", "description")

DEMO_STAFF_APPS = ("orgunits", "plans", "datavalues", "scpmodels")
DEMO_DISTRICT = "288"  # Thành phố Hải Dương
DEMO_SUPERMARKET = "DEMO-ST-07"  # Siêu thị WinMart Chí Linh, outside the district above


@dataclass(frozen=True)
class DemoAccount:
    """A demo sign-in: demo installs only (see the module docstring)."""

    username: str
    password: str
    role: str  # accounts.models.Role value
    unit: str = ""  # the reporter's unit
    staff: bool = False
    superuser: bool = False


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("demo", "demo", "coordinator", staff=True),
    DemoAccount("baocao", "demo", "reporter", unit=DEMO_DISTRICT),
    DemoAccount("sieuthi", "demo", "reporter", unit=DEMO_SUPERMARKET),
    DemoAccount("lanhdao", "demo", "leader"),
    DemoAccount("admin", "admin", "administrator", staff=True, superuser=True),
)


@dataclass(frozen=True)
class AdminUnit:
    """An administrative unit already in the system (province, district or commune)."""

    code: str
    name: str
    type: str
    parent: str


@dataclass(frozen=True)
class DemoRows:
    """Every row of a demo data set, in interchange-file column order."""

    orgunits: tuple[tuple[str, ...], ...]
    datavalues: tuple[tuple[str, ...], ...]
    models: tuple[tuple[str, ...], ...]
    # (indicator code, year, status, evidence)
    assessments: tuple[tuple[str, int, str, str], ...]


@dataclass
class _Unit:
    code: str
    name: str  # without the demo suffix
    type: str
    parent: str
    valid_from: dt.date = DEFAULT_FROM
    valid_to: dt.date | None = None
    sector: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def active(self, year: int) -> bool:
        return self.valid_from.year <= year and (
            self.valid_to is None or self.valid_to.year >= year
        )

    def row(self) -> tuple[str, ...]:
        return (
            self.code,
            self.name + DEMO_SUFFIX,
            str(self.type),
            self.parent,
            self.valid_from.isoformat(),
            self.valid_to.isoformat() if self.valid_to else "",
            self.sector,
        )


# --- Fixed lists (real places of Hải Dương; the figures attached to them are invented) -------

# (name, district code, opening date or None)
INDUSTRIAL_ZONES: tuple[tuple[str, str, dt.date | None], ...] = (
    ("KCN Đại An", "288", None),
    ("KCN Việt Hòa – Kenmark", "288", None),
    ("KCN Nam Sách", "291", None),
    ("KCN Phúc Điền", "295", None),
    ("KCN Tân Trường", "295", None),
    ("KCN Lai Cách", "295", None),
    ("KCN Cẩm Điền – Lương Điền", "295", None),
    ("KCN Lai Vu", "293", None),
    ("KCN Phú Thái", "293", None),
    ("KCN Cộng Hòa", "290", None),
    ("KCN Gia Lộc", "297", dt.date(2023, 1, 1)),
)

# (name, district code, commune name to place it in when that commune exists)
CRAFT_VILLAGES: tuple[tuple[str, str, str], ...] = (
    ("Làng nghề gốm Chu Đậu", "291", "Xã Thái Tân"),
    ("Làng nghề bánh gai Ninh Giang", "299", ""),
    ("Làng nghề kim hoàn Châu Khê", "296", "Xã Thúc Kháng"),
    ("Làng nghề mộc Cúc Bồ", "299", ""),
    ("Làng nghề gốm Cậy", "296", "Xã Long Xuyên"),
    ("Làng nghề mộc Đông Giao", "295", "Xã Lương Điền"),
    ("Làng nghề đá Kính Chủ", "292", ""),
    ("Làng nghề thêu Xuân Nẻo", "298", "Xã Hưng Đạo"),
    ("Làng nghề rượu Phú Lộc", "295", "Xã Cẩm Vũ"),
    ("Làng nghề khắc ván in Hồng Lục", "296", "Xã Tân Hồng"),
    ("Làng nghề giày da Tam Lâm", "297", ""),
    ("Làng nghề chế biến vải thiều Thanh Hà", "294", ""),
    ("Làng nghề rèn Thanh Miện", "300", ""),
    ("Làng nghề bánh đa Chí Linh", "290", ""),
    ("Làng nghề mây tre đan Kim Thành", "293", ""),
)

# (name, district code, opening date or None, chain store): placed in a commune of the district.
SUPERMARKETS: tuple[tuple[str, str, dt.date | None, bool], ...] = (
    ("Siêu thị BigC Hải Dương", "288", None, True),
    ("Siêu thị Co.opmart Hải Dương", "288", None, True),
    ("Siêu thị WinMart Hải Dương", "288", None, True),
    ("Siêu thị Intimex Hải Dương", "288", None, True),
    ("Siêu thị Hapro Mart Hải Dương", "288", None, False),
    ("Siêu thị Thành Đô Mart", "288", None, False),
    ("Siêu thị WinMart Chí Linh", "290", None, True),
    ("Siêu thị Sao Đỏ Mart", "290", None, False),
    ("Siêu thị Nam Sách Mart", "291", None, False),
    ("Siêu thị Kinh Môn Mart", "292", None, False),
    ("Siêu thị Cẩm Giàng Mart", "295", None, False),
    ("Siêu thị WinMart Kinh Môn", "292", dt.date(2024, 4, 1), True),
)

# (name, district code, chain): placed directly under the district.
COMMERCIAL_CENTRES: tuple[tuple[str, str, bool], ...] = (
    ("Trung tâm thương mại Vincom Plaza Hải Dương", "288", True),
    ("Trung tâm thương mại Marine Plaza Hải Dương", "288", True),
    ("Trung tâm thương mại Chí Linh", "290", False),
    ("Trung tâm thương mại Ninh Giang", "299", False),
)

ENTERPRISE_STEMS: tuple[str, ...] = (
    "Hưng Thịnh", "Thành Công", "Phúc An", "Tân Việt", "Hồng Hà", "Minh Phát", "Đông Á",
    "Sao Vàng", "Kim Long", "Bình Minh", "Hoàng Gia", "Việt Nhật", "Hải Hà", "Trường Sơn",
    "Quang Minh", "Thiên Phú", "Nam Việt", "Đức Thành", "Vạn Xuân", "Lạc Hồng", "Sông Hồng",
    "Thăng Long", "Phú Cường", "An Khánh", "Hợp Nhất", "Tiến Đạt", "Hòa Bình", "Thái Sơn",
    "Ngọc Linh", "Bảo Long", "Đại Phát", "Hưng Long", "Tân Phong", "Phương Đông",
    "Hoàng Long", "Việt Hưng", "Gia Bảo", "Đông Dương", "Toàn Thắng", "Đại Thành",
    "Minh Khang", "Phú Gia", "Tiến Phát", "Thịnh Vượng", "An Thịnh", "Hải Long", "Nhật Minh",
    "Hưng Phát", "Trung Kiên", "Bắc Hà", "Tân Hoàng", "Quốc Bảo", "Trí Đức", "Lộc Phát",
    "Xuân Thành", "Sơn Hà", "Hữu Nghị", "Thành Đạt", "Cát Tường", "Đồng Tiến", "Hà Anh",
    "Tân Thành", "Phúc Lâm", "Kim Sơn",
)  # fmt: skip


@dataclass(frozen=True)
class _Profile:
    """A kind of enterprise: product unit and 2020 magnitudes per enterprise.

    `output` in the product unit a year; `material` in tonnes and `energy` in TOE per unit of
    output; `energy_units` the units such a plant reports energy in.
    """

    word: str
    unit: str
    output: tuple[float, float]
    material: tuple[float, float]
    energy: tuple[float, float]
    energy_units: tuple[str, ...]


KWH_TOE = 0.0001543  # TOE per kWh, the Vietnamese coefficient for electricity
PROFILES: dict[str, tuple[_Profile, ...]] = {
    "DET_MAY": (
        _Profile("May", "sản phẩm", (8e5, 6e6), (2.5e-4, 4e-4), (0.6 * KWH_TOE, 1.2 * KWH_TOE),
                 ("kWh", "MWh")),
        _Profile("May mặc", "sản phẩm", (5e5, 4e6), (2.5e-4, 4e-4), (0.6 * KWH_TOE, 1.2 * KWH_TOE),
                 ("kWh", "MWh")),
        _Profile("Dệt", "m", (2e6, 1.5e7), (1.5e-4, 2.5e-4), (1.5 * KWH_TOE, 3 * KWH_TOE),
                 ("MWh", "TOE")),
        _Profile("Sợi", "tấn", (2e3, 1.5e4), (1.08, 1.15), (3000 * KWH_TOE, 4000 * KWH_TOE),
                 ("MWh", "kWh")),
    ),
    "THEP": (
        _Profile("Thép", "tấn", (5e4, 6e5), (1.08, 1.15), (0.12, 0.25), ("TOE", "GJ")),
        _Profile("Luyện cán thép", "tấn", (8e4, 4e5), (1.08, 1.15), (0.15, 0.3), ("TOE", "GJ")),
        _Profile("Kết cấu thép", "tấn", (5e3, 4e4), (1.03, 1.07), (0.03, 0.06), ("MWh", "TOE")),
    ),
    "NHUA": (
        _Profile("Nhựa", "tấn", (1.5e3, 2.5e4), (1.02, 1.06), (650 * KWH_TOE, 1100 * KWH_TOE),
                 ("MWh", "kWh")),
        _Profile("Bao bì nhựa", "tấn", (1e3, 1.2e4), (1.03, 1.08), (700 * KWH_TOE, 1200 * KWH_TOE),
                 ("MWh", "kWh")),
        _Profile("Ống nhựa", "m", (5e5, 4e6), (8e-4, 1.6e-3), (0.7 * KWH_TOE, 1.4 * KWH_TOE),
                 ("MWh", "kWh")),
    ),
    "HOA_CHAT": (
        _Profile("Hóa chất", "tấn", (3e3, 6e4), (1.1, 1.6), (0.05, 0.2), ("TOE", "GJ")),
        _Profile("Phân bón", "tấn", (1e4, 8e4), (1.05, 1.25), (0.03, 0.08), ("TOE", "GJ")),
        _Profile("Sơn", "tấn", (2e3, 2e4), (1.02, 1.1), (0.02, 0.05), ("MWh", "TOE")),
    ),
    "XI_MANG": (
        _Profile("Xi măng", "tấn", (4e5, 2.4e6), (1.45, 1.6), (0.075, 0.1), ("TOE", "GJ")),
    ),
    "BIA_RUOU_NGK": (
        _Profile("Bia", "hl", (5e4, 1.5e6), (0.012, 0.016), (0.0025, 0.004), ("GJ", "TOE")),
        _Profile("Nước giải khát", "lít", (2e6, 4e7), (1.2e-4, 2e-4), (3e-5, 5e-5),
                 ("MWh", "GJ")),
        _Profile("Rượu", "lít", (2e5, 3e6), (2.5e-3, 3.5e-3), (1.5e-4, 2.5e-4), ("GJ", "TOE")),
    ),
    "KHAC": (
        _Profile("Điện tử", "sản phẩm", (5e6, 5e7), (1e-5, 5e-5), (0.02 * KWH_TOE, 0.06 * KWH_TOE),
                 ("MWh", "kWh")),
        _Profile("Thức ăn chăn nuôi", "tấn", (2e4, 2e5), (1.02, 1.08), (0.01, 0.03),
                 ("TOE", "MWh")),
        _Profile("Gạch ốp lát", "m2", (1e6, 8e6), (0.018, 0.024), (0.0012, 0.002), ("TOE", "GJ")),
        _Profile("Giày da", "đôi", (1e6, 8e6), (4e-4, 7e-4), (1.0 * KWH_TOE, 2.0 * KWH_TOE),
                 ("kWh", "MWh")),
        _Profile("Chế biến nông sản", "tấn", (5e3, 5e4), (1.2, 1.6), (0.02, 0.05),
                 ("TOE", "MWh")),
        _Profile("Cơ khí", "tấn", (2e3, 2e4), (1.05, 1.12), (0.05, 0.1), ("MWh", "TOE")),
    ),
}  # fmt: skip

SECTOR_COUNTS: dict[str, int] = {
    "DET_MAY": 14,
    "THEP": 5,
    "NHUA": 8,
    "HOA_CHAT": 6,
    "XI_MANG": 6,
    "BIA_RUOU_NGK": 7,
    "KHAC": 14,
}

BOOLEAN_STYLES: tuple[tuple[str, str], ...] = (("có", "không"), ("Có", "Không"), ("1", "0"))


# --- Small helpers ---------------------------------------------------------------------------


def _bare(name: str) -> str:
    """A commune name without its prefix: "Xã Cẩm Vũ" → "Cẩm Vũ"."""
    for prefix in ("Thị trấn ", "Phường ", "Xã "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _decimal_text(value: float, decimals: int, comma: bool) -> str:
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if comma else text


def _cumulative_years(rng: random.Random, count: int, shares: Sequence[float]) -> list[int]:
    """First years (PLAN_START, PLAN_START+1, …) for `count` items, following cumulative shares."""
    years: list[int] = []
    for index in range(count):
        position = (index + rng.random()) / count
        years.append(
            next(
                (PLAN_START + i for i, share in enumerate(shares) if position <= share),
                LAST_YEAR,
            )
        )
    rng.shuffle(years)
    return years


class _Builder:
    """Builds one demo data set from a seed and the administrative units."""

    def __init__(self, seed: int, units: Sequence[AdminUnit]) -> None:
        self.rng = random.Random(seed)
        ordered = sorted(units, key=lambda u: u.code)
        provinces = [u for u in ordered if u.type == UnitType.TINH]
        self.province = provinces[0].code if provinces else ""
        self.districts = [u for u in ordered if u.type == UnitType.HUYEN]
        if not self.districts:
            raise ValueError("Chưa có đơn vị cấp huyện để gắn dữ liệu minh họa.")
        self.district_codes = [d.code for d in self.districts]
        self.communes: dict[str, list[AdminUnit]] = {d.code: [] for d in self.districts}
        for unit in ordered:
            if unit.type == UnitType.XA and unit.parent in self.communes:
                self.communes[unit.parent].append(unit)
        self.units: list[_Unit] = []
        self.values: list[tuple[str, ...]] = []
        self.models: list[tuple[str, ...]] = []

    # -- places --

    def district(self, code: str) -> str:
        return code if code in self.communes else self.rng.choice(self.district_codes)

    def commune(self, district: str, *, name: str = "", rural: bool = False) -> AdminUnit | None:
        """A commune of the district: the named one if it exists, else a random one."""
        candidates = self.communes.get(district, [])
        for unit in candidates:
            if name and unit.name == name:
                return unit
        if rural:
            candidates = [c for c in candidates if not c.name.startswith("Phường ")] or candidates
        return self.rng.choice(candidates) if candidates else None

    def add(self, unit: _Unit) -> _Unit:
        self.units.append(unit)
        return unit

    def of_type(self, unit_type: str) -> list[_Unit]:
        return [u for u in self.units if u.type == unit_type]

    def value(self, element: str, unit: _Unit, year: int, value: str, measure: str = "") -> None:
        self.values.append((element, unit.code, str(year), value, measure, DEMO_COMMENT))

    # -- units --

    def build_units(self) -> None:
        rng = self.rng
        # The departments are real units loaded by `init` (benvung/tasks/data), not demo ones.
        for number, (name, district, opens) in enumerate(INDUSTRIAL_ZONES, start=1):
            self.add(
                _Unit(
                    f"DEMO-KCN-{number:02d}",
                    name,
                    UnitType.KCN,
                    self.district(district),
                    valid_from=opens or DEFAULT_FROM,
                )
            )
        # Industrial clusters take the name of the (rural) commune they lie in.
        rural = [
            c
            for d in self.district_codes
            for c in self.communes[d]
            if not c.name.startswith("Phường ")
        ]
        for number, commune in enumerate(rng.sample(rural, min(25, len(rural))), start=1):
            self.add(
                _Unit(
                    f"DEMO-CCN-{number:02d}",
                    f"CCN {_bare(commune.name)}",
                    UnitType.CCN,
                    commune.code,
                )
            )
        clusters = self.of_type(UnitType.CCN)
        rng.choice(clusters).valid_to = dt.date(2022, 12, 31)
        for number, (name, district, hint) in enumerate(CRAFT_VILLAGES, start=1):
            place = self.commune(self.district(district), name=hint, rural=True)
            parent = place.code if place else self.district(district)
            self.add(_Unit(f"DEMO-LN-{number:02d}", name, UnitType.LANG_NGHE, parent))
        for number, (name, district, opens, chain) in enumerate(SUPERMARKETS, start=1):
            place = self.commune(self.district(district))
            self.add(
                _Unit(
                    f"DEMO-ST-{number:02d}",
                    name,
                    UnitType.SIEU_THI,
                    place.code if place else self.district(district),
                    valid_from=opens or DEFAULT_FROM,
                    extra={"chain": chain},
                )
            )
        for number, (name, district, chain) in enumerate(COMMERCIAL_CENTRES, start=1):
            self.add(
                _Unit(
                    f"DEMO-TTTM-{number:02d}",
                    name,
                    UnitType.TTTM,
                    self.district(district),
                    extra={"chain": chain},
                )
            )
        self.build_enterprises()

    def build_enterprises(self) -> None:
        rng = self.rng
        zones = [u for u in self.of_type(UnitType.KCN) if u.valid_from == DEFAULT_FROM]
        clusters = [u for u in self.of_type(UnitType.CCN) if u.valid_to is None]
        stems = rng.sample(ENTERPRISE_STEMS, sum(SECTOR_COUNTS.values()))
        number = 0
        for sector, count in SECTOR_COUNTS.items():
            profiles = PROFILES[sector]
            for index in range(count):
                number += 1
                # Every kind of the sector once, then random kinds.
                profile = profiles[index] if index < len(profiles) else rng.choice(profiles)
                legal = rng.choice(("Công ty TNHH", "Công ty Cổ phần"))
                name = f"{legal} {profile.word} {stems[number - 1]}"
                if sector == "XI_MANG" or (sector == "THEP" and rng.random() < 0.4):
                    place = self.commune(self.district(rng.choice(("292", "290"))), rural=True)
                    parent = place.code if place else self.district("292")
                else:
                    roll = rng.random()
                    if roll < 0.45:
                        parent = rng.choice(zones).code
                    elif roll < 0.75:
                        parent = rng.choice(clusters).code
                    else:
                        place = self.commune(rng.choice(self.district_codes), rural=True)
                        parent = place.code if place else rng.choice(self.district_codes)
                self.add(
                    _Unit(
                        f"DEMO-DN-{number:03d}",
                        name,
                        UnitType.DOANH_NGHIEP,
                        parent,
                        sector=sector,
                        extra={"profile": profile},
                    )
                )
        textile = [u for u in self.of_type(UnitType.DOANH_NGHIEP) if u.sector == "DET_MAY"]
        rng.choice(textile[1:]).valid_to = dt.date(2023, 9, 30)

    # -- values --

    def awareness(self) -> None:
        """NT_HOAT_DONG/NT_NGUOI: coverage since 2021 grows to roughly 55–75 % in 2025."""
        rng = self.rng
        hosts = [
            u for u in self.units if u.type in (UnitType.KCN, UnitType.CCN, UnitType.LANG_NGHE)
        ]
        active_2025 = [u for u in hosts if u.active(LAST_YEAR)]
        covered = round(len(active_2025) * rng.uniform(0.58, 0.72))
        order = list(active_2025)
        rng.shuffle(order)
        firsts = _cumulative_years(rng, covered, (0.3, 0.5, 0.68, 0.85, 1.0))
        first_year: dict[str, int] = {}
        for unit, year in zip(order[:covered], firsts, strict=True):
            first_year[unit.code] = max(year, unit.valid_from.year)
        for unit in hosts:
            if unit.code not in first_year and not unit.active(LAST_YEAR) and rng.random() < 0.5:
                first_year[unit.code] = PLAN_START
        for unit in hosts:
            first = first_year.get(unit.code)
            for year in YEARS:
                if not unit.active(year):
                    continue
                if year == FIRST_YEAR:
                    activities = rng.randint(1, 2) if rng.random() < 0.15 else 0
                    if activities == 0 and rng.random() < 0.5:
                        continue  # many units did not report for the base year
                elif first is not None and year >= first:
                    activities = rng.randint(1, 4) if year == first or rng.random() < 0.75 else 0
                elif rng.random() < 0.6:
                    activities = 0
                else:
                    continue  # no report
                people = sum(rng.randint(25, 180) for _ in range(activities))
                self.value("NT_HOAT_DONG", unit, year, str(activities))
                self.value("NT_NGUOI", unit, year, str(people))

    def communication(self) -> None:
        """TT_SU_KIEN/TT_NGUOI: districts (CT03 ≈ 75–90 % in 2025) and some communes."""
        rng = self.rng
        districts = [_Unit(d.code, d.name, UnitType.HUYEN, d.parent) for d in self.districts]
        covered = min(len(districts), rng.choice((9, 10, 10)))
        order = list(districts)
        rng.shuffle(order)
        firsts = _cumulative_years(rng, covered, (0.3, 0.55, 0.75, 0.9, 1.0))
        first_year = {u.code: y for u, y in zip(order[:covered], firsts, strict=True)}
        for unit in districts:
            first = first_year.get(unit.code)
            for year in YEARS:
                if year == FIRST_YEAR:
                    events = rng.randint(0, 2)
                elif first is not None and year >= first:
                    events = rng.randint(1, 3) + (year - first)
                else:
                    events = 0
                people = sum(rng.randint(80, 600) for _ in range(events))
                self.value("TT_SU_KIEN", unit, year, str(events))
                self.value("TT_NGUOI", unit, year, str(people))
        communes: list[AdminUnit] = []
        for code in sorted(first_year):
            pool = self.communes.get(code, [])
            communes.extend(rng.sample(pool, min(2, len(pool))))
        for commune in communes:
            unit = _Unit(commune.code, commune.name, UnitType.XA, commune.parent)
            start = max(first_year[commune.parent], rng.randint(2022, 2024))
            for year in range(start, LAST_YEAR + 1):
                events = rng.randint(1, 4)
                self.value("TT_SU_KIEN", unit, year, str(events))
                self.value(
                    "TT_NGUOI", unit, year, str(sum(rng.randint(40, 250) for _ in range(events)))
                )

    def distribution(self) -> None:
        """BB_THAN_THIEN/BB_NHAN_SINH_THAI: CT04 ≈ 20 % in 2021, 70–85 % in 2025."""
        rng = self.rng
        shops = [u for u in self.units if u.type in (UnitType.SIEU_THI, UnitType.TTTM)]
        founding = [u for u in shops if u.valid_from == DEFAULT_FROM]
        late = [u for u in shops if u.valid_from != DEFAULT_FROM]
        target_2025 = rng.choice((12, 13))
        # How many of the founding shops switch each year: 1 already in 2020, 3 by 2021 …
        new_by_year = [1, 2, 2, 3, 2]
        new_by_year.append(max(0, target_2025 - len(late) - sum(new_by_year)))
        # Chains switch first.
        order = sorted(founding, key=lambda u: (not u.extra["chain"], rng.random()))
        adoption: dict[str, int] = {}
        position = 0
        for year, count in zip(YEARS, new_by_year, strict=True):
            for unit in order[position : position + count]:
                adoption[unit.code] = year
            position += count
        for unit in late:
            adoption[unit.code] = unit.valid_from.year
        # Two shops miss a report some year between 2022 and 2024.
        missing = {(u.code, rng.randint(2022, 2024)) for u in rng.sample(founding, 2)}
        for unit in shops:
            yes, no = rng.choice(BOOLEAN_STYLES)
            products = rng.randint(30, 120) if unit.extra["chain"] else rng.randint(0, 20)
            growth = rng.uniform(0.15, 0.35)
            for year in YEARS:
                if not unit.active(year):
                    continue
                if year > max(FIRST_YEAR, unit.valid_from.year):
                    products = round(products * (1 + growth) + rng.randint(0, 6))
                if (unit.code, year) in missing:
                    continue
                adopted = unit.code in adoption and adoption[unit.code] <= year
                self.value("BB_THAN_THIEN", unit, year, yes if adopted else no)
                self.value(
                    "BB_NHAN_SINH_THAI", unit, year, str(products if adopted else products // 3)
                )

    def production(self) -> None:
        """SX_SAN_LUONG/TH_NGUYEN_LIEU/TH_NANG_LUONG with intensities falling in most sectors."""
        rng = self.rng
        sectors = list(SECTOR_COUNTS)
        lagging = rng.choice(sectors)
        trends = {
            s: (rng.uniform(-0.002, 0.006), rng.uniform(-0.003, 0.006))
            if s == lagging
            else (rng.uniform(-0.02, -0.005), rng.uniform(-0.02, -0.005))
            for s in sectors
        }
        enterprises = self.of_type(UnitType.DOANH_NGHIEP)
        closing = [u.code for u in enterprises if u.valid_to is not None]
        # A few enterprises miss a year (at most one per sector), one has a year without output.
        eligible = [u for u in enterprises if u.code not in closing]
        by_sector = {s: [u for u in eligible if u.sector == s] for s in sectors}
        gap_sectors = rng.sample(sectors, 4)
        gaps = {rng.choice(by_sector[s]).code: rng.randint(2021, 2024) for s in gap_sectors}
        idle_sector = rng.choice([s for s in sectors if s not in gap_sectors])
        idle = (rng.choice(by_sector[idle_sector]).code, rng.randint(2021, 2024))
        switched = next(
            (u.code for u in enterprises if u.extra["profile"].energy_units[0] == "kWh"), ""
        )
        for unit in enterprises:
            profile: _Profile = unit.extra["profile"]
            comma = rng.random() < 0.3
            output = rng.uniform(*profile.output)
            material = rng.uniform(*profile.material)
            energy = rng.uniform(*profile.energy)
            material_unit = "kg" if output * material < 5000 and rng.random() < 0.6 else "tấn"
            if output * material < 5000 and material_unit == "tấn" and rng.random() < 0.5:
                material_unit = "tạ"
            energy_unit = rng.choice(profile.energy_units)
            trend_material, trend_energy = trends[unit.sector]
            trend_material += rng.gauss(0, 0.003)
            trend_energy += rng.gauss(0, 0.003)
            for year in YEARS:
                if year > FIRST_YEAR:
                    output *= 1 + rng.uniform(-0.04, 0.09)
                    material *= 1 + trend_material + rng.gauss(0, 0.004)
                    energy *= 1 + trend_energy + rng.gauss(0, 0.004)
                if not unit.active(year) or gaps.get(unit.code) == year:
                    continue
                produced = output * (0.7 if unit.valid_to and unit.valid_to.year == year else 1)
                used_material = produced * material
                used_energy = produced * energy
                if idle == (unit.code, year):
                    produced, used_material = 0.0, 0.0
                    used_energy = output * energy * 0.03  # lighting and maintenance only
                measure = energy_unit
                if unit.code == switched:
                    measure = "MWh" if year >= 2023 else "kWh"
                self.value(
                    "SX_SAN_LUONG", unit, year, *self.quantity(produced, profile.unit, comma)
                )
                self.value(
                    "TH_NGUYEN_LIEU", unit, year, *self.mass(used_material, material_unit, comma)
                )
                self.value("TH_NANG_LUONG", unit, year, *self.energy(used_energy, measure, comma))

    @staticmethod
    def quantity(value: float, unit: str, comma: bool) -> tuple[str, str]:
        if unit in ("sản phẩm", "đôi", "m", "lít", "m2"):
            return str(round(value)), unit
        return _decimal_text(value, 1, comma), unit

    @staticmethod
    def mass(tonnes: float, unit: str, comma: bool) -> tuple[str, str]:
        if unit == "kg":
            return str(round(tonnes * 1000)), unit
        if unit == "tạ":
            return _decimal_text(tonnes * 10, 1, comma), unit
        return _decimal_text(tonnes, 2, comma), unit

    @staticmethod
    def energy(toe: float, unit: str, comma: bool) -> tuple[str, str]:
        if unit == "kWh":
            return str(round(toe / KWH_TOE)), unit
        if unit == "MWh":
            return _decimal_text(toe / KWH_TOE / 1000, 2, comma), unit
        if unit == "GJ":
            return _decimal_text(toe * 41.868, 1, comma), unit
        return _decimal_text(toe, 2, comma), unit

    # -- models and assessments --

    def scp_models(self) -> None:
        rng = self.rng
        hosts = [
            u
            for u in self.units
            if u.type in (UnitType.KCN, UnitType.CCN, UnitType.LANG_NGHE, UnitType.DOANH_NGHIEP)
        ]
        plans = [("AP_DUNG", y) for y in (2021, 2022, 2022, 2023, 2023, 2024, 2025, 2025)]
        plans += [
            ("NHAN_RONG", y) for y in (2022, 2022, 2023, 2023, 2023, 2024, 2024, 2024, 2025, 2025)
        ]
        used: set[str] = set()
        counters = {"AP_DUNG": 0, "NHAN_RONG": 0}
        for kind, year in plans:
            pool = [u for u in hosts if u.active(year) and u.code not in used]
            weights = [4 if u.type == UnitType.DOANH_NGHIEP else 2 for u in pool]
            unit = rng.choices(pool, weights=weights)[0]
            used.add(unit.code)
            counters[kind] += 1
            name, description = self.model_text(unit, kind, year)
            prefix = "AD" if kind == "AP_DUNG" else "NR"
            self.models.append(
                (
                    f"DEMO-MH-{prefix}-{counters[kind]:02d}",
                    name + DEMO_SUFFIX,
                    kind,
                    unit.code,
                    str(year),
                    description,
                )
            )

    def model_text(self, unit: _Unit, kind: str, year: int) -> tuple[str, str]:
        rng = self.rng
        if unit.type == UnitType.DOANH_NGHIEP:
            options = ["Mô hình sản xuất sạch hơn tại", "Mô hình tiết kiệm năng lượng tại"]
            options += {
                "DET_MAY": ["Mô hình tái chế phế liệu dệt may tại"],
                "XI_MANG": ["Mô hình tận dụng nhiệt khí thải lò nung clinker tại"],
                "THEP": ["Mô hình thu hồi nhiệt lò cán thép tại"],
                "BIA_RUOU_NGK": ["Mô hình tuần hoàn nước và thu hồi CO₂ tại"],
                "NHUA": ["Mô hình tái chế phế liệu nhựa tại"],
                "HOA_CHAT": ["Mô hình quản lý hóa chất an toàn, giảm phát thải tại"],
            }.get(unit.sector, ["Mô hình sử dụng hiệu quả tài nguyên tại"])
        elif unit.type == UnitType.KCN:
            options = ["Mô hình cộng sinh công nghiệp tại", "Mô hình khu công nghiệp sinh thái tại"]
        elif unit.type == UnitType.CCN:
            options = [
                "Mô hình thu gom, xử lý chất thải rắn tập trung tại",
                "Mô hình sản xuất sạch hơn tại",
            ]
        else:
            options = [
                "Mô hình sản xuất sạch hơn tại",
                "Mô hình xử lý nước thải tại",
                "Mô hình tiết kiệm năng lượng tại",
            ]
            if "gốm" in unit.name:
                options.append("Mô hình lò nung gốm sử dụng khí gas tại")
        title = f"{rng.choice(options)} {unit.name}"
        if kind == "NHAN_RONG":
            title = "Nhân rộng " + title[0].lower() + title[1:]
            description = (
                f"Phổ biến, nhân rộng kết quả mô hình năm {year}: hội thảo, tham quan thực tế, "
                "hướng dẫn kỹ thuật cho các cơ sở sản xuất trên địa bàn."
            )
        else:
            saving = rng.randint(5, 18)
            description = (
                f"Xây dựng, áp dụng năm {year} với hỗ trợ kinh phí khuyến công; tiết kiệm khoảng "
                f"{saving}% nguyên, nhiên liệu so với trước khi áp dụng."
            )
        return title, description

    def assessments(self) -> list[tuple[str, int, str, str]]:
        rng = self.rng
        rows: list[tuple[str, int, str, str]] = []
        ct05 = {
            2021: (
                "cham_tien_do",
                "(minh họa) Sở Giáo dục và Đào tạo rà soát chương trình; "
                "chưa trường nào lồng ghép nội dung SXTDBV.",
            ),
            2022: (
                "cham_tien_do",
                "(minh họa) 2 trường trung cấp nghề thí điểm chuyên đề "
                "sản xuất sạch hơn trong học phần an toàn lao động.",
            ),
            2023: (
                "can_day_nhanh",
                "(minh họa) 5 cơ sở giáo dục nghề nghiệp lồng ghép nội dung "
                "SXTDBV; tập huấn cho {n} giáo viên.",
            ),
            2024: (
                "can_day_nhanh",
                "(minh họa) Trường Cao đẳng Hải Dương đưa học phần "
                "tiêu dùng bền vững vào chương trình; tập huấn cho {n} giáo viên.",
            ),
            2025: (
                "dung_tien_do",
                "(minh họa) Các trường trung học phổ thông tổ chức hoạt động "
                "ngoại khóa về lối sống xanh; {n} giáo viên được tập huấn.",
            ),
        }
        ct06 = {
            2021: (
                "can_day_nhanh",
                "(minh họa) Ban hành kế hoạch thực hiện năm 2021; phổ biến "
                "Luật Bảo vệ môi trường 2020 cho {n} doanh nghiệp.",
            ),
            2022: (
                "can_day_nhanh",
                "(minh họa) Hướng dẫn thực hiện trách nhiệm mở rộng của nhà "
                "sản xuất (EPR); kiểm tra {n} doanh nghiệp.",
            ),
            2023: (
                "dung_tien_do",
                "(minh họa) Lồng ghép tiêu chí SXTDBV vào chương trình "
                "khuyến công; kiểm tra {n} doanh nghiệp sử dụng năng lượng trọng điểm.",
            ),
            2024: (
                "dung_tien_do",
                "(minh họa) Tổng kết 3 năm thực hiện; {n} doanh nghiệp báo "
                "cáo kiểm toán năng lượng đúng hạn.",
            ),
            2025: (
                "dung_tien_do",
                "(minh họa) Sơ kết giai đoạn 2021–2025; đề xuất sửa đổi kế "
                "hoạch giai đoạn 2026–2030, {n} ý kiến góp ý của sở, ngành.",
            ),
        }
        for code, table in (("CT05", ct05), ("CT06", ct06)):
            for year, (status, evidence) in table.items():
                rows.append((code, year, status, evidence.format(n=rng.randint(12, 60))))
        return rows

    def build(self) -> DemoRows:
        self.build_units()
        self.awareness()
        self.communication()
        self.distribution()
        self.production()
        self.scp_models()
        return DemoRows(
            orgunits=tuple(u.row() for u in self.units),
            datavalues=tuple(self.values),
            models=tuple(self.models),
            assessments=tuple(self.assessments()),
        )


# --- Reports (submissions) of the demo values ---------------------------------------------------

DEMO_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
RETURN_COMMENTS: tuple[str, ...] = (
    "Số người tham gia chưa khớp với danh sách kèm theo; đề nghị kiểm tra lại.",
    "Đề nghị ghi rõ đơn vị tính của số liệu tiêu thụ năng lượng.",
    "Sản lượng tăng bất thường so với năm trước; đề nghị giải trình hoặc sửa lại.",
    "Số sản phẩm nhãn sinh thái chưa có danh mục kèm theo; đề nghị bổ sung.",
    "Số sự kiện truyền thông chưa khớp với báo cáo tháng; đề nghị rà soát.",
)


@dataclass(frozen=True)
class DemoSubmission:
    """A report of the demo: its key, its state and when it was sent and decided."""

    data_set: str
    unit: str
    period: str
    status: str  # reporting.models.SubmissionStatus value
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    comment: str = ""


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    """A moment of office hours on the day, in Vietnam's time."""
    return dt.datetime.combine(
        day, dt.time(rng.randint(7, 16), rng.randint(0, 59)), tzinfo=DEMO_TIMEZONE
    )


def demo_submissions(
    seed: int, keys: Iterable[tuple[str, str, str]], *, deadline: tuple[int, int] = (20, 12)
) -> list[DemoSubmission]:
    """The reports of the given (data set, unit, period) keys: approved up to the year before
    LAST_YEAR, a mix in LAST_YEAR; sent before the deadline (day, month of the period's year)
    for most, a few late; decided a few days after. Pure: same seed and keys, same reports."""
    rng = random.Random(seed * 7919 + 11)
    day, month = deadline
    reports = []
    for data_set, unit, period in sorted(set(keys)):
        year = int(period[:4])
        due = dt.date(year, month, day)
        if year < LAST_YEAR and rng.random() < 0.08:
            sent_on = due + dt.timedelta(days=rng.randint(1, 40))
        else:
            sent_on = due - dt.timedelta(days=rng.randint(0, 35))
        submitted = _at(sent_on, rng)
        decided = _at(sent_on + dt.timedelta(days=rng.randint(1, 12)), rng)
        status, comment = "approved", ""
        if year >= LAST_YEAR:
            roll = rng.random()
            if roll < 0.15:
                status = "draft"
            elif roll < 0.23:
                status, comment = "returned", rng.choice(RETURN_COMMENTS)
            elif roll < 0.5:
                status = "approved"
            else:
                status = "submitted"
        reports.append(
            DemoSubmission(
                data_set=data_set,
                unit=unit,
                period=period,
                status=status,
                submitted_at=None if status == "draft" else submitted,
                decided_at=decided if status in ("approved", "returned") else None,
                comment=comment,
            )
        )
    return reports


def demo_rows(seed: int, units: Sequence[AdminUnit]) -> DemoRows:
    """The demo data set for a seed, as interchange rows (pure: same input, same rows)."""
    return _Builder(seed, units).build()


def admin_units() -> list[AdminUnit]:
    """The non-demo province, districts and communes in the system, with their first parent."""
    parents: dict[str, str] = {}
    links = ParentLink.objects.filter(unit__is_demo=False).order_by("unit__code", "valid_from")
    for unit_code, parent_code in links.values_list("unit__code", "parent__code"):
        parents.setdefault(unit_code, parent_code)
    rows = OrgUnit.objects.filter(
        is_demo=False, type__in=[UnitType.TINH, UnitType.HUYEN, UnitType.XA]
    ).values_list("code", "name", "type")
    return [AdminUnit(code, name, kind, parents.get(code, "")) for code, name, kind in rows]


def csv_file(columns: Sequence[str], rows: Iterable[Sequence[str]]) -> io.BytesIO:
    """An in-memory UTF-8 CSV file in interchange format."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return io.BytesIO(text.getvalue().encode("utf-8"))


def _check(result: Any, what: str) -> None:
    if not result.ok:
        problems = "\n".join(str(p) for p in result.problems)
        raise RuntimeError(f"Nạp dữ liệu minh họa ({what}) thất bại:\n{problems}")


def generate_demo(*, seed: int) -> list[str]:
    """Generate and load the demo data set; returns Vietnamese summary lines.

    Runs inside the caller's transaction (`system_init`); the plan and the administrative units
    must already be loaded. Also creates the demo accounts `demo`/`demo` (staff) and
    `admin`/`admin` (superuser) — for demo installs only.
    """
    from benvung.datavalues.services import datavalues_import
    from benvung.orgunits.services import orgunits_import
    from benvung.plans.models import Indicator, QualitativeAssessment
    from benvung.scpmodels.models import ScpModel
    from benvung.scpmodels.services import scpmodels_import

    rows = demo_rows(seed, admin_units())
    result = orgunits_import(
        file=csv_file(ORGUNIT_COLUMNS, rows.orgunits), filename="demo-orgunits.csv"
    )
    _check(result, "đơn vị")
    unit_codes = [row[0] for row in rows.orgunits]
    OrgUnit.objects.filter(code__in=unit_codes).update(is_demo=True)
    result = datavalues_import(
        file=csv_file(DATAVALUE_COLUMNS, rows.datavalues),
        filename="demo-data.csv",
        source=DEMO_SOURCE,
    )
    _check(result, "số liệu")
    result = scpmodels_import(file=csv_file(MODEL_COLUMNS, rows.models), filename="demo-models.csv")
    _check(result, "mô hình")
    ScpModel.objects.filter(code__in=[row[0] for row in rows.models]).update(is_demo=True)

    indicators = {i.code: i for i in Indicator.objects.filter(plan__code=PLAN_CODE)}
    assessed = 0
    for code, year, status, evidence in rows.assessments:
        if code in indicators:
            QualitativeAssessment.objects.update_or_create(
                indicator=indicators[code],
                year=year,
                defaults={"status": status, "evidence": evidence},
            )
            assessed += 1

    accounts = _create_accounts()
    # Past the 2025 reform: demo units moved onto the new communes, values to 2026; their
    # reports follow the workflow like the others.
    from dataclasses import replace

    from benvung.orgunits.demo_reform import reform_demo

    reform_lines, reform_values = reform_demo(seed=seed)
    reports = _create_submissions(
        seed, replace(rows, datavalues=rows.datavalues + tuple(reform_values))
    )
    states = Counter(r.status for r in reports if r.period.startswith(str(LAST_YEAR)))

    units, values, models = (
        format_number(len(r)) for r in (rows.orgunits, rows.datavalues, rows.models)
    )
    return [
        f"Dữ liệu minh họa (hạt giống {seed}): {units} đơn vị, {values} số liệu, {models} mô hình.",
        f"Đánh giá định tính minh họa: {assessed} (CT05, CT06, {PLAN_START}–{LAST_YEAR}).",
        f"Báo cáo minh họa: {format_number(len(reports))} (đến {LAST_YEAR - 1} đã duyệt; "
        f"{LAST_YEAR}: {states['submitted']} chờ duyệt, {states['approved']} đã duyệt, "
        f"{states['returned']} trả lại, {states['draft']} đang nhập).",
        f"Tài khoản minh họa (chỉ dùng cho bản cài đặt minh họa): {', '.join(accounts)}.",
        *reform_lines,
    ]


def _create_accounts() -> list[str]:
    """The demo accounts with their roles (an existing user is left as it is, and gets the
    role if it lacks it)."""
    from benvung.accounts.models import RoleAssignment

    user_model = get_user_model()
    units = OrgUnit.objects.in_bulk([a.unit for a in DEMO_ACCOUNTS if a.unit], field_name="code")
    staff_rights = list(Permission.objects.filter(content_type__app_label__in=DEMO_STAFF_APPS))
    accounts = []
    for account in DEMO_ACCOUNTS:
        user = user_model.objects.filter(username=account.username).first()
        if user is None:
            if account.superuser:
                user = user_model.objects.create_superuser(
                    username=account.username, password=account.password
                )
            else:
                user = user_model.objects.create_user(
                    username=account.username, password=account.password, is_staff=account.staff
                )
                if account.staff:
                    # The co-ordinator's everyday rights over the plan's data in the admin.
                    user.user_permissions.set(staff_rights)
        unit = units.get(account.unit) if account.unit else None
        if account.unit and unit is None:
            continue  # the unit is not in this installation: no role rather than a wrong one
        RoleAssignment.objects.get_or_create(user=user, role=account.role, org_unit=unit)
        accounts.append(f"{account.username}/{account.password}")
    return accounts


def _create_submissions(seed: int, rows: DemoRows) -> list[DemoSubmission]:
    """One report per data set, unit and period with demo values, with its workflow events
    (by the demo co-ordinator), in a few bulk inserts."""
    from benvung.reporting.models import (
        DataSet,
        EventAction,
        Submission,
        SubmissionEvent,
    )

    data_sets = {ds.code: ds for ds in DataSet.objects.prefetch_related("elements")}
    data_set_of = {e.code: ds.code for ds in data_sets.values() for e in ds.elements.all()}
    keys = {
        (data_set_of[element], unit, period)
        for element, unit, period, *_ in rows.datavalues
        if element in data_set_of
    }
    reports = demo_submissions(seed, keys)
    units = OrgUnit.objects.in_bulk({r.unit for r in reports}, field_name="code")
    user = get_user_model().objects.filter(username="demo").first()
    submissions = Submission.objects.bulk_create(
        (
            Submission(
                data_set=data_sets[r.data_set],
                org_unit=units[r.unit],
                period=r.period,
                year=int(r.period[:4]),
                status=r.status,
                submitted_at=r.submitted_at,
                submitted_by=user if r.submitted_at else None,
                decided_at=r.decided_at,
                decided_by=user if r.decided_at else None,
                comment=r.comment,
            )
            for r in reports
        ),
        batch_size=500,
    )
    events = []
    for submission, report in zip(submissions, reports, strict=True):
        if report.submitted_at is not None:
            events.append(
                SubmissionEvent(
                    submission=submission,
                    action=EventAction.SUBMIT,
                    user=user,
                    at=report.submitted_at,
                )
            )
        if report.decided_at is not None:
            action = EventAction.APPROVE if report.status == "approved" else EventAction.RETURN
            events.append(
                SubmissionEvent(
                    submission=submission,
                    action=action,
                    user=user,
                    at=report.decided_at,
                    comment=report.comment,
                )
            )
    moments = [event.at for event in events]
    created = SubmissionEvent.objects.bulk_create(events, batch_size=500)
    # `at` is filled with the current time on insert (auto_now_add): set the real moments.
    for event, moment in zip(created, moments, strict=True):
        event.at = moment
    SubmissionEvent.objects.bulk_update(created, ["at"], batch_size=500)
    return reports
