"""Loading the program's indicator definitions that ship with the system."""

from __future__ import annotations

from importlib import resources

import yaml
from django.db import transaction

from akt.indicators.models import Indicator


def _forms(spec: dict, lang: str) -> dict:
    return dict(spec.get(lang) or {})


@transaction.atomic
def indicators_load() -> int:
    """Creates or updates every indicator in ``data/indicators.yaml``. Safe to run again.

    Each definition is validated (``full_clean``, which builds its engine definition) before it
    is saved, so a mistake in the file stops the load with the indicator's code in the message.
    """
    text = resources.files("akt.indicators").joinpath("data", "indicators.yaml").read_text("utf-8")
    specs = yaml.safe_load(text)
    for order, spec in enumerate(specs):
        indicator = Indicator.objects.filter(code=spec["code"]).first() or Indicator(
            code=spec["code"]
        )
        indicator.result_line = spec["result_line"]
        indicator.sort_order = order
        indicator.source = spec["source"]
        indicator.unit = spec["unit"]
        indicator.currency = spec.get("currency", "")
        indicator.filters = spec.get("filters") or {}
        indicator.disaggregations = spec.get("disaggregations") or []
        for lang, suffix in (("en", "en"), ("sq", "sq"), ("sr-latn", "sr_latn")):
            setattr(indicator, f"name_{suffix}", spec["name"][lang])
            setattr(indicator, f"definition_{suffix}", spec["definition"][lang])
        indicator.sentence = {lang: _forms(spec["sentence"], lang) for lang in spec["sentence"]}
        indicator.full_clean()
        indicator.save()
    return len(specs)
