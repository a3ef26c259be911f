# (DRF, django-filter and drf-spectacular ship no type information.)
"""Serializers of the API: how plans, units and values look in JSON, the shapes of the
requests and answers the OpenAPI schema describes, and the reading of a write's JSON rows
into the text cells every import checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from benvung.datavalues.models import DataValue
from benvung.orgunits.models import OrgUnit, ParentLink
from benvung.plans.models import Indicator, Milestone, Objective, Plan, Target

MAX_ROWS = 5000


# --- the plan framework --------------------------------------------------------------------


class MilestoneSerializer(serializers.ModelSerializer[Milestone]):
    class Meta:
        model = Milestone
        fields = ["year", "minimum", "maximum", "text"]


class TargetSerializer(serializers.ModelSerializer[Target]):
    milestones = MilestoneSerializer(many=True, read_only=True, help_text="Các mốc theo năm.")

    class Meta:
        model = Target
        fields = ["id", "text", "milestones"]


class TargetListSerializer(TargetSerializer):
    plan = serializers.CharField(source="indicator.plan.code", help_text="Mã kế hoạch.")
    indicator = serializers.CharField(source="indicator.code", help_text="Mã chỉ tiêu.")

    class Meta(TargetSerializer.Meta):
        fields = ["id", "plan", "indicator", "text", "milestones"]


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    plan = serializers.CharField(source="plan.code", help_text="Mã kế hoạch.")
    objective = serializers.CharField(source="objective.code", help_text="Mã mục tiêu.")
    targets = TargetSerializer(many=True, read_only=True, help_text="Chỉ tiêu phấn đấu và mốc.")
    parameters = serializers.JSONField(
        help_text="Tham số công thức: loại đơn vị, mã chỉ số thu thập, ngành, loại mô hình."
    )

    class Meta:
        model = Indicator
        fields = [
            "plan",
            "objective",
            "code",
            "name",
            "unit",
            "direction",
            "formula",
            "parameters",
            "methodology",
            "order",
            "targets",
        ]


class ObjectiveIndicatorSerializer(IndicatorSerializer):
    class Meta(IndicatorSerializer.Meta):
        fields = [f for f in IndicatorSerializer.Meta.fields if f not in ("plan", "objective")]


class ObjectiveSerializer(serializers.ModelSerializer[Objective]):
    indicators = ObjectiveIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Objective
        fields = ["code", "name", "order", "indicators"]


class PlanSerializer(serializers.ModelSerializer[Plan]):
    scope_root = serializers.CharField(
        source="scope_root.code",
        allow_null=True,
        default=None,
        help_text="Mã đơn vị địa bàn của kế hoạch.",
    )

    class Meta:
        model = Plan
        fields = [
            "code",
            "name",
            "short_name",
            "issuing_body",
            "decision",
            "decision_date",
            "implements",
            "lead_agency",
            "base_year",
            "start_year",
            "end_year",
            "goal",
            "scope_root",
        ]


class PlanDetailSerializer(PlanSerializer):
    objectives = ObjectiveSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "objectives"]


# --- progress (the JSON of `benvung progress --json`) ---------------------------------------


class ProgressQuerySerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(
        required=False,
        min_value=1900,
        max_value=2100,
        help_text="Năm đánh giá, trong các năm của kế hoạch (mặc định năm trước).",
    )
    org_unit = serializers.CharField(
        required=False, max_length=50, help_text="Chỉ tính trong phạm vi đơn vị này (mã đơn vị)."
    )
    approved_only = serializers.BooleanField(
        required=False,
        default=True,
        help_text=(
            "Chỉ dùng số liệu của báo cáo đã duyệt (mặc định). Chỉ điều phối viên, lãnh đạo "
            "và quản trị được đặt false; với người khác luôn là true."
        ),
    )


class ProgressTargetSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(help_text="Năm của mốc.")
    min = serializers.FloatField(allow_null=True, help_text="Mức tối thiểu.")
    max = serializers.FloatField(allow_null=True, help_text="Mức tối đa.")


class ProgressIndicatorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="Giá trị, làm tròn 2 chữ số.")
    unit = serializers.CharField(help_text="Đơn vị tính.")
    target = ProgressTargetSerializer(allow_null=True, help_text="Mốc áp dụng cho năm.")
    expected = serializers.FloatField(allow_null=True, help_text="Giá trị kỳ vọng theo lộ trình.")
    status = serializers.CharField(allow_null=True, help_text="Đánh giá tiến độ.")


class ProgressSerializer(serializers.Serializer[Any]):
    plan = serializers.CharField(help_text="Mã kế hoạch.")
    year = serializers.IntegerField(help_text="Năm đánh giá.")
    indicators = ProgressIndicatorSerializer(many=True)


# --- units ----------------------------------------------------------------------------------


class OrgUnitSerializer(serializers.ModelSerializer[OrgUnit]):
    parent = serializers.CharField(
        source="parent_code",
        allow_null=True,
        help_text="Mã đơn vị cấp trên trực tiếp vào ngày đã chọn (null: cấp cao nhất).",
    )
    parent_name = serializers.CharField(allow_null=True, help_text="Tên đơn vị cấp trên.")

    class Meta:
        model = OrgUnit
        fields = [
            "code",
            "name",
            "type",
            "sector",
            "valid_from",
            "valid_to",
            "parent",
            "parent_name",
        ]


class ParentLinkSerializer(serializers.ModelSerializer[ParentLink]):
    parent = serializers.CharField(source="parent.code", help_text="Mã đơn vị cấp trên.")
    parent_name = serializers.CharField(source="parent.name", help_text="Tên đơn vị cấp trên.")

    class Meta:
        model = ParentLink
        fields = ["parent", "parent_name", "valid_from", "valid_to"]


class OrgUnitDetailSerializer(serializers.ModelSerializer[OrgUnit]):
    parent_links = ParentLinkSerializer(
        many=True, read_only=True, help_text="Các quan hệ cấp trên theo thời gian, cũ nhất trước."
    )

    class Meta:
        model = OrgUnit
        fields = ["code", "name", "type", "sector", "valid_from", "valid_to", "parent_links"]


# --- data values ----------------------------------------------------------------------------


class DataValueSerializer(serializers.ModelSerializer[DataValue]):
    data_element = serializers.CharField(source="data_element.code", help_text="Mã chỉ số.")
    org_unit = serializers.CharField(source="org_unit.code", help_text="Mã đơn vị.")
    approved = serializers.BooleanField(help_text="Thuộc báo cáo đã được duyệt (đã công bố).")

    class Meta:
        model = DataValue
        fields = [
            "data_element",
            "org_unit",
            "period",
            "year",
            "value",
            "unit",
            "canonical_value",
            "comment",
            "updated_at",
            "approved",
        ]


@extend_schema_field(
    {
        "oneOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}],
        "description": (
            "Giá trị: số (dấu thập phân '.' hoặc ','), hoặc có/không cho chỉ số Có/Không."
        ),
    }
)
class ValueField(serializers.JSONField):
    pass


class DataValueRowSerializer(serializers.Serializer[Any]):
    """One row of a write; used to describe the request in the schema (rows are checked by
    `views.rows_from_payload` so that every problem names its line)."""

    data_element = serializers.CharField(help_text="Mã chỉ số, ví dụ NT_HOAT_DONG.")
    org_unit = serializers.CharField(help_text="Mã đơn vị báo cáo.")
    period = serializers.CharField(help_text="Kỳ báo cáo, ví dụ 2025.")
    value = ValueField()
    unit = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="Đơn vị tính (bắt buộc với khối lượng, năng lượng).",
    )
    comment = serializers.CharField(required=False, allow_null=True, help_text="Ghi chú.")


class WriteResultSerializer(serializers.Serializer[Any]):
    created = serializers.IntegerField(help_text="Số giá trị mới.")
    updated = serializers.IntegerField(help_text="Số giá trị được cập nhật.")
    unchanged = serializers.IntegerField(help_text="Số giá trị không đổi.")


class ProblemSerializer(serializers.Serializer[Any]):
    line = serializers.IntegerField(
        help_text="Số thứ tự dòng trong danh sách (từ 1; 0: cả yêu cầu)."
    )
    column = serializers.CharField(help_text="Trường có lỗi.")
    message = serializers.CharField(help_text="Mô tả lỗi bằng tiếng Việt.")


class ProblemsSerializer(serializers.Serializer[Any]):
    problems = ProblemSerializer(many=True)


class ErrorSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(help_text="Lý do.")


# --- reading the rows of a write ------------------------------------------------------------

ROW_FIELDS = ("data_element", "org_unit", "period", "value", "unit", "comment")
_REQUIRED = ("data_element", "org_unit", "period", "value")


def _problem(line: int, column: str, message: str) -> dict[str, Any]:
    return {"line": line, "column": column, "message": message}


def _cell(raw: Any, column: str) -> tuple[str | None, str | None]:
    """A JSON cell as the text an import reads, or why it cannot be one."""
    if raw is None:
        return "", None
    if isinstance(raw, bool):
        if column != "value":
            return None, "phải là chuỗi ký tự"
        return ("1" if raw else "0"), None
    if isinstance(raw, int) and column in ("value", "period"):
        return str(raw), None
    if isinstance(raw, float) and column == "value":
        return format(Decimal(repr(raw)), "f"), None
    if not isinstance(raw, str):
        expected = "số, chuỗi ký tự hoặc true/false" if column == "value" else "chuỗi ký tự"
        return None, f"phải là {expected}"
    if "\x00" in raw:
        return None, "chứa ký tự NUL không hợp lệ"
    return raw.strip(), None


# Stands for a body that is not JSON at all.
NOT_JSON = object()


def rows_from_payload(payload: Any) -> tuple[list[tuple[str, ...]], list[dict[str, Any]]]:
    """The rows of a write's JSON body as text cells in `ROW_FIELDS` order, and the problems
    of its shape (line = the row's 1-based position; 0 for the body as a whole)."""
    if payload is NOT_JSON:
        return [], [_problem(0, "-", "nội dung không phải JSON hợp lệ")]
    if not isinstance(payload, list):
        return [], [_problem(0, "-", "nội dung phải là một danh sách JSON các dòng số liệu")]
    if not payload:
        return [], [_problem(0, "-", "danh sách không có dòng nào")]
    if len(payload) > MAX_ROWS:
        return [], [
            _problem(0, "-", f"mỗi lần gửi tối đa 5.000 dòng, yêu cầu có {len(payload)} dòng")
        ]
    rows: list[tuple[str, ...]] = []
    problems: list[dict[str, Any]] = []
    for line, item in enumerate(payload, start=1):
        if not isinstance(item, dict):
            problems.append(_problem(line, "-", "mỗi dòng phải là một đối tượng JSON"))
            continue
        for key in item:
            if key not in ROW_FIELDS:
                problems.append(_problem(line, str(key), f"không có trường '{key}'"))
        cells: list[str] = []
        for column in ROW_FIELDS:
            if column in _REQUIRED and column not in item:
                problems.append(_problem(line, column, f"thiếu trường '{column}'"))
                cells.append("")
                continue
            text, error = _cell(item.get(column), column)
            if error is not None:
                problems.append(_problem(line, column, error))
            elif column in _REQUIRED and not text:
                problems.append(_problem(line, column, f"thiếu giá trị của '{column}'"))
            cells.append(text or "")
        rows.append(tuple(cells))
    return rows, problems
