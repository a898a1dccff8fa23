"""Approvals and flags; reviews recorded before approvals existed are kept.

A live clinical page with a reviewer and review date gets an approval of its
live revision (no snapshot: the rules compare with that revision), so pages
reviewed before this release do not need a second review to stay publishable.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


CLINICAL_MODELS = [
    ("home", "ServicePage"),
    ("articles", "ArticlePage"),
    ("studies", "StudySummaryPage"),
]


def keep_earlier_reviews(apps, schema_editor):
    ClinicalApproval = apps.get_model("clinical", "ClinicalApproval")
    for app_label, name in CLINICAL_MODELS:
        model = apps.get_model(app_label, name)
        reviewed = model.objects.filter(
            live=True,
            live_revision__isnull=False,
            reviewed_by__isnull=False,
            last_reviewed__isnull=False,
        )
        for page in reviewed:
            ClinicalApproval.objects.create(
                page_id=page.pk,
                revision_id=page.live_revision_id,
                clinician_id=page.reviewed_by_id,
            )


class Migration(migrations.Migration):

    dependencies = [
        ('home', '0007_drop_default_verbose_names'),
        ('articles', '0006_drop_default_verbose_names'),
        ('studies', '0003_drop_default_verbose_names'),
        ('clinical', '0001_move_from_core'),
        ('core', '0008_drop_default_verbose_names'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ClinicalApproval',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('approved_at', models.DateTimeField(auto_now_add=True)),
                ('clinical_content', models.JSONField(editable=False, help_text="The approved version's clinical fields, for comparison.", null=True)),
                ('fda_wording_acknowledged', models.BooleanField(default=False, help_text='The reviewer confirmed that FDA wording on the page is accurate.', verbose_name='“FDA-approved” wording checked')),
                ('approved_by', models.ForeignKey(help_text='The admin account that approved.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('clinician', models.ForeignKey(help_text='The clinician whose review this is.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='approvals', to='core.clinician')),
                ('page', models.ForeignKey(help_text='The clinical page that was approved.', on_delete=django.db.models.deletion.CASCADE, related_name='clinical_approvals', to=settings.WAGTAIL_PAGE_MODEL)),
                ('revision', models.ForeignKey(help_text='The version the clinician approved.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision')),
            ],
            options={
                'ordering': ['-approved_at', '-pk'],
                'get_latest_by': 'approved_at',
            },
        ),
        migrations.CreateModel(
            name='ClinicalFlag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('go_live_refused', 'Scheduled go-live refused'), ('citation_removed', 'Changed since review')], help_text='What happened.', max_length=32)),
                ('message', models.TextField(help_text="What happened, in editors' words.")),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('resolved_at', models.DateTimeField(blank=True, help_text='When an approval dealt with it.', null=True)),
                ('page', models.ForeignKey(help_text='The clinical page that needs a look.', on_delete=django.db.models.deletion.CASCADE, related_name='clinical_flags', to=settings.WAGTAIL_PAGE_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
            },
        ),
        migrations.RunPython(keep_earlier_reviews, migrations.RunPython.noop),
    ]
