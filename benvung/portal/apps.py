from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "benvung.portal"
    label = "portal"
    verbose_name = "Cổng thông tin"
