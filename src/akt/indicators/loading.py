"""Loading the results framework, the reference sheets and the targets that ship with the system.

Two files beside ``indicators.yaml``:

- ``framework.yaml``: the results framework, from the goal down, each result after the one it
  contributes to;
- ``reference-sheets.yaml``: per indicator, the result it measures, its classification, its
  reference sheet (PIRS), its baseline and its targets; ``defaults`` holds what most sheets
  share.

Loading is idempotent and validated: every entry is checked (unknown keys, missing languages,
codes that name nothing, and the models' own ``full_clean``) and a mistake stops the load with a
``ReferenceDataError`` naming the file and the entry, before anything is kept (the caller's
transaction is rolled back).

The files seed the database; the database then owns what officers edit. An indicator whose
sheet was changed through ``reference_sheet_update`` keeps its sheet, classification and
definition as edited; one whose targets were changed through ``target_set`` keeps its targets
(both services leave an audit entry, which is how the loader knows). Everything else is brought
in line with the files on every load. Like the rest of the reference data, loading is not
audited: the sheet's change log holds the changes people made, and the files' history is in
version control.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db.models import DecimalField, Model
from django.utils.translation import gettext as _

from akt.accounts.models import AuditEntry
from akt.accounts.services import audit_values, changed_values
from akt.counting.periods import TARGET_KINDS, Period
from akt.counting.targets import target_label
from akt.indicators.models import (
    SHEET_PROSE,
    FrameworkResult,
    Indicator,
    ReferenceSheet,
    ResultLevel,
    Target,
)

FRAMEWORK_FILE = "framework.yaml"
SHEETS_FILE = "reference-sheets.yaml"

# The languages every text is written in, as the files name them, and the field suffixes.
LANGUAGES = {"en": "en", "sq": "sq", "sr-latn": "sr_latn"}

# The audit actions of officers' edits, after which the loader leaves a sheet or targets alone.
SHEET_EDIT = "reference_sheet_update"
TARGET_EDIT = "target_set"

# The indicator fields a reference sheet entry sets (the head of the PIRS).
CLASSIFICATION_FIELDS = (
    "result_measured",
    "indicator_type",
    "is_standard",
    "fa_code",
    "program_code",
    "is_ppr",
    "period_rule",
    "numerator",
    "denominator",
)
SHEET_FIELDS = (
    *(f"{name}_{suffix}" for name in SHEET_PROSE for suffix in LANGUAGES.values()),
    "collection_frequency",
    "dqa_last_date",
    *(f"dqa_reviewer_{suffix}" for suffix in LANGUAGES.values()),
    "dqa_next_date",
    "baseline_value",
    "baseline_date",
)

# Sheet fields that are text (empty when the file says nothing) rather than dates or numbers.
_TEXT_SUFFIXES = tuple(f"_{suffix}" for suffix in LANGUAGES.values()) + ("collection_frequency",)

_RESULT_KEYS = {"code", "level", "parent", "statement"}
_SHEET_KEYS = {
    "indicator",
    "result",
    "type",
    "standard",
    "fa_code",
    "program_code",
    "ppr",
    "period_rule",
    "numerator",
    "denominator",
    *SHEET_PROSE,
    "collection_frequency",
    "dqa",
    "baseline",
    "targets",
    "cell_targets",
}
_DEFAULT_KEYS = _SHEET_KEYS - {"indicator", "result", "program_code", "numerator", "denominator"}


def as_stored(record: Model) -> None:
    """Rounds the record's decimals to their fields' places, as the database will store them,
    so that 0 and 0.00 compare equal and a reload that changes nothing logs nothing."""
    for model_field in record._meta.concrete_fields:
        value = getattr(record, model_field.attname)
        if isinstance(model_field, DecimalField) and isinstance(value, Decimal):
            if value.is_finite():
                places = Decimal(1).scaleb(-model_field.decimal_places)
                setattr(record, model_field.attname, value.quantize(places))


class ReferenceDataError(ValueError):
    """A file that ships with the system has a mistake; the message names the file and entry."""


def _read(name: str, text: str | None) -> Any:
    if text is None:
        text = resources.files("akt.indicators").joinpath("data", name).read_text("utf-8")
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ReferenceDataError(
            _("%(file)s is not valid YAML: %(error)s") % {"file": name, "error": exc}
        ) from exc


def _fail(file: str, entry: str, problem: object) -> ReferenceDataError:
    return ReferenceDataError(
        _("%(file)s, entry %(entry)s: %(problem)s")
        % {"file": file, "entry": repr(entry), "problem": problem}
    )


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _texts(file: str, entry: str, key: str, value: object) -> dict[str, str]:
    """``{field suffix: text}`` of a three-language text, each language present."""
    if not isinstance(value, Mapping):
        raise _fail(file, entry, _("%(key)s needs en, sq and sr-latn texts.") % {"key": key})
    unknown = set(value) - set(LANGUAGES)
    missing = [lang for lang in LANGUAGES if not str(value.get(lang) or "").strip()]
    if unknown or missing:
        raise _fail(
            file,
            entry,
            _("%(key)s needs exactly en, sq and sr-latn texts (missing: %(missing)s).")
            % {"key": key, "missing": ", ".join(missing + sorted(unknown)) or "-"},
        )
    return {LANGUAGES[lang]: str(value[lang]).strip() for lang in LANGUAGES}


def _unknown_keys(file: str, entry: str, spec: Mapping, allowed: set[str]) -> None:
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise _fail(
            file, entry, _("unknown keys: %(keys)s.") % {"keys": ", ".join(map(str, unknown))}
        )


# -- the framework -----------------------------------------------------------------------------


def framework_load(text: str | None = None) -> int:
    """Creates or updates every result in ``framework.yaml``; returns how many there are.

    Results are matched by code. A result must come after the one it contributes to, so the
    file reads from the goal down and a cycle cannot be written.
    """
    data = _read(FRAMEWORK_FILE, text)
    specs = data.get("results") if isinstance(data, Mapping) else None
    if not isinstance(specs, list) or not specs:
        raise ReferenceDataError(
            _("%(file)s needs a list of results under `results`.") % {"file": FRAMEWORK_FILE}
        )
    loaded: dict[str, FrameworkResult] = {}
    for order, spec in enumerate(specs):
        code = str(spec.get("code") or "").strip() if isinstance(spec, Mapping) else ""
        entry = code or f"#{order + 1}"
        if not code:
            raise _fail(FRAMEWORK_FILE, entry, _("every result needs a code."))
        _unknown_keys(FRAMEWORK_FILE, entry, spec, _RESULT_KEYS)
        if code in loaded:
            raise _fail(FRAMEWORK_FILE, entry, _("this code appears twice."))
        if spec.get("level") not in ResultLevel.values:
            raise _fail(
                FRAMEWORK_FILE,
                entry,
                _("level must be one of %(levels)s.") % {"levels": ", ".join(ResultLevel.values)},
            )
        parent = None
        if spec.get("parent") is not None:
            parent = loaded.get(str(spec["parent"]))
            if parent is None:
                raise _fail(
                    FRAMEWORK_FILE,
                    entry,
                    _("its parent %(parent)s is not a result listed above it.")
                    % {"parent": repr(spec["parent"])},
                )
        result = FrameworkResult.objects.filter(code=code).first() or FrameworkResult(code=code)
        result.level = spec["level"]
        result.parent = parent
        result.sort_order = order
        for suffix, value in _texts(
            FRAMEWORK_FILE, entry, "statement", spec.get("statement")
        ).items():
            setattr(result, f"statement_{suffix}", value)
        try:
            result.full_clean()
        except ValidationError as error:
            raise _fail(FRAMEWORK_FILE, entry, _messages(error)) from error
        result.save()
        loaded[code] = result
    return len(loaded)


# -- reference sheets and targets ----------------------------------------------------------------


def edited_in_system(action: str) -> set[str]:
    """Ids (as stored in the audit log) of the indicators an officer changed with ``action``."""
    return set(
        AuditEntry.objects.filter(target_type="indicators.indicator", action=action).values_list(
            "target_id", flat=True
        )
    )


@dataclass(frozen=True)
class SheetSpec:
    """One entry of ``reference-sheets.yaml``, defaults applied and values checked."""

    indicator: str
    classification: dict[str, Any]
    ratio_parts: dict[str, str]
    sheet: dict[str, Any]
    targets: dict[tuple[Period, str, str], Decimal]


def _number(file: str, entry: str, key: str, value: object) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        raise _fail(
            file,
            entry,
            _("%(key)s must be a number of 0 or more, not %(value)s.")
            % {"key": key, "value": repr(value)},
        )
    return number


def _targets(file: str, entry: str, spec: Mapping) -> dict[tuple[Period, str, str], Decimal]:
    targets: dict[tuple[Period, str, str], Decimal] = {}
    plain = spec.get("targets") or {}
    if not isinstance(plain, Mapping):
        raise _fail(file, entry, _("targets maps periods (lop, fy2016, fy2016q1) to values."))
    cells = spec.get("cell_targets") or []
    rows = [(key, "", "", value) for key, value in plain.items()]
    for cell in cells:
        if not isinstance(cell, Mapping) or set(cell) != {"period", "dimension", "cell", "value"}:
            raise _fail(file, entry, _("each cell target has period, dimension, cell and value."))
        rows.append((cell["period"], str(cell["dimension"]), str(cell["cell"]), cell["value"]))
    for key, dimension, cell, value in rows:
        try:
            period = Period.from_key(str(key), TARGET_KINDS)
        except ValueError:
            raise _fail(
                file,
                entry,
                _("%(key)s is not a period; write lop, fy2016 or fy2016q1.") % {"key": repr(key)},
            ) from None
        targets[(period, dimension, cell)] = _number(file, entry, f"target {key}", value)
    return targets


def _sheet_spec(spec: Mapping, defaults: Mapping, order: int) -> SheetSpec:
    file = SHEETS_FILE
    code = str(spec.get("indicator") or "").strip() if isinstance(spec, Mapping) else ""
    entry = code or f"#{order + 1}"
    if not code:
        raise _fail(file, entry, _("every sheet names its indicator."))
    _unknown_keys(file, entry, spec, _SHEET_KEYS)
    merged = {**defaults, **spec}
    classification: dict[str, Any] = {
        "indicator_type": merged.get("type", "output"),
        "is_standard": bool(merged.get("standard", False)),
        "fa_code": str(merged.get("fa_code") or ""),
        "program_code": str(merged.get("program_code") or ""),
        "is_ppr": bool(merged.get("ppr", False)),
        "period_rule": str(merged.get("period_rule") or ""),
    }
    if merged.get("result") is not None:
        classification["result_measured"] = str(merged["result"])
    ratio_parts = {
        name: str(merged[name]) for name in ("numerator", "denominator") if merged.get(name)
    }
    sheet: dict[str, Any] = {}
    for name in SHEET_PROSE:
        if name in merged:
            for suffix, text in _texts(file, entry, name, merged[name]).items():
                sheet[f"{name}_{suffix}"] = text
    sheet["collection_frequency"] = str(merged.get("collection_frequency") or "")
    dqa = merged.get("dqa") or {}
    if not isinstance(dqa, Mapping) or set(dqa) - {"last", "reviewer", "next"}:
        raise _fail(file, entry, _("dqa has last, reviewer and next."))
    sheet["dqa_last_date"] = dqa.get("last")
    reviewer = dqa.get("reviewer") or ""
    if isinstance(reviewer, Mapping):  # an office, named in each language
        texts = _texts(file, entry, "dqa reviewer", reviewer)
    else:  # a person's name, written the same in every language
        texts = dict.fromkeys(LANGUAGES.values(), str(reviewer).strip())
    for suffix, text in texts.items():
        sheet[f"dqa_reviewer_{suffix}"] = text
    sheet["dqa_next_date"] = dqa.get("next")
    baseline = merged.get("baseline") or {}
    if not isinstance(baseline, Mapping) or set(baseline) - {"value", "date"}:
        raise _fail(file, entry, _("baseline has value and date."))
    value = baseline.get("value")
    sheet["baseline_value"] = None if value is None else _number(file, entry, "baseline", value)
    sheet["baseline_date"] = baseline.get("date")
    return SheetSpec(code, classification, ratio_parts, sheet, _targets(file, entry, spec))


def sheet_specs(text: str | None = None) -> list[SheetSpec]:
    """The entries of ``reference-sheets.yaml``, checked; nothing is written."""
    data = _read(SHEETS_FILE, text)
    if not isinstance(data, Mapping) or not isinstance(data.get("sheets"), list):
        raise ReferenceDataError(
            _("%(file)s needs a list of sheets under `sheets`.") % {"file": SHEETS_FILE}
        )
    _unknown_keys(SHEETS_FILE, "(top level)", data, {"texts", "defaults", "sheets"})
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, Mapping):
        raise ReferenceDataError(_("%(file)s: defaults must be a mapping.") % {"file": SHEETS_FILE})
    _unknown_keys(SHEETS_FILE, "defaults", defaults, _DEFAULT_KEYS)
    specs = [_sheet_spec(spec, defaults, order) for order, spec in enumerate(data["sheets"])]
    seen: set[str] = set()
    for spec in specs:
        if spec.indicator in seen:
            raise _fail(SHEETS_FILE, spec.indicator, _("this indicator has two sheets."))
        seen.add(spec.indicator)
    return specs


def reference_sheets_load(text: str | None = None) -> int:
    """Applies ``reference-sheets.yaml``: classification, sheet and targets of each indicator.

    Call inside a transaction, after the framework and the indicators are loaded. Indicators an
    officer has edited keep their edits (see the module's docstring). Returns how many sheets
    the file holds.
    """
    specs = sheet_specs(text)
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    results = {result.code: result for result in FrameworkResult.objects.all()}
    sheet_edited = edited_in_system(SHEET_EDIT)
    targets_edited = edited_in_system(TARGET_EDIT)
    for spec in specs:
        indicator = indicators.get(spec.indicator)
        if indicator is None:
            raise _fail(SHEETS_FILE, spec.indicator, _("no indicator has this code."))
        if str(indicator.pk) not in sheet_edited:
            _apply_sheet(spec, indicator, indicators, results)
        if str(indicator.pk) not in targets_edited:
            _apply_targets(spec, indicator)
    return len(specs)


def _apply_sheet(
    spec: SheetSpec,
    indicator: Indicator,
    indicators: Mapping[str, Indicator],
    results: Mapping[str, FrameworkResult],
) -> None:
    file, entry = SHEETS_FILE, spec.indicator
    values = dict(spec.classification)
    code = values.pop("result_measured", None)
    if code is not None and code not in results:
        raise _fail(file, entry, _("no result has the code %(code)s.") % {"code": repr(code)})
    values["result_measured"] = results.get(code) if code is not None else None
    for name in ("numerator", "denominator"):
        part = spec.ratio_parts.get(name)
        if part is not None and part not in indicators:
            raise _fail(
                file,
                entry,
                _("its %(part)s %(code)s is not an indicator.")
                % {"part": name, "code": repr(part)},
            )
        values[name] = indicators.get(part) if part is not None else None
    sheet = ReferenceSheet.objects.filter(indicator=indicator).first()
    is_new = sheet is None
    sheet = sheet or ReferenceSheet(indicator=indicator)
    before = {**audit_values(indicator, CLASSIFICATION_FIELDS), **audit_values(sheet, SHEET_FIELDS)}
    for name, value in values.items():
        setattr(indicator, name, value)
    for name in SHEET_FIELDS:
        setattr(sheet, name, spec.sheet.get(name, "" if name.endswith(_TEXT_SUFFIXES) else None))
    try:
        indicator.full_clean()
        sheet.full_clean()
    except ValidationError as error:
        raise _fail(file, entry, _messages(error)) from error
    as_stored(sheet)
    after = {**audit_values(indicator, CLASSIFICATION_FIELDS), **audit_values(sheet, SHEET_FIELDS)}
    if not is_new and not changed_values(before, after):
        return
    indicator.save(update_fields=list(CLASSIFICATION_FIELDS))
    sheet.save()


def _apply_targets(spec: SheetSpec, indicator: Indicator) -> None:
    stored = {
        (target.period, target.dimension, target.cell): target
        for target in Target.objects.filter(indicator=indicator)
    }
    for key in sorted(set(stored) | set(spec.targets)):
        old = stored.get(key)
        new_value = spec.targets.get(key)
        if new_value is None:
            old.delete()  # type: ignore[union-attr]
            continue
        if old is not None and old.value == new_value:
            continue
        target = old or Target(indicator=indicator, dimension=key[1], cell=key[2])
        target.period = key[0]
        target.value = new_value
        try:
            target.full_clean()
        except ValidationError as error:
            label = target_label(*key)
            raise _fail(SHEETS_FILE, spec.indicator, f"{label}: {_messages(error)}") from error
        target.save()


def plain_value(value: Decimal | None) -> str | None:
    """A decimal as the audit log keeps it: "12", "12.5", never "1.2E+1"."""
    return None if value is None else format(value.normalize(), "f")


# -- disaggregation schemes --------------------------------------------------------------------

SCHEMES_FILE = "schemes.yaml"


def schemes_load(text: str | None = None) -> int:
    """Creates or updates every scheme in ``schemes.yaml``; returns how many there are.

    Each is checked whole (its categories named in every language, its mapping pointing into
    its categories) before anything is saved, and a mistake names the entry.
    """
    from akt.indicators.models import DisaggregationScheme

    specs = _read(SCHEMES_FILE, text) or []
    if not isinstance(specs, list):
        raise ReferenceDataError(_("%(file)s must be a list of schemes.") % {"file": SCHEMES_FILE})
    schemes = []
    for spec in specs:
        entry = str(spec.get("code", "?")) if isinstance(spec, Mapping) else "?"
        if not isinstance(spec, Mapping):
            raise _fail(SCHEMES_FILE, entry, _("each scheme is a mapping of keys to values."))
        allowed = {"code", "dimension", "name", "categories", "mapping"}
        _unknown_keys(SCHEMES_FILE, entry, spec, allowed)
        names = _texts(SCHEMES_FILE, entry, "name", spec.get("name"))
        categories = spec.get("categories")
        if not isinstance(categories, list) or not categories:
            raise _fail(SCHEMES_FILE, entry, _("categories must list the scheme's categories."))
        for category in categories:
            if not isinstance(category, Mapping) or not str(category.get("code") or "").strip():
                raise _fail(SCHEMES_FILE, entry, _("every category needs a code."))
            _texts(SCHEMES_FILE, entry, str(category["code"]), {
                lang: category.get(lang) for lang in LANGUAGES})  # fmt: skip
        scheme = DisaggregationScheme.objects.filter(code=spec.get("code")).first()
        scheme = scheme or DisaggregationScheme(code=spec.get("code"))
        scheme.dimension = str(spec.get("dimension") or "")
        for suffix, value in names.items():
            setattr(scheme, f"name_{suffix}", value)
        scheme.categories = [dict(category) for category in categories]
        scheme.mapping = dict(spec.get("mapping") or {})
        try:
            scheme.full_clean()
        except ValidationError as error:
            raise _fail(SCHEMES_FILE, entry, _messages(error)) from None
        schemes.append(scheme)
    for scheme in schemes:
        scheme.save()
    return len(schemes)
