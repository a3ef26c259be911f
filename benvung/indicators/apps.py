from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "benvung.indicators"
    label = "indicators"
    verbose_name = _("Tính toán chỉ tiêu")

    def ready(self) -> None:
        from django.utils.translation import gettext

        from benvung.indicators.domain.progress import set_label_translator

        set_label_translator(gettext)
