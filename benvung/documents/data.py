"""What a document says, as plain data: read from the database by `selectors.py`, turned into
the Word context by `context.py` and into the workbook by `excel.py`, so that the .docx and
the .xlsx of a document always carry the same figures.

No Django import: the sample data that checks an uploaded template is built here too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from benvung.documents import domain

# The funding sources in their fixed order (annualplans.FundingSource), with the names of
# the keys the templates use for them.
SOURCES: tuple[tuple[str, str, str], ...] = (
    ("NSTW", "nstw", "Ngân sách trung ương"),
    ("NST", "nst", "Ngân sách tỉnh"),
    ("NSH", "nsh", "Ngân sách huyện"),
    ("XHH", "xhh", "Xã hội hóa"),
    ("LONG_GHEP", "long_ghep", "Lồng ghép chương trình khác"),
)
SOURCE_CODES = tuple(code for code, _, _ in SOURCES)

KIND_REPORT = "BC"  # báo cáo
KIND_PLAN = "KH"  # kế hoạch


@dataclass(frozen=True)
class Header:
    """The header and foot of a document (from `DocumentSettings`)."""

    parent_body: str
    body: str
    body_abbreviation: str
    place: str
    number: str
    date: dt.date | None
    year: int  # the year shown when the date is left blank
    head_title: str
    on_behalf: bool
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]

    def number_line(self, kind_code: str) -> str:
        return domain.number_line(
            self.number, domain.document_symbol(kind_code, self.body_abbreviation)
        )

    @property
    def date_line(self) -> str:
        return domain.date_line(self.place, self.date, self.year)

    @property
    def body_name(self) -> str:
        """The issuing body as running text reads it ("Sở Công Thương")."""
        return sentence_name(self.body)


def sentence_name(name: str) -> str:
    """An agency's name as running text writes it: "SỞ CÔNG THƯƠNG" → "Sở Công Thương"; a name
    already in mixed case is kept ("UBND tỉnh Hải Dương")."""
    if name != name.upper():
        return name
    words = name.split()
    return " ".join(w if w in {"UBND", "HĐND"} else w.capitalize() for w in words)


@dataclass(frozen=True)
class PlanInfo:
    """The multi-year plan the documents implement."""

    code: str
    name: str
    decision: str
    decision_date: dt.date
    issuing_body: str
    base_year: int

    @property
    def decision_ref(self) -> str:
        day = f"{self.decision_date.day}/{self.decision_date.month}/{self.decision_date.year}"
        return f"Quyết định số {self.decision} ngày {day} của {self.issuing_body}"


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of the plan in the report's year, as the plan page shows it."""

    code: str
    name: str
    unit: str
    formula: str
    is_qualitative: bool
    value: Decimal | None
    value_text: str
    target_text: str
    target_minimum: Decimal | None
    target_year: int | None
    expected: Decimal | None
    expected_text: str
    status: str | None
    status_label: str
    evidence: str = ""


@dataclass(frozen=True)
class ObjectiveResult:
    code: str
    name: str
    lines: tuple[IndicatorLine, ...]


@dataclass(frozen=True)
class StatusTally:
    status: str | None
    label: str
    count: int


@dataclass(frozen=True)
class ActivityLine:
    """An activity of an implementation plan with its budget and (for the year reported on)
    its state as of the report's day."""

    code: str
    title: str
    group_code: str
    group_name: str
    task_code: str
    task_title: str
    responsible: str
    coordinating: tuple[str, ...]
    start_date: dt.date
    end_date: dt.date
    expected_outputs: str
    planned: dict[str, Decimal]
    planned_total: Decimal
    group_order: int = 0
    carried: bool = False
    status: str = ""
    status_label: str = ""
    percent_done: int = 0
    outputs: str = ""
    difficulties: str = ""
    proposals: str = ""
    overdue: bool = False
    spent: dict[str, Decimal] = field(default_factory=dict)
    spent_total: Decimal = Decimal(0)


@dataclass(frozen=True)
class BudgetTotals:
    """Totals by funding source, from the implementation plan's budget summary."""

    planned_by_source: dict[str, Decimal]
    spent_by_source: dict[str, Decimal]
    planned_total: Decimal
    spent_total: Decimal


@dataclass(frozen=True)
class AnnualReportData:
    """Báo cáo kết quả thực hiện năm Y."""

    plan: PlanInfo
    year: int
    as_of: dt.date
    header: Header
    objectives: tuple[ObjectiveResult, ...]
    tallies: tuple[StatusTally, ...]
    activities: tuple[ActivityLine, ...]
    budget: BudgetTotals | None
    implementation_plan_title: str = ""
    approved_only: bool = False
    demo: bool = False

    @property
    def indicator_lines(self) -> list[IndicatorLine]:
        return [line for objective in self.objectives for line in objective.lines]


