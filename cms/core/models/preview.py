"""Unsaved drafts kept briefly for the headless preview (``cms/core/preview.py``)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class PreviewDraft(models.Model):
    """One press of Preview in "Frontend" mode: the page as the editor left it.

    In the database rather than a cache because every app server must find
    it (the frontend's request may reach another one than the editor's) and
    a preview must keep working while Redis is down. Rows live for
    ``PREVIEW_TOKEN_MAX_AGE`` seconds; expired ones are deleted whenever a new
    draft is stored, so the table stays as small as the editors' last few
    minutes of previews. Nothing here is ever published.
    """

    # No form shows these (editable=False): only the preview code writes them.
    key = models.CharField(max_length=64, unique=True, editable=False)
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", editable=False
    )
    content = models.JSONField(encoder=DjangoJSONEncoder, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True, editable=False)

    class Meta:
        verbose_name = "preview draft"

    def __str__(self):
        return f"Preview of page {self.page_id} until {self.expires_at:%H:%M}"
