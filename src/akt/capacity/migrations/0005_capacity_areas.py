"""The five capacity areas (reference data, from ``capacity/data/areas.yaml``), and each plan
action recorded before actions had one of them given the area its words plainly name.

An action whose words name no area, or more than one, keeps them as written (``area``) and is
left without an area for a person to choose on its page.
"""

from django.db import migrations

# Only the fields this migration's models have, whatever the data file grows later.
FIELDS = ("sort_order", "name_en", "name_sq", "name_sr_latn")


def load_areas_and_place_actions(apps, schema_editor):
    from akt.capacity.areas import area_code_for_text, area_rows

    CapacityArea = apps.get_model("capacity", "CapacityArea")
    PlanAction = apps.get_model("capacity", "PlanAction")
    areas = {}
    for row in area_rows():
        area, _created = CapacityArea.objects.update_or_create(
            code=row["code"], defaults={name: row[name] for name in FIELDS}
        )
        areas[area.code] = area
    for action in PlanAction.objects.filter(capacity_area__isnull=True).exclude(area=""):
        code = area_code_for_text(action.area)
        if code is not None:
            action.capacity_area = areas[code]
            action.save(update_fields=["capacity_area"])


class Migration(migrations.Migration):
    dependencies = [
        ("capacity", "0004_assessments_and_action_areas"),
    ]

    operations = [
        migrations.RunPython(load_areas_and_place_actions, migrations.RunPython.noop),
    ]
