"""Forms of the import pages: the upload, the column mapping, the answers per row, the rollback.

Each form only gathers and checks what the person chose; the intake services decide everything
about the file itself and say why they refuse it, and the views put that reason beside the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from akt.activities.models import Activity
from akt.forms import form_field
from akt.intake.fields import Field
from akt.intake.models import ImportKind
from akt.intake.services import NEW
from akt.intake.sources.base import Limits, file_size
from akt.intake.sources.encoding import ENCODINGS

OFFERED_ENCODINGS = ("utf-8", "cp1250", "cp1251", "cp1252")
"""The encodings a person may force for a CSV: the ones the municipalities' computers write."""

DETECT = ""

MAX_SHEET_ROW = 1_048_576
"""The last row an Excel sheet has."""


class ActivityChoiceField(forms.ModelChoiceField):
    """An activity named with its start date: several activities can share a title."""

    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.title} ({date_format(obj.start_date, 'SHORT_DATE_FORMAT')})"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file: a filled-in template, or an export of the "
            "attendance form from Kobo or ODK."
        ),
    )
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=ImportKind.choices,
        initial=ImportKind.ROSTER,
        widget=forms.RadioSelect,
    )
    activity = ActivityChoiceField(
        label=_("Activity"),
        queryset=Activity.objects.none(),
        required=False,
        empty_label=_("The activity the file names"),
        help_text=_("Leave it to the file when it was downloaded as a template for one activity."),
    )
    encoding = forms.ChoiceField(
        label=_("Text encoding (CSV only)"),
        choices=[(DETECT, _("Detect"))] + [(code, ENCODINGS[code]) for code in OFFERED_ENCODINGS],
        required=False,
        initial=DETECT,
        help_text=_("Leave it on “Detect” unless the page said it could not tell."),
    )

    def __init__(self, *args: Any, activities: QuerySet[Activity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "activity", forms.ModelChoiceField).queryset = activities

    def clean_file(self) -> UploadedFile:
        """Refuses a file over the size limit before it is read into memory."""
        uploaded = self.cleaned_data["file"]
        limit = Limits().max_file_bytes
        if uploaded.size > limit:
            raise forms.ValidationError(
                _(
                    "%(file)s is %(size)s; files up to %(limit)s are read. Split it into "
                    "smaller files."
                ),
                code="too-large",
                params={
                    "file": uploaded.name,
                    "size": file_size(uploaded.size),
                    "limit": file_size(limit),
                },
            )
        return uploaded


class MappingForm(forms.Form):
    """Which field each column of the file holds; one select per column."""

    remember = forms.BooleanField(
        label=_("Remember these columns for the next files of this source"),
        required=False,
        initial=True,
    )

    def __init__(
        self,
        *args: Any,
        headers: Sequence[str],
        fields: Iterable[Field],
        mapping: Mapping[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Not imported"))] + [(item.code, item.label) for item in fields]
        self.columns: list[str] = []
        for index, header in enumerate(headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header or _("Column %(number)s without a name") % {"number": index + 1},
                choices=choices,
                required=False,
                initial=mapping.get(str(index), ""),
            )
            self.columns.append(name)
        self.order_fields([*self.columns, "remember"])

    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.columns]

    def mapping(self) -> dict[str, str]:
        """Column index (as text) -> field code, for the columns given a field."""
        return {
            name.removeprefix("column_"): self.cleaned_data[name]
            for name in self.columns
            if self.cleaned_data.get(name)
        }


class LayoutForm(forms.Form):
    """How the file is read, as the officer corrects it: which row holds the column names,
    whether totals, signatures and notes below the data are left out, and, in a workbook of
    several sheets, which sheet."""

    header_row = forms.IntegerField(
        label=_("Header row"),
        min_value=1,
        max_value=MAX_SHEET_ROW,
        required=False,
        help_text=_(
            "The row holding the column names, as the spreadsheet numbers it. Leave it empty to "
            "let the program find it."
        ),
    )
    skip_footer = forms.BooleanField(
        label=_("Leave out totals, signatures and notes below the data"),
        required=False,
    )
    sheet = forms.ChoiceField(label=_("Sheet"), required=False)

    def __init__(self, *args: Any, sheet_names: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(sheet_names) > 1:
            form_field(self, "sheet", forms.ChoiceField).choices = [
                (name, name) for name in sheet_names
            ]
        else:
            del self.fields["sheet"]


class RowChoicesForm(forms.Form):
    """The person each shown roster row stands for: one of its candidates, or a new person.

    ``rows`` maps a row number to its options ``[(value, label), ...]`` and its current answer;
    :meth:`changed` gives only the answers that differ, so a row whose stored answer the viewer
    cannot see (a person outside their scope, chosen by someone else) is left as it was.
    """

    def __init__(
        self,
        *args: Any,
        rows: Mapping[int, tuple[Sequence[tuple[str, str]], str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.current: dict[int, str] = {}
        for number, (options, current) in rows.items():
            self.fields[f"row_{number}"] = forms.ChoiceField(
                label=_("Row %(row)s is") % {"row": number},
                choices=options,
                initial=current,
            )
            self.current[number] = current

    def changed(self) -> dict[int, int | str]:
        answers: dict[int, int | str] = {}
        for number, current in self.current.items():
            value = self.cleaned_data.get(f"row_{number}")
            if value and value != current:
                answers[number] = NEW if value == NEW else int(value)
        return answers


class RollbackForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is this import rolled back?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log with your name."),
    )


class TemplateForm(forms.Form):
    """Which template to download: a roster or a tally, in which language."""

    kind = forms.ChoiceField(
        label=_("Template"), choices=ImportKind.choices, initial=ImportKind.ROSTER
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class FolderUploadForm(forms.Form):
    """A zip of an office's lists and rosters, checked whole before anything is imported."""

    file = forms.FileField(
        label=_("Zip file"),
        help_text=_(
            "A .zip of lists (activities, organizations, grants, plans, plan actions, projects) "
            "and a roster or tally per activity, each named after the activity's reference."
        ),
    )
    new_persons = forms.BooleanField(
        label=_(
            "Register rows that may be a registered person, below the suggestion threshold, "
            "as new persons"
        ),
        required=False,
    )

    def clean_file(self) -> UploadedFile:
        """Refuses a zip that is not one, or is over the size limit, before it is read."""
        from akt.intake.folder import MAX_UPLOAD_BYTES

        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(".zip"):
            raise forms.ValidationError(
                _(
                    "%(file)s is not a .zip file. Import a single sheet on the “Import a file” "
                    "page."
                ),
                code="not-a-zip",
                params={"file": uploaded.name},
            )
        if uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _(
                    "%(file)s is %(size)s; zips up to %(limit)s are read. Split it into "
                    "smaller zips."
                ),
                code="too-large",
                params={
                    "file": uploaded.name,
                    "size": file_size(uploaded.size),
                    "limit": file_size(MAX_UPLOAD_BYTES),
                },
            )
        return uploaded


class FolderCommitForm(forms.Form):
    """The zip checked on the preview, named by its fingerprint, and the choice made there."""

    digest = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
    file_name = forms.CharField(max_length=255, widget=forms.HiddenInput)
    new_persons = forms.BooleanField(required=False, widget=forms.HiddenInput)
