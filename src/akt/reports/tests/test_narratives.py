"""The quarter's narratives: written per indicator and language, versioned, never lost to a
stale page, frozen while the quarter is under review, and kept by its approval."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from akt.accounts.models import AuditEntry, User
from akt.indicators.models import Indicator
from akt.reports.models import Narrative
from akt.reports.narratives import current_narratives, narrative_write
from akt.reports.services import period_approve, period_return, period_submit
from akt.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

FY, Q = 2015, 3
CODE = "lul-debates"


def write(actor: User, text: str, *, based_on: int, language: str = "sq") -> Narrative:
    return narrative_write(
        actor=actor,
        indicator=Indicator.objects.get(code=CODE),
        fiscal_year=FY,
        quarter=Q,
        language=language,
        text=text,
        based_on=based_on,
    )


def test_every_save_is_a_new_version_and_the_latest_is_current(
    reference: None, personas: dict[str, User]
) -> None:
    first = write(personas["me"], "Dy debate në Graçanicë.", based_on=0)
    second = write(personas["me"], "Dy debate në Graçanicë dhe katër në Zveçan.", based_on=1)
    write(personas["me"], "Dve debate u Gračanici.", based_on=0, language="sr-latn")
    assert (first.version, second.version) == (1, 2)
    current = current_narratives(fiscal_year=FY, quarter=Q)
    assert current[CODE]["sq"].text == "Dy debate në Graçanicë dhe katër në Zveçan."
    assert current[CODE]["sr-latn"].version == 1
    assert Narrative.objects.filter(language="sq").count() == 2  # the first is kept
    entries = AuditEntry.objects.filter(action="narrative_write").order_by("pk")
    assert [entry.changes["version"] for entry in entries] == [1, 2, 1]


def test_a_stale_page_cannot_replace_a_newer_text(
    reference: None, personas: dict[str, User]
) -> None:
    other = UserFactory(username="me2", role="me_officer", first_name="Drita", last_name="Berisha")
    write(personas["me"], "Teksti i parë.", based_on=0)
    write(other, "Teksti i Dritës.", based_on=1)
    with pytest.raises(ValidationError, match="Drita Berisha saved a newer version"):
        write(personas["me"], "Teksti im, nga faqja e vjetër.", based_on=1)
    assert current_narratives(fiscal_year=FY, quarter=Q)[CODE]["sq"].text == "Teksti i Dritës."


@pytest.mark.parametrize("persona", ["focal_gracanica", "donor", "staff"])
def test_only_officers_who_report_write(
    reference: None, personas: dict[str, User], persona: str
) -> None:
    with pytest.raises(PermissionDenied):
        write(personas[persona], "Tekst.", based_on=0)
    assert not Narrative.objects.exists()


@pytest.mark.parametrize(
    ("text", "language", "message"),
    [("   ", "sq", "Write the narrative"), ("Text", "de", "report's languages"),
     ("x" * 20_001, "en", "at most 20000 characters")],
)  # fmt: skip
def test_bad_input_is_refused_with_a_clear_error(
    reference: None, personas: dict[str, User], text: str, language: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        write(personas["me"], text, based_on=0, language=language)


def test_a_quarter_under_review_keeps_its_narratives_and_approval_freezes_them(
    reference: None, personas: dict[str, User]
) -> None:
    reviewer = UserFactory(username="me2", role="me_officer")
    write(personas["me"], "Dy debate.", based_on=0)
    period = period_submit(actor=personas["me"], fiscal_year=FY, quarter=Q)
    with pytest.raises(ValidationError, match="submitted or approved"):
        write(personas["me"], "Ndryshim gjatë shqyrtimit.", based_on=1)
    period = period_return(actor=reviewer, period=period, comment="Shto Zveçanin.")
    write(personas["me"], "Dy debate në Graçanicë, katër në Zveçan.", based_on=1)
    period = period_submit(actor=personas["me"], fiscal_year=FY, quarter=Q)
    snapshot = period_approve(actor=reviewer, period=period)
    assert snapshot.narratives == {
        CODE: {"sq": {"version": 2, "text": "Dy debate në Graçanicë, katër në Zveçan."}}
    }


def test_the_pages_read_for_everyone_and_write_for_officers(
    client_for, reference: None, personas: dict[str, User]
) -> None:
    url = reverse("reports:narrative", args=[FY, Q, CODE]) + "?language=sr"
    officer = client_for("me")
    page = officer.get(url)
    assert page.status_code == 200 and 'name="text"' in page.content.decode()
    saved = officer.post(url, {"text": "Две дебате у Грачаници.", "based_on": 0})
    assert saved.status_code == 302
    assert Narrative.objects.get(language="sr").text == "Две дебате у Грачаници."

    listing = client_for("donor").get(reverse("reports:narratives", args=[FY, Q]))
    assert "version 1" in listing.content.decode()
    donor_page = client_for("donor").get(url).content.decode()
    assert "Две дебате у Грачаници." in donor_page and 'name="text"' not in donor_page
    assert client_for("donor").post(url, {"text": "x", "based_on": 1}).status_code == 403

    stale = officer.post(url, {"text": "Стари текст.", "based_on": 0})
    assert stale.status_code == 200
    body = stale.content.decode()
    assert "saved a newer version" in body and "Стари текст." in body  # nothing typed is lost
    assert Narrative.objects.filter(language="sr").count() == 1


def test_a_quarter_outside_the_program_has_no_narratives(client_for, reference: None) -> None:
    assert client_for("me").get(reverse("reports:narratives", args=[2030, 1])).status_code == 404
