from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "benvung.reporting"
    label = "reporting"
    verbose_name = "Kỳ báo cáo và phê duyệt"
