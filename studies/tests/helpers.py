"""The study summary's admin form as an editor's browser posts it."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text


def study_form(**overrides):
    data = {
        "title": "New study",
        "slug": "new-study",
        "citation_title": "New study",
        "authors": "",
        "journal": "",
        "year": "",
        "volume": "",
        "issue": "",
        "pages": "",
        "doi": "",
        "pmid": "",
        "pmcid": "",
        "source_url": "https://example.org/new",
        "study_design": "",
        "guideline_grade": "",
        "plain_language_summary": rich_text(""),
        "limitations": rich_text(""),
        "key_points": inline_formset([{"text": "A finding."}], min=1),
        "body": nested_form_data({"count": 0}),
        "summary": "",
    }
    data.update(overrides)
    return nested_form_data(data)


def add_url(parent):
    return f"/admin/pages/add/studies/studysummarypage/{parent.pk}/"
