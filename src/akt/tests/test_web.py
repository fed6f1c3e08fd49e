"""``submit_form``: a saved record leads to its page; a refusal by the service stays on the form."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from akt.grants.models import Grant
from akt.web import submit_form

pytestmark = pytest.mark.usefixtures("form_template")


class NameForm(forms.Form):
    name = forms.CharField()


@pytest.fixture
def form_template():
    """A stand-in form page, so the tests need neither the site's templates nor a database."""
    loader = ("django.template.loaders.locmem.Loader", {"form.html": "form page {{ form }}"})
    backend = "django.template.backends.django.DjangoTemplates"
    with override_settings(TEMPLATES=[{"BACKEND": backend, "OPTIONS": {"loaders": [loader]}}]):
        yield


def post(data: dict[str, str]) -> HttpRequest:
    request = RequestFactory().post("/", data)
    request._messages = CookieStorage(request)
    return request


def submit(request: HttpRequest, form: forms.Form, save: Any, **options: Any):
    return submit_form(
        request,
        form,
        save,
        saved_message="Saved.",
        success_url=options.pop("success_url", "grants:detail"),
        template="form.html",
        **options,
    )


def test_valid_form_is_saved_and_redirects_with_a_message() -> None:
    request = post({"name": "Water"})
    saved: list[dict[str, Any]] = []

    def save(data: dict[str, Any]) -> Grant:
        saved.append(data)
        return Grant(pk=7)

    response = submit(request, NameForm(request.POST), save)
    assert saved == [{"name": "Water"}]
    assert response.status_code == 302
    assert response.url == reverse("grants:detail", kwargs={"pk": 7})
    assert [str(m) for m in get_messages(request)] == ["Saved."]


def test_success_url_may_be_a_callable_of_the_record() -> None:
    request = post({"name": "Water"})
    response = submit(
        request, NameForm(request.POST), lambda data: Grant(pk=7), success_url=lambda g: "/x/"
    )
    assert response.status_code == 302
    assert response.url == "/x/"


def test_service_validation_error_lands_on_the_field_and_the_form_is_shown_again() -> None:
    request = post({"name": "Water"})
    form = NameForm(request.POST)

    def save(data: dict[str, Any]) -> Grant:
        raise ValidationError({"name": "That name is taken."})

    response = submit(request, form, save, context={"extra": 1})
    assert response.status_code == 200
    assert form.errors == {"name": ["That name is taken."]}
    content = response.content.decode()
    assert content.startswith("form page")
    assert "That name is taken." in content
    assert list(get_messages(request)) == []


def test_unbound_form_renders_the_form_page_without_saving() -> None:
    request = RequestFactory().get("/")

    def save(data: dict[str, Any]) -> Grant:
        raise AssertionError("an unbound form must not be saved")

    response = submit(request, NameForm(None), save)
    assert response.status_code == 200
    assert response.content.decode().startswith("form page")


def test_invalid_form_is_not_saved() -> None:
    request = post({"name": ""})
    form = NameForm(request.POST)

    def save(data: dict[str, Any]) -> Grant:
        raise AssertionError("an invalid form must not be saved")

    response = submit(request, form, save)
    assert response.status_code == 200
    assert "name" in form.errors


def test_refusal_becomes_a_form_error_only_when_a_message_is_given() -> None:
    def refuse(data: dict[str, Any]) -> Grant:
        raise PermissionDenied

    request = post({"name": "Water"})
    with pytest.raises(PermissionDenied):
        submit(request, NameForm(request.POST), refuse)

    form = NameForm(request.POST)
    response = submit(request, form, refuse, refused_message="Outside your records.")
    assert response.status_code == 200
    assert form.non_field_errors() == ["Outside your records."]
