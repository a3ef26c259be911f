from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "benvung.accounts"
    label = "accounts"
    verbose_name = _("Người dùng và vai trò")

    def ready(self) -> None:
        from benvung.accounts import signals  # noqa: F401  (connects the log receivers)
