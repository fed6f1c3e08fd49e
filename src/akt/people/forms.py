"""Forms for persons and organizations, each built for one viewer's scope."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from akt.accounts.scope import Scope
from akt.forms import DateInput, ScopedFilterForm, form_field, limit_to_scope
from akt.people.models import (
    ConsentBasis,
    Organization,
    OrganizationKind,
    Person,
    ProcessingBasis,
    Sector,
    Sex,
)
from akt.people.natural import in_label_order, looks_like_natural_person, organizations_named
from akt.places.models import Community
from akt.text.invisible import clean_name


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "given_name",
            "family_name",
            "sex",
            "birth_date",
            "birth_year",
            "community",
            "community_consent",
            "consent_basis",
            "consent_date",
            "municipality",
            "affiliation",
            "organization",
        ]
        widgets = {"birth_date": DateInput(), "consent_date": DateInput()}

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_scope(self, scope)
        form_field(self, "community", forms.ModelChoiceField).queryset = Community.objects.all()
        form_field(self, "organization", forms.ModelChoiceField).queryset = scope.organizations(
            Organization.objects.all()
        ).order_by("name", "id")

        # A form posted without it keeps the default: the basis was not recorded.
        self.fields["consent_basis"].required = False

    def clean_given_name(self) -> str:
        return _tidy(self.cleaned_data["given_name"])

    def clean_family_name(self) -> str:
        return _tidy(self.cleaned_data["family_name"])

    def clean_consent_basis(self) -> str:
        return self.cleaned_data.get("consent_basis") or ProcessingBasis.NOT_RECORDED

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # A community is self-declared: recorded only when the person agreed to state it.
        if cleaned.get("community") and cleaned.get("community_consent") != ConsentBasis.CONSENT:
            self.add_error(
                "community",
                _(
                    "A community is recorded only when the person agreed to state it: record "
                    "their consent, or leave the community empty."
                ),
            )
        return cleaned


def _tidy(name: str) -> str:
    """One space between words, composed characters and no invisible ones, so "Arbër" is
    stored one way only (:func:`akt.text.invisible.clean_name`)."""
    return clean_name(name)


SEARCH_MAX_LENGTH = 200
"""The longest name search: a name is at most 100 characters a part. Every word of a search is
a pattern matched against every name, so an unbounded one (30,000 characters took 17 s) would
let one request occupy the database."""


class PersonFilterForm(ScopedFilterForm):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        error_messages={
            "max_length": _(
                "Search for at most %(limit_value)d characters of a name (this search has "
                "%(show_value)d)."
            )
        },
        help_text=_("Any part of the given or family name; accents and case do not matter."),
    )
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.all(),
        required=False,
        empty_label=_("All communities"),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("Both")), *Sex.choices], required=False)

    field_order = ["q", "municipality", "community", "sex"]

    def filter(self, persons: QuerySet[Person]) -> QuerySet[Person]:
        if not self.is_valid():
            # A search refused (too long) finds nobody, rather than listing everyone.
            return persons.none() if "q" in self.errors else persons
        data = self.cleaned_data
        if data["q"]:
            persons = persons_named(persons, data["q"])
        if data["municipality"]:
            persons = persons.filter(municipality=data["municipality"])
        if data["community"]:
            persons = persons.filter(community=data["community"])
        if data["sex"]:
            persons = persons.filter(sex=data["sex"])
        return persons


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "sector", "municipality", "registration_number", "natural_person"]
        help_texts = {
            "natural_person": _(
                "A family farm or sole proprietor named after its owner: its name is personal "
                "data, hidden from those who do not see persons. A new organization whose name "
                "reads as one (“Ferma familjare”, “N.P.”, “SZR”, a farm named after its owner) "
                "is marked when saved; untick the box if it is a company."
            )
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_to_scope(self, scope)

    def clean_name(self) -> str:
        return _tidy(self.cleaned_data["name"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        name, municipality = cleaned.get("name"), cleaned.get("municipality")
        if name and municipality:
            same = Organization.objects.filter(name__iexact=name, municipality=municipality)
            if self.instance.pk:
                same = same.exclude(pk=self.instance.pk)
            if same.exists():
                self.add_error(
                    "name",
                    _("An organization with this name already exists in this municipality."),
                )
        if not self.instance.pk and name and not cleaned.get("natural_person"):
            # A new organization: the rule ticks the box the clerk did not; on its edit page
            # the box says what is stored, and unticking it sticks.
            cleaned["natural_person"] = looks_like_natural_person(name, cleaned.get("kind", ""))
        return cleaned


class OrganizationFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("Name"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *OrganizationKind.choices], required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False
    )

    field_order = ["q", "kind", "sector", "municipality"]

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, scope=scope, **kwargs)
        self.scope = scope

    def filter(self, organizations: QuerySet[Organization]) -> QuerySet[Organization]:
        # Listed as the viewer reads them: a natural person's organization is not placed by
        # its name for those who do not see persons.
        organizations = in_label_order(organizations, self.scope)
        if not self.is_valid():
            return organizations
        data = self.cleaned_data
        if data["q"]:
            # ... nor found by it.
            organizations = organizations_named(organizations, data["q"], self.scope)
        for name in ("kind", "sector", "municipality"):
            if data[name]:
                organizations = organizations.filter(**{name: data[name]})
        return organizations


# Letters a name is written with in Albanian, Serbian, Bosnian and Turkish, by the plain letter a
# keyboard without them produces. A search for "Arber Gashi" or "petrovic" finds "Arbër Gashi"
# and "Petrović".
LETTER_VARIANTS = {
    "a": "aáàâAÁÀÂ",
    "c": "cçčćCÇČĆ",
    "e": "eëéèêEËÉÈÊ",
    "g": "gğGĞ",
    "i": "iíìîıİ",
    "o": "oóòôöOÓÒÔÖ",
    "s": "sšşSŠŞ",
    "u": "uúùûüUÚÙÛÜ",
    "z": "zžZŽ",
}


def fold(text: str) -> str:
    """Lower case, without diacritics, "đ" as "dj": the form names are compared in."""
    text = text.casefold().replace("đ", "dj").replace("ı", "i")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_pattern(word: str) -> str:
    """A case-insensitive regular expression matching ``word`` however it is accented.

    Works the same on SQLite (Python's ``re``) and PostgreSQL (``~*``): only character classes,
    alternation and escaped literals.
    """
    folded = fold(word)
    parts: list[str] = []
    index = 0
    while index < len(folded):
        if folded.startswith("dj", index):
            parts.append("(dj|đ|Đ)")
            index += 2
            continue
        char = folded[index]
        if char == "d":
            parts.append("[dđĐ]")
        elif char in LETTER_VARIANTS:
            parts.append(f"[{LETTER_VARIANTS[char]}]")
        else:
            parts.append(re.escape(char))
        index += 1
    return "".join(parts)


def persons_named(queryset: QuerySet[Person], text: str) -> QuerySet[Person]:
    """Persons whose given or family name contains every word of ``text``, in any order."""
    for word in clean_name(text).split():
        pattern = name_pattern(word)
        queryset = queryset.filter(Q(given_name__iregex=pattern) | Q(family_name__iregex=pattern))
    return queryset
