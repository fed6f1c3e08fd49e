"""Every grant recorded before grants kept their amount in US dollars gets one where it is
known: a grant in dollars is worth its amount. A grant in another currency (euros) keeps none:
no exchange rate was recorded with it, and the table of rates starts empty. It stays listed
among the grants lacking a rate (``akt.grants.selectors.grants_lacking_rate``) until an M&E
officer records the rate and gives it to them on the exchange rates page."""

from django.db import migrations
from django.db.models import F


def fill_amount_usd(apps, schema_editor):
    Grant = apps.get_model("grants", "Grant")
    Grant.objects.filter(currency="USD", amount_usd__isnull=True).update(amount_usd=F("amount"))


def empty_amount_usd(apps, schema_editor):
    Grant = apps.get_model("grants", "Grant")
    Grant.objects.update(amount_usd=None)


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0004_calls_applications_scoring_exchange_rates"),
    ]

    operations = [
        migrations.RunPython(fill_amount_usd, empty_amount_usd),
    ]
