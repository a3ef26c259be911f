from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The models the public figures are computed from: any save or delete of one moves the
# published version (`core.published`), and the cached public answers are computed again.
# Units, parent links and successions are not listed: the hierarchy's own token, moved by
# database triggers on any write, is part of what a kept answer is checked against.
PUBLISHED_FROM = [
    "plans.Plan",
    "plans.Objective",
    "plans.Indicator",
    "plans.Target",
    "plans.Milestone",
    "plans.QualitativeAssessment",
    "plans.IndicatorVersion",
    "datavalues.DataElement",
    "datavalues.DataValue",
    "reporting.DataSet",
    "reporting.Submission",
    "scpmodels.ScpModel",
]


class PortalConfig(AppConfig):
    name = "benvung.portal"
    label = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from benvung.core.published import changed

        for label in PUBLISHED_FROM:
            model = apps.get_model(label)
            post_save.connect(changed, sender=model, dispatch_uid=f"published-save-{label}")
            post_delete.connect(changed, sender=model, dispatch_uid=f"published-delete-{label}")
        elements = apps.get_model("reporting.DataSet").elements.through
        m2m_changed.connect(changed, sender=elements, dispatch_uid="published-form-elements")
