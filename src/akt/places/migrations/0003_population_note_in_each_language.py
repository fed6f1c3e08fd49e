"""A population figure's note in each language: the stored note becomes the English one.

The reference data loader (``akt load-reference``) writes the shipped figures' notes in all
three languages; until it runs, an Albanian or Serbian page shows the English note.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0002_community_population"),
    ]

    operations = [
        migrations.RenameField(
            model_name="communitypopulation",
            old_name="note",
            new_name="note_en",
        ),
        migrations.AlterField(
            model_name="communitypopulation",
            name="note_en",
            field=models.TextField(blank=True, verbose_name="note (English)"),
        ),
        migrations.AddField(
            model_name="communitypopulation",
            name="note_sq",
            field=models.TextField(blank=True, verbose_name="note (Albanian)"),
        ),
        migrations.AddField(
            model_name="communitypopulation",
            name="note_sr_latn",
            field=models.TextField(blank=True, verbose_name="note (Serbian, Latin)"),
        ),
    ]