@dataclass(frozen=True)
class NextYearData:
    """Kế hoạch triển khai and dự toán kinh phí năm Y+1 (from the Y+1 implementation plan)."""

    plan: PlanInfo
    year: int
    header: Header
    plan_header: Header  # the implementation plan's number and date, cited by the estimate
    activities: tuple[ActivityLine, ...]
    budget: BudgetTotals
    implementation_plan_title: str = ""
    report_deadline: dt.date | None = None
    demo: bool = False

    @property
    def plan_year(self) -> int:
        return self.year + 1


def sample_header(year: int) -> Header:
    """Header values of the sample document an uploaded template is tried on."""
    return Header(
        parent_body="UBND TỈNH HẢI DƯƠNG",
        body="SỞ CÔNG THƯƠNG",
        body_abbreviation="SCT",
        place="Hải Dương",
        number="15",
        date=dt.date(year, 12, 15),
        year=year,
        head_title="Giám đốc",
        on_behalf=True,
        signer_title="Phó Giám đốc",
        signer_name="Nguyễn Văn A",
        recipients=("- UBND tỉnh (để b/c);", "- Lưu: VT, QLCN."),
    )


def sample_plan() -> PlanInfo:
    return PlanInfo(
        code="KH-2627",
        name="Kế hoạch hành động thực hiện Chương trình sản xuất và tiêu dùng bền vững",
        decision="2627/QĐ-UBND",
        decision_date=dt.date(2020, 8, 31),
        issuing_body="UBND tỉnh Hải Dương",
        base_year=2020,
    )


def _sample_activity(year: int, number: int, *, group: str) -> ActivityLine:
    planned = {code: Decimal(0) for code in SOURCE_CODES}
    planned["NST"] = Decimal(150_000_000 * number)
    planned["XHH"] = Decimal(20_000_000)
    spent = {code: Decimal(0) for code in SOURCE_CODES}
    spent["NST"] = Decimal(100_000_000)
    return ActivityLine(
        code=f"{year}.{number:02d}",
        title=f"Hoạt động mẫu số {number}",
        group_code=group,
        group_name=f"Nhóm nhiệm vụ {group}",
        task_code=f"{group}.1",
        task_title="Nhiệm vụ mẫu",
        responsible="Sở Công Thương",
        coordinating=("Sở Tài nguyên và Môi trường",),
        start_date=dt.date(year, 3, 1),
        end_date=dt.date(year, 9, 30),
        expected_outputs="Báo cáo",
        planned=planned,
        planned_total=sum(planned.values(), Decimal(0)),
        status="dang_thuc_hien",
        status_label="Đang thực hiện",
        percent_done=60,
        outputs="Đã tổ chức 2 hội nghị",
        difficulties="Kinh phí bố trí chậm",
        proposals="Bố trí kinh phí sớm",
        spent=spent,
        spent_total=sum(spent.values(), Decimal(0)),
    )


def _sample_totals(activities: tuple[ActivityLine, ...]) -> BudgetTotals:
    planned = domain.sum_by_key([a.planned for a in activities], SOURCE_CODES)
    spent = domain.sum_by_key([a.spent for a in activities], SOURCE_CODES)
    return BudgetTotals(
        planned_by_source=planned,
        spent_by_source=spent,
        planned_total=sum(planned.values(), Decimal(0)),
        spent_total=sum(spent.values(), Decimal(0)),
    )


def sample_report(year: int = 2026) -> AnnualReportData:
    """A small report with every part filled, to try an uploaded template on."""
    line = IndicatorLine(
        code="CT01",
        name="Tỷ lệ khu, cụm công nghiệp được phổ biến về SXTDBV",
        unit="%",
        formula="coverage_cumulative",
        is_qualitative=False,
        value=Decimal("72"),
        value_text="72,00 %",
        target_text="≥ 70 % (2025)",
        target_minimum=Decimal(70),
        target_year=2025,
        expected=Decimal(70),
        expected_text="70,00 %",
        status="dat",
        status_label="Đạt",
    )
    activities = (
        _sample_activity(year, 1, group="N1"),
        _sample_activity(year, 2, group="N2"),
    )
    return AnnualReportData(
        plan=sample_plan(),
        year=year,
        as_of=dt.date(year, 12, 15),
        header=sample_header(year),
        objectives=(ObjectiveResult("MT1", "Mục tiêu mẫu", (line,)),),
        tallies=(StatusTally("dat", "Đạt", 1),),
        activities=activities,
        budget=_sample_totals(activities),
        implementation_plan_title=f"Kế hoạch triển khai năm {year}",
    )


def sample_next_year(year: int = 2026) -> NextYearData:
    """A small plan for Y+1 with every part filled, to try an uploaded template on."""
    activities = (
        _sample_activity(year + 1, 1, group="N1"),
        _sample_activity(year + 1, 2, group="N2"),
    )
    return NextYearData(
        plan=sample_plan(),
        year=year,
        header=sample_header(year),
        plan_header=sample_header(year),
        activities=activities,
        budget=_sample_totals(activities),
        implementation_plan_title=f"Kế hoạch triển khai năm {year + 1}",
        report_deadline=dt.date(year + 1, 12, 15),
    )
