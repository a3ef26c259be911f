from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "benvung.plans"
    label = "plans"
    verbose_name = _("Kế hoạch và chỉ tiêu")
