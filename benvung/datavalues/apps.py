from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataValuesConfig(AppConfig):
    name = "benvung.datavalues"
    label = "datavalues"
    verbose_name = _("Số liệu báo cáo")

    def ready(self) -> None:
        # A value changed or deleted one at a time has its creation recorded first.
        from benvung.datavalues import audit  # noqa: F401
