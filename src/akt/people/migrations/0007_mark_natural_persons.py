"""Marks the organizations already recorded that are natural persons (family farms, sole
proprietors), by the rule of :func:`akt.people.natural.looks_like_natural_person`, so that their
names are hidden from those who do not see persons from the day this runs."""

from django.db import migrations

from akt.people.natural import looks_like_natural_person


def mark(apps, schema_editor):
    Organization = apps.get_model("people", "Organization")
    natural = [
        pk
        for pk, name, kind in Organization.objects.filter(natural_person=False).values_list(
            "pk", "name", "kind"
        )
        if looks_like_natural_person(name, kind)
    ]
    for start in range(0, len(natural), 500):
        Organization.objects.filter(pk__in=natural[start : start + 500]).update(natural_person=True)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0006_consent_erasure_natural_person"),
    ]

    operations = [
        # Unmarking on the way back would also unmark those marked by hand: leave them marked.
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
