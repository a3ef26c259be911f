# (DRF, django-filter and drf-spectacular ship no type information.)
"""Endpoints of the REST API (/api/v1/). Each parses the request, calls a selector or a
service, and renders; the OpenAPI description sits beside each one."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, status
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from benvung.accounts.models import DataKind
from benvung.accounts.selectors import access_for
from benvung.accounts.services import record_access_many
from benvung.api import filters, selectors, serializers
from benvung.api.authentication import AUTHENTICATION_CLASSES
from benvung.api.pagination import Pagination
from benvung.api.schema import BoundedListRequestSchema
from benvung.datavalues.models import DataValue
from benvung.indicators.services import plan_progress, progress_json
from benvung.orgunits.models import OrgUnit
from benvung.plans.models import Indicator, Plan, Target
from benvung.reporting.services import values_write_rows

TAG_PLANS = "Kế hoạch và chỉ tiêu"
TAG_UNITS = "Đơn vị"
TAG_VALUES = "Số liệu"
TAG_AUTH = "Xác thực"


def code_parameter(name: str, description: str, example: str) -> OpenApiParameter:
    return OpenApiParameter(
        name,
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        description=description,
        examples=[OpenApiExample(example, value=example)],
    )


def listed(serializer: Any, description: str) -> dict[int, OpenApiResponse]:
    """The answers of a filtered list: a page of `serializer`, or 400 for a bad filter."""
    return {
        200: OpenApiResponse(serializer, description=description),
        400: OpenApiResponse(description="Tham số lọc không hợp lệ."),
    }


def retrieved(serializer: Any, description: str) -> dict[int, OpenApiResponse]:
    """The answers of a single object: `serializer`, or 404 when the code is unknown."""
    return {
        200: OpenApiResponse(serializer, description=description),
        404: OpenApiResponse(serializers.ErrorSerializer, description="Không tìm thấy."),
    }


PLAN_CODE = code_parameter("code", "Mã kế hoạch, ví dụ KH-2627.", "KH-2627")
NOT_FOUND = OpenApiResponse(serializers.ErrorSerializer, description="Không tìm thấy.")


class ApiView(APIView):
    """What every endpoint shares: authentication, permissions, pagination."""

    authentication_classes = AUTHENTICATION_CLASSES
    permission_classes = [IsAuthenticatedOrReadOnly]
    pagination_class = Pagination


# --- plans, indicators, targets ------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        operation_id="plans_list",
        tags=[TAG_PLANS],
        summary="Danh sách kế hoạch",
        description="Các kế hoạch hành động được theo dõi (công khai).",
        responses={
            200: OpenApiResponse(serializers.PlanSerializer, description="Một trang kế hoạch.")
        },
    )
)
class PlanList(ApiView, generics.ListAPIView[Plan]):
    serializer_class = serializers.PlanSerializer

    def get_queryset(self) -> QuerySet[Plan]:
        return selectors.plans_all()


@extend_schema_view(
    get=extend_schema(
        operation_id="plans_retrieve",
        tags=[TAG_PLANS],
        summary="Một kế hoạch",
        description="Kế hoạch với các mục tiêu, chỉ tiêu, chỉ tiêu phấn đấu và mốc (công khai).",
        parameters=[PLAN_CODE],
        responses=retrieved(serializers.PlanDetailSerializer, "Kế hoạch."),
    )
)
class PlanDetail(ApiView, generics.RetrieveAPIView[Plan]):
    serializer_class = serializers.PlanDetailSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[Plan]:
        return selectors.plans_with_framework()


@extend_schema_view(
    get=extend_schema(
        operation_id="indicators_list",
        tags=[TAG_PLANS],
        summary="Danh sách chỉ tiêu",
        description="Các chỉ tiêu của mọi kế hoạch, với chỉ tiêu phấn đấu và mốc (công khai).",
        responses=listed(serializers.IndicatorSerializer, "Một trang chỉ tiêu."),
    )
)
class IndicatorList(ApiView, generics.ListAPIView[Indicator]):
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilterSet

    def get_queryset(self) -> QuerySet[Indicator]:
        return selectors.indicators_all()


@extend_schema_view(
    get=extend_schema(
        operation_id="indicators_retrieve",
        tags=[TAG_PLANS],
        summary="Một chỉ tiêu",
        description="Một chỉ tiêu của kế hoạch, với chỉ tiêu phấn đấu và mốc (công khai).",
        parameters=[
            code_parameter("plan_code", "Mã kế hoạch, ví dụ KH-2627.", "KH-2627"),
            code_parameter("code", "Mã chỉ tiêu, ví dụ CT01.", "CT01"),
        ],
        responses=retrieved(serializers.IndicatorSerializer, "Chỉ tiêu."),
    )
)
class IndicatorDetail(ApiView, generics.RetrieveAPIView[Indicator]):
    serializer_class = serializers.IndicatorSerializer

    def get_object(self) -> Indicator:
        indicator = (
            selectors.indicators_all()
            .filter(plan__code=self.kwargs["plan_code"], code=self.kwargs["code"])
            .first()
        )
        if indicator is None:
            raise NotFound("Không có chỉ tiêu này trong kế hoạch.")
        return indicator


@extend_schema_view(
    get=extend_schema(
        operation_id="targets_list",
        tags=[TAG_PLANS],
        summary="Danh sách chỉ tiêu phấn đấu",
        description="Chỉ tiêu phấn đấu của các chỉ tiêu, với mốc theo năm (công khai).",
        responses=listed(serializers.TargetListSerializer, "Một trang chỉ tiêu phấn đấu."),
    )
)
class TargetList(ApiView, generics.ListAPIView[Target]):
    serializer_class = serializers.TargetListSerializer
    filterset_class = filters.TargetFilterSet

    def get_queryset(self) -> QuerySet[Target]:
        return selectors.targets_all()


class PlanProgress(ApiView):
    @extend_schema(
        operation_id="plans_progress_retrieve",
        tags=[TAG_PLANS],
        summary="Tiến độ thực hiện kế hoạch",
        description=(
            "Giá trị, mốc, giá trị kỳ vọng và đánh giá tiến độ của mọi chỉ tiêu trong một năm: "
            "đúng JSON của lệnh `benvung progress --json`. Người dùng chưa đăng nhập (và người "
            "không được đọc số liệu chưa duyệt của mọi đơn vị) luôn nhận số liệu đã duyệt."
        ),
        parameters=[PLAN_CODE, serializers.ProgressQuerySerializer],
        responses={
            200: OpenApiResponse(
                serializers.ProgressSerializer, description="Tiến độ các chỉ tiêu trong năm."
            ),
            400: OpenApiResponse(description="Tham số không hợp lệ."),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, code: str) -> Response:
        plan = Plan.objects.filter(code=code).first()
        if plan is None:
            raise NotFound("Không có kế hoạch này.")
        query = serializers.ProgressQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year - 1
        if year not in plan.years:
            raise ValidationError(
                {"year": [f"Năm phải trong khoảng {plan.base_year}–{plan.end_year}."]}
            )
        root = None
        if "org_unit" in query.validated_data:
            root = OrgUnit.objects.filter(code=query.validated_data["org_unit"]).first()
            if root is None:
                raise ValidationError({"org_unit": ["Không có đơn vị mã này."]})
        approved_only = selectors.progress_approved_only(
            access_for(request.user), requested=query.validated_data["approved_only"]
        )
        evaluations = plan_progress(plan=plan, year=year, root=root, approved_only=approved_only)
        return Response(progress_json(plan=plan, year=year, evaluations=evaluations))


# --- units ---------------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        operation_id="org_units_list",
        tags=[TAG_UNITS],
        summary="Đơn vị vào một ngày",
        description=(
            "Các đơn vị còn hiệu lực vào ngày đã chọn (mặc định hôm nay), mỗi đơn vị với đơn "
            "vị cấp trên trực tiếp vào ngày đó (công khai)."
        ),
        responses=listed(serializers.OrgUnitSerializer, "Một trang đơn vị."),
    )
)
class OrgUnitList(ApiView, generics.ListAPIView[OrgUnit]):
    serializer_class = serializers.OrgUnitSerializer
    filterset_class = filters.OrgUnitFilterSet
    queryset = OrgUnit.objects.all()


@extend_schema_view(
    get=extend_schema(
        operation_id="org_units_retrieve",
        tags=[TAG_UNITS],
        summary="Một đơn vị",
        description="Một đơn vị với mọi quan hệ cấp trên theo thời gian (công khai).",
        parameters=[code_parameter("code", "Mã đơn vị.", "288")],
        responses=retrieved(serializers.OrgUnitDetailSerializer, "Đơn vị."),
    )
)
class OrgUnitDetail(ApiView, generics.RetrieveAPIView[OrgUnit]):
    serializer_class = serializers.OrgUnitDetailSerializer
    lookup_field = "code"

    def get_queryset(self) -> QuerySet[OrgUnit]:
        return selectors.orgunits_with_links()


# --- data values ---------------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        operation_id="data_values_list",
        tags=[TAG_VALUES],
        summary="Số liệu báo cáo",
        description=(
            "Người dùng chưa đăng nhập: chỉ số liệu của báo cáo đã duyệt, không gồm số liệu của "
            "doanh nghiệp (bảo mật). Người dùng đã đăng nhập: số liệu đã duyệt và số liệu chưa "
            "duyệt của các đơn vị mình được đọc (mọi đơn vị với điều phối viên, lãnh đạo)."
        ),
        responses=listed(serializers.DataValueSerializer, "Một trang số liệu."),
    ),
    post=extend_schema(
        operation_id="data_values_create",
        tags=[TAG_VALUES],
        summary="Gửi số liệu",
        description=(
            "Ghi một danh sách dòng số liệu (tối đa 5.000 dòng), với cùng kiểm tra, nhật ký và "
            "quy tắc phân quyền như nhập tệp (nguồn “API”): chỉ đơn vị của mình, không ghi vào "
            "báo cáo đã duyệt, không ghi vào báo cáo đã gửi trừ điều phối viên. Tất cả hoặc "
            "không: có lỗi thì không lưu gì và trả 400 với danh sách lỗi theo dòng."
        ),
        request=serializers.DataValueRowSerializer(
            many=True, min_length=1, max_length=serializers.MAX_ROWS
        ),
        responses={
            201: OpenApiResponse(
                serializers.WriteResultSerializer, description="Đã lưu; số giá trị theo loại."
            ),
            400: OpenApiResponse(serializers.ProblemsSerializer, description="Có lỗi, không lưu."),
            401: OpenApiResponse(serializers.ErrorSerializer, description="Chưa xác thực."),
            403: OpenApiResponse(
                serializers.ErrorSerializer, description="Không có quyền nhập số liệu."
            ),
        },
    ),
)
class DataValueList(ApiView, generics.ListAPIView[DataValue]):
    serializer_class = serializers.DataValueSerializer
    filterset_class = filters.DataValueFilterSet
    parser_classes = [JSONParser]
    schema = BoundedListRequestSchema()

    def get_queryset(self) -> QuerySet[DataValue]:
        access = access_for(self.request.user)
        year = self.request.query_params.get("year", "")
        years = [int(year)] if year.isascii() and year.isdigit() and len(year) == 4 else None
        return selectors.datavalues_visible(access, years=years)

    def paginate_queryset(self, queryset: Any) -> Any:
        # Log the units whose unapproved values this page shows (one row per unit).
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else queryset
        unpublished = {v.org_unit_id: v.org_unit for v in rows if not v.approved}
        record_access_many(self.request, unpublished.values(), DataKind.API_VALUES)
        return page

    def post(self, request: Request) -> Response:
        if not access_for(request.user).can_enter_data:
            raise PermissionDenied("Tài khoản của bạn không có quyền nhập số liệu.")
        try:
            payload = request.data
        except ParseError:
            payload = serializers.NOT_JSON
        rows, problems = serializers.rows_from_payload(payload)
        if problems:
            return Response({"problems": problems}, status=status.HTTP_400_BAD_REQUEST)
        result = values_write_rows(user=request.user, rows=rows)
        if not result.ok:
            return Response(
                {
                    "problems": [
                        {"line": p.line, "column": p.column, "message": p.message}
                        for p in result.problems
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        counts = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        return Response(counts, status=status.HTTP_201_CREATED)


# --- authentication -------------------------------------------------------------------------


class TokenThrottle(AnonRateThrottle):
    """Slows down password guessing on the token endpoint."""

    scope = "auth-token"
    rate = "30/minute"


@extend_schema_view(
    post=extend_schema(
        operation_id="auth_token_create",
        tags=[TAG_AUTH],
        summary="Lấy token",
        description=(
            "Đổi tên đăng nhập và mật khẩu lấy token; gửi token trong tiêu đề "
            "`Authorization: Token <token>` để ghi số liệu."
        ),
        responses={
            200: OpenApiResponse(
                {"type": "object", "properties": {"token": {"type": "string"}}},
                description="Token của người dùng.",
            ),
            400: OpenApiResponse(description="Sai tên đăng nhập hoặc mật khẩu."),
            429: OpenApiResponse(description="Thử quá nhiều lần, chờ một phút."),
        },
    )
)
class TokenObtain(ObtainAuthToken):
    authentication_classes: list[type] = []
    throttle_classes = [TokenThrottle]
