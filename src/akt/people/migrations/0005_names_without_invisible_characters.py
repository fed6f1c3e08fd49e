"""Names stored before invisible characters were removed at entry get the same cleaning, so a
search for "Arbër" finds the "Arbër" that was pasted with a zero-width space inside it."""

from functools import reduce
from operator import or_

from django.db import migrations
from django.db.models import Q

from akt.text.invisible import INVISIBLE, clean_name


def _holding_invisible(fields):
    return reduce(
        or_, (Q(**{f"{field}__contains": char}) for field in fields for char in INVISIBLE)
    )


def clean_stored_names(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Organization = apps.get_model("people", "Organization")
    for model, fields in ((Person, ("given_name", "family_name")), (Organization, ("name",))):
        for record in model.objects.filter(_holding_invisible(fields)).only("pk", *fields):
            for field in fields:
                setattr(record, field, clean_name(getattr(record, field)))
            record.save(update_fields=list(fields))


class Migration(migrations.Migration):
    dependencies = [("people", "0004_imported_records")]

    operations = [migrations.RunPython(clean_stored_names, migrations.RunPython.noop)]
