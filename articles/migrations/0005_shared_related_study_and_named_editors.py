"""Articles cite each study once, as services already did; named rich-text editors.

Existing duplicates (the same study cited twice on one article) are removed
first, keeping the earliest link, so the constraint can be added.
"""

import django.db.models.deletion
import wagtail.fields
from django.db import migrations, models


def remove_duplicate_links(apps, schema_editor):
    ArticleRelatedStudy = apps.get_model("articles", "ArticleRelatedStudy")
    seen = set()
    duplicates = []
    links = ArticleRelatedStudy.objects.order_by("page_id", "sort_order", "pk")
    for link in links.only("pk", "page_id", "study_id"):
        key = (link.page_id, link.study_id)
        if key in seen:
            duplicates.append(link.pk)
        seen.add(key)
    ArticleRelatedStudy.objects.filter(pk__in=duplicates).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0004_article_date_local_day'),
        ('studies', '0002_shared_related_study_and_named_editors'),
    ]

    operations = [
        migrations.AlterField(
            model_name='articleindexpage',
            name='intro',
            field=wagtail.fields.RichTextField(blank=True, help_text='A short introduction shown above the list on this page.'),
        ),
        migrations.AlterField(
            model_name='articlepage',
            name='body',
            field=wagtail.fields.StreamField([('paragraph', 0), ('heading', 3), ('image', 6), ('callout', 10), ('key_points', 14), ('faq', 19), ('quote', 22), ('call_to_action', 28), ('study_reference', 31), ('embed', 32)], block_lookup={0: ('cms.core.blocks.content.ParagraphBlock', (), {}), 1: ('wagtail.blocks.CharBlock', (), {'help_text': "Short and descriptive, e.g. 'What to expect'.", 'label': 'Heading text'}), 2: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('h2', 'Section (level 2)'), ('h3', 'Sub-section (level 3)')], 'help_text': 'Use level 2 for main sections and level 3 inside them.'}), 3: ('wagtail.blocks.StructBlock', [[('text', 1), ('level', 2)]], {}), 4: ('wagtail.images.blocks.ImageBlock', [], {'help_text': 'Describe the picture for people who cannot see it, or mark it decorative.'}), 5: ('wagtail.blocks.CharBlock', (), {'help_text': 'Optional text shown under the image.', 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('image', 4), ('caption', 5)]], {}), 7: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('info', 'Information'), ('warning', 'Warning'), ('safety', 'Safety: when to get help')], 'help_text': 'Warnings and safety notes get a stronger colour.'}), 8: ('wagtail.blocks.CharBlock', (), {'help_text': 'Optional short title.', 'required': False}), 9: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'ol', 'ul']}), 10: ('wagtail.blocks.StructBlock', [[('tone', 7), ('title', 8), ('text', 9)]], {}), 11: ('wagtail.blocks.CharBlock', (), {'default': 'Key points', 'help_text': "Usually 'Key points'."}), 12: ('wagtail.blocks.TextBlock', (), {'label': 'Point'}), 13: ('wagtail.blocks.ListBlock', (12,), {'help_text': 'One sentence each, in the order readers should see them.', 'min_num': 1}), 14: ('wagtail.blocks.StructBlock', [[('heading', 11), ('points', 13)]], {}), 15: ('wagtail.blocks.CharBlock', (), {'default': 'Frequently asked questions'}), 16: ('wagtail.blocks.CharBlock', (), {'help_text': 'Phrase it the way a patient would ask it.'}), 17: ('wagtail.blocks.StructBlock', [[('question', 16), ('answer', 9)]], {}), 18: ('wagtail.blocks.ListBlock', (17,), {'label': 'Questions', 'min_num': 1}), 19: ('wagtail.blocks.StructBlock', [[('heading', 15), ('items', 18)]], {}), 20: ('wagtail.blocks.TextBlock', (), {'help_text': 'The exact words quoted.'}), 21: ('wagtail.blocks.CharBlock', (), {'help_text': "Who said it, e.g. a clinician's name and role.", 'required': False}), 22: ('wagtail.blocks.StructBlock', [[('quote', 20), ('attribution', 21)]], {}), 23: ('wagtail.blocks.CharBlock', (), {'help_text': "e.g. 'Talk to our team'."}), 24: ('wagtail.blocks.TextBlock', (), {'help_text': 'One or two sentences.', 'required': False}), 25: ('wagtail.blocks.CharBlock', (), {'default': 'Book a consultation', 'help_text': 'What the button says.'}), 26: ('wagtail.blocks.PageChooserBlock', (), {'help_text': 'A page on this site to link to…', 'required': False}), 27: ('wagtail.blocks.URLBlock', (), {'help_text': '…or a full web address.', 'required': False}), 28: ('wagtail.blocks.StructBlock', [[('heading', 23), ('text', 24), ('button_label', 25), ('page', 26), ('url', 27)]], {}), 29: ('wagtail.blocks.PageChooserBlock', (), {'help_text': 'The study summary that supports the text above.', 'page_type': ['studies.StudySummaryPage']}), 30: ('wagtail.blocks.CharBlock', (), {'help_text': 'Optional: what the study shows, in a few words.', 'required': False}), 31: ('wagtail.blocks.StructBlock', [[('study', 29), ('note', 30)]], {}), 32: ('cms.core.blocks.content.VideoEmbedBlock', (), {})}, help_text='The article, in short sections with headings.'),
        ),
        migrations.AlterField(
            model_name='articlerelatedstudy',
            name='study',
            field=models.ForeignKey(help_text='A study summary that supports what this page says.', on_delete=django.db.models.deletion.CASCADE, related_name='cited_by_%(app_label)s', to='studies.studysummarypage'),
        ),
        migrations.RunPython(remove_duplicate_links, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='articlerelatedstudy',
            constraint=models.UniqueConstraint(fields=('page', 'study'), name='unique_articlerelatedstudy_study'),
        ),
    ]
