from django.apps import AppConfig


class OrgUnitsConfig(AppConfig):
    name = "benvung.orgunits"
    label = "orgunits"
    verbose_name = "Đơn vị báo cáo"
