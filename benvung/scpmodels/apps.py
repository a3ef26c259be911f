from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScpModelsConfig(AppConfig):
    name = "benvung.scpmodels"
    label = "scpmodels"
    verbose_name = _("Mô hình SXTDBV")
