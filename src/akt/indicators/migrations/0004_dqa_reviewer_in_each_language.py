"""The data quality assessment's reviewer in each language: an office has a name in each.

The one stored reviewer becomes the English one and, being a name as an officer wrote it, the
Albanian and Serbian ones too until someone writes them (the reference data loader writes the
shipped sheets' offices in all three).
"""

from django.db import migrations, models
from django.db.models import F


def copy_reviewer(apps, schema_editor):
    sheets = apps.get_model("indicators", "ReferenceSheet")
    sheets.objects.update(
        dqa_reviewer_sq=F("dqa_reviewer_en"), dqa_reviewer_sr_latn=F("dqa_reviewer_en")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_disaggregation_scheme"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="referencesheet",
            name="sheet_dqa_has_reviewer",
        ),
        migrations.RenameField(
            model_name="referencesheet",
            old_name="dqa_reviewer",
            new_name="dqa_reviewer_en",
        ),
        migrations.AlterField(
            model_name="referencesheet",
            name="dqa_reviewer_en",
            field=models.CharField(
                blank=True,
                max_length=200,
                verbose_name="data quality assessment reviewer (English)",
            ),
        ),
        migrations.AddField(
            model_name="referencesheet",
            name="dqa_reviewer_sq",
            field=models.CharField(
                blank=True,
                max_length=200,
                verbose_name="data quality assessment reviewer (Albanian)",
            ),
        ),
        migrations.AddField(
            model_name="referencesheet",
            name="dqa_reviewer_sr_latn",
            field=models.CharField(
                blank=True,
                max_length=200,
                verbose_name="data quality assessment reviewer (Serbian, Latin)",
            ),
        ),
        migrations.RunPython(copy_reviewer, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="referencesheet",
            constraint=models.CheckConstraint(
                condition=models.Q(("dqa_last_date__isnull", True))
                | ~models.Q(("dqa_reviewer_en", "")),
                name="sheet_dqa_has_reviewer",
                violation_error_message=(
                    "Name who reviewed the most recent data quality assessment."
                ),
            ),
        ),
    ]
