"""Reads of the reporting cycle: which values are published, submissions and their state."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from benvung.datavalues.models import DataValue
from benvung.reporting.models import DataSet, Submission, SubmissionStatus


def approved_values(values: QuerySet[DataValue]) -> QuerySet[DataValue]:
    """Only the values whose report (data set of the element, unit, period) is approved."""
    approved = Submission.objects.filter(
        data_set__elements=OuterRef("data_element"),
        org_unit=OuterRef("org_unit"),
        period=OuterRef("period"),
        status=SubmissionStatus.APPROVED,
    )
    return values.filter(Exists(approved))


def data_set_of_element(element_code: str) -> DataSet | None:
    """The data set that collects an element (each element belongs to one form)."""
    return DataSet.objects.filter(elements__code=element_code).first()
