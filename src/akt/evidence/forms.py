from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from akt.evidence.files import EXTENSIONS, MAX_BYTES
from akt.evidence.models import EvidenceKind


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("What the file is, e.g. “Sign-in sheet, day 1”; the file's name if empty."),
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
    )

    def __init__(self, *args: object, may_see_persons: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["file"].help_text = gettext(
            "PDF, photo (JPEG, PNG, TIFF, WebP), Word, Excel or OpenDocument; up to %(mb)s MB."
        ) % {"mb": MAX_BYTES // (1024 * 1024)}
        if not may_see_persons:  # sheets and photos show persons
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [
                (value, label)
                for value, label in EvidenceKind.choices
                if value not in {EvidenceKind.SIGN_IN_SHEET, EvidenceKind.PHOTO}
            ]


class RemovalForm(forms.Form):
    reason = forms.CharField(label=_("Why is the file removed?"), max_length=500)
