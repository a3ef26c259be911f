from django.apps import AppConfig


class AnnualPlansConfig(AppConfig):
    name = "benvung.annualplans"
    label = "annualplans"
    verbose_name = "Kế hoạch triển khai hằng năm"
