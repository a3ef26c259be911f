from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "benvung.indicators"
    label = "indicators"
    verbose_name = "Tính toán chỉ tiêu"
