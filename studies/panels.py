"""An editor's short way to add a study while citing it.

Pages that cite studies (services, articles) show this under their Evidence
list: it opens a new study summary and brings the editor back to the page they
were editing, where the new study is in the chooser. Without it, adding and
citing one study took about nine screens (find the studies section, add,
save, find the service again, open it, choose).
"""

from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.panels import Panel

from studies.models import StudyIndexPage, StudySummaryPage


class NewStudyPanel(Panel):
    """ "Not in the list? Add a new study summary", returning to this page."""

    @property
    def clean_name(self):
        return super().clean_name or "new-study"

    class BoundPanel(Panel.BoundPanel):
        template_name = "studies/panels/new_study_panel.html"

        def is_shown(self):
            # A page not yet saved has no edit screen to come back to.
            return bool(self.instance.pk) and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            index = StudyIndexPage.objects.first()
            context["add_url"] = None
            if index is not None:
                back = reverse("wagtailadmin_pages:edit", args=[self.instance.pk])
                add = reverse(
                    "wagtailadmin_pages:add",
                    args=[
                        StudySummaryPage._meta.app_label,
                        StudySummaryPage._meta.model_name,
                        index.pk,
                    ],
                )
                context["add_url"] = f"{add}?{urlencode({'next': back})}"
            return context
