# (DRF, django-filter and drf-spectacular ship no type information.)
"""Pagination of the API's lists: `?limit=&offset=`, bounded so that no request asks the
database for an absurd page."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000


class Pagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = MAX_LIMIT
    limit_query_description = f"Số bản ghi mỗi trang (mặc định 100, tối đa {MAX_LIMIT})."
    offset_query_description = "Vị trí bản ghi đầu tiên của trang (bắt đầu từ 0)."

    def get_offset(self, request: Request) -> int:
        # An offset past any real table would overflow the database's integer types.
        return min(super().get_offset(request), MAX_OFFSET)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(minimum=1, maximum=MAX_LIMIT)
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update(minimum=0, maximum=MAX_OFFSET)
        return parameters
