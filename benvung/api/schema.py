# (DRF, django-filter and drf-spectacular ship no type information.)
"""OpenAPI details drf-spectacular cannot infer on its own."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance, is_list_serializer


class BoundedListRequestSchema(AutoSchema):
    """Describes a list request body with its `min_length`/`max_length` as minItems/maxItems
    (drf-spectacular leaves them out), so that clients and schemathesis know the bounds."""

    def _get_request_for_media_type(
        self, serializer: Any, direction: str = "request"
    ) -> tuple[Any, bool]:
        schema, required = super()._get_request_for_media_type(serializer, direction)
        instance = force_instance(serializer)
        if schema and is_list_serializer(instance):
            bounds = {"minItems": instance.min_length, "maxItems": instance.max_length}
            schema = {**schema, **{k: v for k, v in bounds.items() if v is not None}}
        return schema, required
