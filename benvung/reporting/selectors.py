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


def last_approved_value_year(up_to: int) -> int | None:
    """The last year up to `up_to` with a value in an approved report; None when there is
    none.

    Asked year by year from the approved reports, newest first, each year until one of its
    reports holds a value, looked up by the values' key (unit, element, period): the values
    have no index on their year alone, and a report's values are found by their key."""
    approved = Submission.objects.filter(status=SubmissionStatus.APPROVED)
    holding_values = approved.filter(
        Exists(
            DataValue.objects.filter(
                org_unit=OuterRef("org_unit"),
                period=OuterRef("period"),
                data_element__data_sets=OuterRef("data_set"),
            )
        )
    )
    years = (
        approved.filter(year__lte=up_to).order_by("-year").values_list("year", flat=True).distinct()
    )
    return next((year for year in years if holding_values.filter(year=year).exists()), None)
