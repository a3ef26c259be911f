from django.apps import AppConfig


class DataValuesConfig(AppConfig):
    name = "benvung.datavalues"
    label = "datavalues"
    verbose_name = "Số liệu báo cáo"
