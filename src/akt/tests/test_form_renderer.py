"""The form renderer writes a select's options in Python: the same markup as Django's templates."""

from __future__ import annotations

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy

from akt.forms import FormRenderer


class Choices(forms.Form):
    plain = forms.ChoiceField(choices=[("1", "One"), ("2", "Two & <three>")])
    grouped = forms.ChoiceField(
        choices=[("", "---------"), ("Gjilan/Gnjilane", [("3", 'Ferma "Arta"')]), ("4", "Four")],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[(1, "A"), (2, "B"), (3, "C")])
    answer = forms.NullBooleanField()
    lazy = forms.ChoiceField(
        choices=[("en", gettext_lazy("English")), ("sq", "Shqip")],
        widget=forms.Select(attrs={"class": "wide", "data-note": 'a "quoted" <note>'}),
    )
    closed = forms.ChoiceField(
        choices=[("x", "X")], disabled=True, widget=forms.Select(attrs={"aria-busy": False})
    )


def _drawn(renderer: object, data: dict[str, object] | None) -> dict[str, str]:
    form = Choices(data, renderer=renderer)
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"plain": "2", "grouped": "3", "many": ["1", "3"], "answer": "true", "lazy": "sq"},
        {"plain": "<script>", "many": ["9"]},
    ],
)
def test_every_select_is_written_as_django_writes_it(data: dict[str, object] | None) -> None:
    ours = _drawn(FormRenderer(), data)
    theirs = _drawn(DjangoTemplates(), data)
    for name in Choices.base_fields:
        assert ours[name] == theirs[name], name
    assert "<option" in ours["grouped"] and "<optgroup" in ours["grouped"]


def test_an_option_with_a_template_of_its_own_is_drawn_by_it() -> None:
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    field = forms.ChoiceField(choices=[("1", "One")], widget=Marked)
    ours = field.widget.render("marked", "1", renderer=FormRenderer())
    theirs = field.widget.render("marked", "1", renderer=DjangoTemplates())
    assert ours == theirs
    assert "<option" not in ours


def test_the_project_uses_it() -> None:
    assert settings.FORM_RENDERER == "akt.forms.FormRenderer"
