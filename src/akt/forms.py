"""The form kit every record app shares: the date picker, municipality and component choices
narrowed to the viewer's scope, and the base of the list filters.

Below the apps that use it (it knows places, the program's components and the viewer's
``Scope``, nothing of the records themselves).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.db.models import QuerySet
from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from akt.accounts.scope import Scope
from akt.places.models import Municipality
from akt.program.models import Component

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


class FormRenderer(DjangoTemplates):
    """Django's form renderer, except that a select's options are written in Python.

    Drawn by Django's templates, a list of five hundred organizations took most of the time of
    the page that shows it (a template and its attributes' template for every option); written
    here, the markup is the same, character for character, in a fraction of the time. Any other
    widget, and an option with a template of its own, is drawn by its template.
    """

    def render(
        self, template_name: str, context: dict[str, Any], request: HttpRequest | None = None
    ) -> str:
        if template_name == SELECT_TEMPLATE:
            drawn = _select_html(context["widget"])
            if drawn is not None:
                return drawn
        return super().render(template_name, context, request=request)


def _select_html(widget: Mapping[str, Any]) -> SafeString | None:
    """Django's ``select.html`` for ``widget`` (the context a ``Select`` gives its template), or
    None when an option has a template other than Django's own."""
    parts = [f'<select name="{_escaped(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escaped(localize(group_name))}">')
        for option in options:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_escaped(option["value"])}"'
                f"{_attributes(option['attrs'])}>{_escaped(localize(option['label']))}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # every value above is escaped


def _escaped(value: object) -> str:
    """A value as a template writes it: as text (``stringformat:'s'``), escaped unless safe."""
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def _attributes(attrs: Mapping[str, Any]) -> str:
    """Django's ``attrs.html``: `` name="value"``, a bare `` name`` for True, nothing for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class DateInput(forms.DateInput):
    """The browser's date picker; the value is sent as ISO 8601 whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


FormField = TypeVar("FormField", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FormField]) -> FormField:
    """``form``'s field ``name``, which is a ``kind``: typed, so that a form may narrow the
    choices of a field it knows the class of (a model form makes a foreign key a
    ``ModelChoiceField``, a field with choices a ``ChoiceField``)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{name!r} is a {type(field).__name__}, not a {kind.__name__}")
    return field


def municipalities() -> QuerySet[Municipality]:
    """Municipalities with what their English name needs, so a list of them costs one query."""
    return Municipality.objects.select_related("majority_community")


def limit_to_scope(form: forms.BaseForm, scope: Scope) -> None:
    """Narrows a form's municipality and component choices to what the viewer may write.

    A focal point gets their municipality as the only (and required) choice; component staff
    get their component. Any other value is then "not one of the available choices", reported
    on its field.
    """
    if "municipality" in form.fields:
        municipality = form_field(form, "municipality", forms.ModelChoiceField)
        places = municipalities()
        if scope.municipality_id is not None:
            places = places.filter(pk=scope.municipality_id)
            municipality.required = True
            municipality.empty_label = None
            municipality.initial = scope.municipality_id
        municipality.queryset = places
    if "component" in form.fields:
        component = form_field(form, "component", forms.ModelChoiceField)
        components = Component.objects.all()
        if scope.component_id is not None:
            components = components.filter(pk=scope.component_id)
            component.empty_label = None
            component.initial = scope.component_id
        component.queryset = components


class ScopedFilterForm(forms.Form):
    """Base of the list filters: every field is optional and narrows the list.

    A focal point's municipality filter offers their municipality only; the list itself is
    narrowed by the scope whatever the filter says.
    """

    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.none(),
        required=False,
        empty_label=_("All municipalities"),
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = municipalities()
        if scope.municipality_id is not None:
            queryset = queryset.filter(pk=scope.municipality_id)
        form_field(self, "municipality", forms.ModelChoiceField).queryset = queryset
