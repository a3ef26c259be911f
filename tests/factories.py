"""factory_boy factories for the domain models, one per model."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from benvung.datavalues.models import DataElement, DataValue
from benvung.orgunits.models import OrgUnit, ParentLink
from benvung.scpmodels.models import ScpModel


class OrgUnitFactory(DjangoModelFactory[OrgUnit]):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.LazyAttribute(lambda o: f"Đơn vị {o.code}")
    type = "XA"
    valid_from = dt.date(2020, 1, 1)
    valid_to = None


class ParentLinkFactory(DjangoModelFactory[ParentLink]):
    class Meta:
        model = ParentLink

    unit = factory.SubFactory(OrgUnitFactory)
    parent = factory.SubFactory(OrgUnitFactory, type="HUYEN")
    valid_from = factory.LazyAttribute(lambda o: o.unit.valid_from)
    valid_to = factory.LazyAttribute(lambda o: o.unit.valid_to)


class DataElementFactory(DjangoModelFactory[DataElement]):
    class Meta:
        model = DataElement
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DE{n}")
    name = factory.LazyAttribute(lambda o: f"Chỉ số {o.code}")
    unit_types = ["KCN"]
    value_type = "integer"


class DataValueFactory(DjangoModelFactory[DataValue]):
    class Meta:
        model = DataValue

    data_element = factory.SubFactory(DataElementFactory)
    org_unit = factory.SubFactory(OrgUnitFactory)
    period = "2021"
    year = factory.LazyAttribute(lambda o: int(o.period[:4]))
    value = 1
    canonical_value = factory.LazyAttribute(lambda o: o.value)


class ScpModelFactory(DjangoModelFactory[ScpModel]):
    class Meta:
        model = ScpModel

    code = factory.Sequence(lambda n: f"MH{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Mô hình {o.code}")
    kind = "AP_DUNG"
    org_unit = factory.SubFactory(OrgUnitFactory)
    year = 2021


def unit_under(parent: OrgUnit, **kwargs: object) -> OrgUnit:
    """A unit with one parent link over its whole validity."""
    unit = OrgUnitFactory(**kwargs)
    ParentLink.objects.create(
        unit=unit, parent=parent, valid_from=unit.valid_from, valid_to=unit.valid_to
    )
    return unit
