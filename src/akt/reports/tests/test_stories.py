"""Success stories: written in every language by whoever may tell of the records, carried into
the quarterly report with their photo when its persons agreed, kept by the quarter's approval
byte for byte, and audited."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from akt.accounts.models import AuditEntry, User
from akt.capacity.models import CapacityDevelopmentPlan
from akt.counting.periods import Period
from akt.demo.stories import stories_populate
from akt.evidence.models import Attachment, EvidenceKind
from akt.evidence.services import attachment_add, attachment_remove
from akt.grants.models import Grant
from akt.indicators.selectors import life_of_project
from akt.reports.document import Picture, document_text, docx_bytes, pdf_bytes
from akt.reports.document_json import document_as_json, document_from_json
from akt.reports.models import PeriodSnapshot, StoryStatus, SuccessStory
from akt.reports.photos import MAX_PIXELS, ChangedPhoto, PhotoDrawing, photo_png
from akt.reports.report_builders import ReportKind, report_data, report_document
from akt.reports.report_files import ReportRequest, report_file_bytes, report_file_document
from akt.reports.services import period_approve, period_submit
from akt.reports.stories import story_create, story_update
from akt.reports.tests.records import ZVECAN_MARK, Place, text_of
from akt.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

QUARTER = Period.fiscal_quarter(2015, 3)  # the records' debates are on 12 May 2015
TEXTS = {
    "title_en": "Two communities at one table in Gračanica",
    "text_en": (
        "At the public debate on the Law on the Use of Languages, Serbian and Albanian residents "
        "of Gračanica asked the municipality together for bilingual signs.\n\n"
        "The municipality put the signs in its budget for the next year."
    ),
    "title_sq": "Dy komunitete në një tryezë në Graçanicë",
    "text_sq": (
        "Në debatin publik për Ligjin për përdorimin e gjuhëve, banorët serbë dhe shqiptarë të "
        "Graçanicës i kërkuan së bashku komunës mbishkrime dygjuhëshe.\n\n"
        "Komuna i përfshiu mbishkrimet në buxhetin e vitit të ardhshëm."
    ),
    "title_sr_latn": "Dve zajednice za jednim stolom u Gračanici",
    "text_sr_latn": (
        "Na javnoj debati o Zakonu o upotrebi jezika, srpski i albanski stanovnici Gračanice "
        "zajedno su tražili od opštine dvojezične natpise.\n\n"
        "Opština je natpise uvrstila u budžet za sledeću godinu."
    ),
}
SHOWN = {  # what a reader of each language reads: the title and the text's last paragraph
    "en": (TEXTS["title_en"], "The municipality put the signs in its budget for the next year."),
    "sq": (TEXTS["title_sq"], "Komuna i përfshiu mbishkrimet në buxhetin e vitit të ardhshëm."),
    "sr-latn": (TEXTS["title_sr_latn"], "Opština je natpise uvrstila u budžet za sledeću godinu."),
    "sr": ("Две заједнице за једним столом у Грачаници",
           "Општина је натписе уврстила у буџет за следећу годину."),
}  # fmt: skip


SECTION = {"sq": "Tregime suksesi", "sr": "Приче о успеху"}
RECORDS = {"sq": "Aktivitetet", "sr": "Активности"}


def picture_bytes(colour: tuple[int, int, int], size: tuple[int, int] = (120, 80), kind="PNG"):
    """A small drawn picture standing for a photo (no person in it)."""
    image = Image.new("RGB", size, colour)
    image.paste((255, 255, 255), (10, 10, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format=kind)
    return buffer.getvalue()


PHOTO = picture_bytes((30, 120, 60))


def write_story(
    actor: User, place: Place, *, status: str = StoryStatus.READY, consent: bool = True, **texts
) -> SuccessStory:
    return story_create(
        actor=actor,
        fiscal_year=QUARTER.year,
        quarter=QUARTER.quarter,
        activities=[place.debates[0]],
        photo_consent=consent,
        status=status,
        **{**TEXTS, **texts},
    )


def attach_photo(actor: User, story: SuccessStory, data: bytes = PHOTO) -> Attachment:
    return attachment_add(
        actor=actor,
        target=story,
        kind=EvidenceKind.PHOTO,
        title="At the debate",
        file_name="debate.png",
        data=data,
    )


def build(language: str):
    data = report_data(
        ReportKind.QUARTERLY, QUARTER, lop=life_of_project(), today=dt.date(2026, 12, 7)
    )
    return report_document(data, language=language, dated=dt.datetime(2026, 12, 7, 12, 0))


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def docx_media(content: bytes) -> list[bytes]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return [archive.read(name) for name in archive.namelist() if name.startswith("word/media/")]


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


@pytest.fixture
def gracanica_story(two_places: dict[str, Place], personas: dict[str, User]) -> SuccessStory:
    story = write_story(personas["me"], two_places["gracanice"])
    attach_photo(personas["me"], story)
    return story


# -- carried into the report ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sq", "sr"])
def test_a_story_goes_into_the_quarterly_report_in_its_language_with_its_photo(
    gracanica_story: SuccessStory, client_for, language: str
) -> None:
    title, last = SHOWN[language]
    document = build(language)
    text = document_text(document)
    assert title in text and last in text
    assert text.index(SECTION[language]) < text.index(title)  # under its section's heading
    photos = [
        block
        for block in document.blocks
        if isinstance(block, Picture) and isinstance(block.drawing, PhotoDrawing)
    ]
    assert [photo.title for photo in photos] == [title]  # captioned with the story's title
    debate_title = gracanica_story.activities.get().title
    assert f"{RECORDS[language]}: {debate_title}" in text  # the record it tells of, by name

    word = docx_bytes(document)
    paragraphs = [paragraph.text for paragraph in docx.Document(io.BytesIO(word)).paragraphs]
    assert title in paragraphs and last in paragraphs
    assert photo_png(PHOTO) in docx_media(word)  # the photo itself, as PNG
    pdf = pdf_text(pdf_bytes(document))
    assert title in pdf and last in pdf

    client = client_for("donor")
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(reverse("reports:report", args=["quarterly"]) + f"?period={QUARTER.key}")
    assert title in text_of(page) and last in text_of(page)
    html = page.content.decode()
    assert f'aria-label="{title}"><image' in html and "data:image/" in html  # the photo


def test_the_story_section_follows_the_narratives_and_says_when_there_is_none(
    two_places: dict[str, Place], personas: dict[str, User]
) -> None:
    write_story(personas["me"], two_places["gracanice"], status=StoryStatus.DRAFT)
    text = document_text(build("en"))
    assert text.index("What happened this quarter") < text.index("Success stories")
    assert "No success story is ready for this quarter." in text  # a draft is not carried
    assert TEXTS["title_en"] not in text


def test_without_consent_the_photo_stays_out_of_the_report(
    two_places: dict[str, Place], personas: dict[str, User], client_for
) -> None:
    story = write_story(personas["me"], two_places["gracanice"], consent=False)
    attach_photo(personas["me"], story)
    document = build("en")
    assert TEXTS["title_en"] in document_text(document)  # the story goes in, without the photo
    assert not any(
        isinstance(block, Picture) and isinstance(block.drawing, PhotoDrawing)
        for block in document.blocks
    )
    assert photo_png(PHOTO) not in docx_media(docx_bytes(document))
    page = client_for("me").get(reverse("reports:story", args=[story.pk])).content.decode()
    assert "not recorded: the photo stays out of the report" in page

    story_update(
        actor=personas["me"], story=story, based_on=story.revision, data={"photo_consent": True}
    )
    assert photo_png(PHOTO) in docx_media(docx_bytes(build("en")))


def test_a_photo_is_written_as_png_upright_and_scaled_down(
    two_places: dict[str, Place], personas: dict[str, User]
) -> None:
    large = picture_bytes((200, 40, 40), size=(2400, 1200), kind="JPEG")
    story = write_story(personas["me"], two_places["gracanice"])
    attachment = attachment_add(
        actor=personas["me"],
        target=story,
        kind=EvidenceKind.PHOTO,
        title="Large",
        file_name="large.jpg",
        data=large,
    )
    png = PhotoDrawing(attachment.pk, attachment.sha256).png()
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (MAX_PIXELS, MAX_PIXELS // 2)
    assert PhotoDrawing(attachment.pk, attachment.sha256).png() == png  # the same bytes again


# -- who writes and reads ---------------------------------------------------------------------


def test_a_focal_point_writes_a_story_of_their_municipalitys_records_only(
    two_places: dict[str, Place], client_for, personas: dict[str, User]
) -> None:
    create = reverse("reports:story_create", args=[QUARTER.year, QUARTER.quarter])
    client = client_for("focal_gracanica")
    form_page = client.get(create).content.decode()
    assert two_places["gracanice"].debates[0].title in form_page
    assert ZVECAN_MARK not in form_page  # another municipality's records are not offered

    theirs = two_places["zvecan"].debates[0]
    refused = client.post(create, {**TEXTS, "period": QUARTER.key, "status": "ready",
                                   "activities": [theirs.pk]})  # fmt: skip
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    with pytest.raises(PermissionDenied):
        story_create(
            actor=personas["focal_gracanica"],
            fiscal_year=QUARTER.year,
            quarter=QUARTER.quarter,
            activities=[theirs],
            **TEXTS,
        )
    mine = two_places["gracanice"].debates[0]
    saved = client.post(create, {**TEXTS, "period": QUARTER.key, "status": "ready",
                                 "activities": [mine.pk]})  # fmt: skip
    story = SuccessStory.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "reports:story", args=[story.pk]
    )
    assert story.written_by == personas["focal_gracanica"]
    assert list(story.activities.all()) == [mine]


def test_another_municipalitys_focal_point_neither_opens_nor_links_the_story(
    gracanica_story: SuccessStory, client_for
) -> None:
    client = client_for("focal_zvecan")
    photo = Attachment.objects.get()
    assert client.get(reverse("reports:story", args=[gracanica_story.pk])).status_code == 404
    assert client.get(reverse("reports:story_update", args=[gracanica_story.pk])).status_code == 404
    assert client.get(reverse("evidence:open", args=[photo.pk])).status_code == 404
    listed = client.get(reverse("reports:stories", args=[QUARTER.year, QUARTER.quarter]))
    assert listed.status_code == 200 and TEXTS["title_en"] not in listed.content.decode()
    own = client_for("focal_gracanica")
    assert own.get(reverse("reports:story", args=[gracanica_story.pk])).status_code == 200
    assert own.get(reverse("evidence:open", args=[photo.pk])).content == PHOTO


def test_the_donor_reads_ready_stories_without_their_photo_and_writes_none(
    gracanica_story: SuccessStory,
    two_places: dict[str, Place],
    client_for,
    personas: dict[str, User],
) -> None:
    draft = write_story(personas["me"], two_places["zvecan"], status=StoryStatus.DRAFT,
                        title_en="A draft in Zvečan")  # fmt: skip
    client = client_for("donor")
    listed = client.get(reverse("reports:stories", args=[QUARTER.year, QUARTER.quarter]))
    assert TEXTS["title_en"] in listed.content.decode()
    assert "A draft in Zvečan" not in listed.content.decode()
    assert "Write a success story" not in listed.content.decode()
    assert client.get(reverse("reports:story", args=[draft.pk])).status_code == 404
    page = client.get(reverse("reports:story", args=[gracanica_story.pk])).content.decode()
    assert SHOWN["sr"][0] in page  # every language, the Cyrillic derived
    assert "shows persons and is not shown to your role" in page
    photo = Attachment.objects.get()
    assert reverse("evidence:open", args=[photo.pk]) not in page
    assert client.get(reverse("evidence:open", args=[photo.pk])).status_code == 404
    assert client.get(reverse("reports:story_update", args=[gracanica_story.pk])).status_code == 403
    create = reverse("reports:story_create", args=[QUARTER.year, QUARTER.quarter])
    assert client.get(create).status_code == 403
    assert client.post(create, {**TEXTS, "period": QUARTER.key}).status_code == 403
    with pytest.raises(PermissionDenied):
        story_update(
            actor=personas["donor"], story=gracanica_story, based_on=1, data={"text_en": "x"}
        )
    assert (
        client_for(None).get(reverse("reports:story", args=[gracanica_story.pk])).status_code == 302
    )


def test_the_quarter_pages_lead_to_its_stories(gracanica_story: SuccessStory, client_for) -> None:
    stories = reverse("reports:stories", args=[QUARTER.year, QUARTER.quarter])
    for page in ("reports:narratives", "reports:period"):
        html = client_for("me").get(reverse(page, args=[QUARTER.year, QUARTER.quarter]))
        assert f'href="{stories}"' in html.content.decode()
    listed = client_for("me").get(stories).content.decode()
    assert reverse("reports:narratives", args=[QUARTER.year, QUARTER.quarter]) in listed
    assert "consent recorded" in listed


# -- writing: rules, audit -------------------------------------------------------------------


def test_a_ready_story_is_told_in_every_language_and_of_a_record(
    two_places: dict[str, Place], personas: dict[str, User]
) -> None:
    with pytest.raises(ValidationError) as error:
        write_story(personas["me"], two_places["gracanice"], title_sq="", text_sr_latn="")
    assert set(error.value.error_dict) == {"title_sq", "text_sr_latn"}
    with pytest.raises(ValidationError, match="at least one record"):
        story_create(
            actor=personas["me"], fiscal_year=QUARTER.year, quarter=QUARTER.quarter, **TEXTS
        )
    with pytest.raises(ValidationError, match="quarter the program ran in"):
        story_create(
            actor=personas["me"],
            fiscal_year=2030,
            quarter=1,
            activities=[two_places["gracanice"].debates[0]],
            **TEXTS,
        )
    draft = write_story(personas["me"], two_places["gracanice"], status=StoryStatus.DRAFT,
                        title_sq="", text_sq="")  # fmt: skip
    assert draft.status == StoryStatus.DRAFT  # a draft may wait for its translations
    assert not SuccessStory.objects.exclude(pk=draft.pk).exists()


def test_every_write_is_audited_and_a_stale_page_is_refused(
    gracanica_story: SuccessStory, two_places: dict[str, Place], personas: dict[str, User]
) -> None:
    created = AuditEntry.objects.get(action="story_create")
    assert created.actor == personas["me"] and created.target_id == str(gracanica_story.pk)
    assert created.changes["text_sq"] == TEXTS["text_sq"]
    assert created.changes["activities"] == [two_places["gracanice"].debates[0].pk]
    assert AuditEntry.objects.filter(action="attachment_add").count() == 1

    other = UserFactory(username="me2", role="me_officer")
    second = two_places["gracanice"].debates[1]
    saved = story_update(
        actor=other,
        story=gracanica_story,
        based_on=1,
        data={
            "text_sq": "Teksti i ri.",
            "activities": [two_places["gracanice"].debates[0], second],
        },
    )
    assert saved.revision == 2 and saved.text_sq == "Teksti i ri."
    entry = AuditEntry.objects.get(action="story_update")
    assert entry.actor == other
    assert entry.changes["text_sq"] == [TEXTS["text_sq"], "Teksti i ri."]
    assert entry.changes["activities"] == [
        [two_places["gracanice"].debates[0].pk],
        sorted([two_places["gracanice"].debates[0].pk, second.pk]),
    ]
    with pytest.raises(ValidationError, match="Someone saved this story"):
        story_update(actor=personas["me"], story=saved, based_on=1, data={"text_sq": "Mine."})
    story_update(actor=personas["me"], story=saved, based_on=2, data={"text_sq": "Teksti i ri."})
    assert AuditEntry.objects.filter(action="story_update").count() == 1  # nothing changed


def test_the_edit_page_saves_through_the_service(gracanica_story: SuccessStory, client_for) -> None:
    url = reverse("reports:story_update", args=[gracanica_story.pk])
    page = client_for("focal_gracanica").get(url)
    assert page.status_code == 200 and TEXTS["text_sq"].split("\n")[0] in page.content.decode()
    debates = [activity.pk for activity in gracanica_story.activities.all()]
    data = {**TEXTS, "period": QUARTER.key, "status": "ready", "photo_consent": "on",
            "activities": debates, "based_on": 1}  # fmt: skip
    saved = client_for("focal_gracanica").post(url, {**data, "title_en": "A new title"})
    assert saved.status_code == 302
    stale = client_for("me").post(url, {**data, "title_en": "An older page's title"})
    assert "Someone saved this story" in stale.content.decode()
    assert SuccessStory.objects.get().title_en == "A new title"
    again = client_for("me").post(url, {**data, "title_en": "An older page's title",
                                        "based_on": 2})  # fmt: skip
    assert again.status_code == 302
    assert SuccessStory.objects.get().title_en == "An older page's title"


# -- kept by the approval ----------------------------------------------------------------------


@pytest.fixture
def approved(gracanica_story: SuccessStory, personas: dict[str, User]) -> PeriodSnapshot:
    reviewer = UserFactory(username="me2", role="me_officer")
    period = period_submit(actor=personas["me"], fiscal_year=QUARTER.year,
                           quarter=QUARTER.quarter, note="")  # fmt: skip
    return period_approve(actor=reviewer, period=period)


def test_an_approved_quarter_keeps_its_story_byte_for_byte(
    approved: PeriodSnapshot, gracanica_story: SuccessStory, personas: dict[str, User], client_for
) -> None:
    photo = Attachment.objects.get()
    kept = approved.reports["sq"]
    drawings = [block["drawing"] for block in kept["blocks"] if "picture" in block]
    assert {"kind": "photo", "attachment": photo.pk, "sha256": photo.sha256,
            "label": TEXTS["title_sq"]} in drawings  # fmt: skip
    assert document_as_json(document_from_json(kept)) == kept
    requests = [
        ReportRequest(ReportKind.QUARTERLY, QUARTER, language, extension)
        for language in ("sq", "sr")
        for extension in ("docx", "pdf")
    ]
    before = {request: report_file_bytes(request) for request in requests}
    assert all(approved_file for _content, approved_file in before.values())

    page = client_for("me").get(reverse("reports:story", args=[gracanica_story.pk]))
    assert "the story is as it was put forward" in page.content.decode()
    assert reverse("evidence:add", args=["reports.successstory", gracanica_story.pk]) not in (
        page.content.decode()
    )
    edit = client_for("me").get(reverse("reports:story_update", args=[gracanica_story.pk]))
    assert "<textarea" not in edit.content.decode()
    with pytest.raises(ValidationError, match="submitted or approved"):
        story_update(actor=personas["me"], story=gracanica_story, based_on=1,
                     data={"text_sq": "Ndryshuar."})  # fmt: skip
    # Changed all the same, behind the service's back, and its photo replaced.
    SuccessStory.objects.filter(pk=gracanica_story.pk).update(
        title_sq="Titull tjetër", text_sq="Tekst tjetër.", photo_consent=False
    )
    attachment_remove(actor=personas["me"], attachment=photo, reason="A better photo came.")
    attach_photo(personas["me"], gracanica_story, picture_bytes((200, 200, 0)))

    for request in requests:
        assert report_file_bytes(request) == before[request], request.file_name
    document, snapshot = report_file_document(requests[0])
    assert snapshot is not None and TEXTS["title_sq"] in document_text(document)
    live, _none = report_file_document(
        ReportRequest(ReportKind.QUARTERLY, QUARTER, "sq", "docx", live=True)
    )
    assert "Titull tjetër" in document_text(live) and TEXTS["title_sq"] not in document_text(live)

    Attachment.objects.filter(pk=photo.pk).update(content=picture_bytes((0, 0, 0)))
    with pytest.raises(ChangedPhoto):
        report_file_bytes(requests[0])  # another file under the kept photo's name is refused


def test_the_photo_is_attached_on_the_storys_page_and_shown_there(
    two_places: dict[str, Place], client_for, personas: dict[str, User]
) -> None:
    story = write_story(personas["focal_gracanica"], two_places["gracanice"])
    client = client_for("focal_gracanica")
    page = reverse("reports:story", args=[story.pk])
    attach = reverse("evidence:add", args=["reports.successstory", story.pk])
    assert attach in client.get(page).content.decode()
    sent = client.post(
        attach,
        {"kind": "photo", "title": "At the debate", "file": _upload("debate.png", PHOTO),
         "next": page},
    )  # fmt: skip
    assert sent.status_code == 302 and sent["Location"] == page
    photo = Attachment.objects.get()
    assert photo.target == story and photo.uploaded_by == personas["focal_gracanica"]
    assert (
        f'<img src="{reverse("evidence:open", args=[photo.pk])}"'
        in client.get(page).content.decode()
    )


def test_the_demo_tells_its_stories_in_every_language_with_a_photo(
    two_places: dict[str, Place], personas: dict[str, User]
) -> None:
    counts = stories_populate(actor=personas["me"])
    assert counts["written"] >= 1
    debate = SuccessStory.objects.get(activities__municipality__code="gracanice")
    assert debate.is_ready and debate.photo_consent
    assert debate.title_sq.endswith("Graçanicë") and debate.title_sr_latn.endswith("Gračanica")
    assert all(getattr(debate, name) for name in SuccessStory.LANGUAGE_FIELDS)
    photo = Attachment.objects.get(target_id=debate.pk, kind=EvidenceKind.PHOTO)
    assert Image.open(io.BytesIO(bytes(photo.content))).size == (640, 400)
    again = stories_populate(actor=personas["me"])
    assert again["written"] == 0 and again["unchanged"] == counts["written"]
    assert Attachment.objects.count() == counts["written"]  # the same photos, not again


def test_component_staff_read_the_stories_of_their_components_records_only(
    two_places: dict[str, Place], client_for, personas: dict[str, User]
) -> None:
    grant = Grant.objects.get(reference__endswith="gracanice")  # the economic component's
    plan = CapacityDevelopmentPlan.objects.get(municipality__code="gracanice")
    of_grant = write_story(personas["me"], two_places["gracanice"], title_en="Of a grant")
    of_grant = story_update(actor=personas["me"], story=of_grant, based_on=1,
                            data={"activities": [], "grants": [grant]})  # fmt: skip
    with_plan = write_story(personas["me"], two_places["gracanice"], title_en="With a plan")
    story_update(actor=personas["me"], story=with_plan, based_on=1,
                 data={"activities": [], "grants": [grant], "plans": [plan]})  # fmt: skip
    staff = client_for("staff")
    assert staff.get(reverse("reports:story", args=[of_grant.pk])).status_code == 200
    assert staff.get(reverse("reports:story", args=[with_plan.pk])).status_code == 404  # no plans
    assert (
        client_for("focal_gracanica").get(reverse("reports:story", args=[with_plan.pk])).status_code
        == 200
    )
    with pytest.raises(PermissionDenied):  # a plan is not theirs to name
        story_update(actor=personas["staff"], story=of_grant, based_on=2, data={"plans": [plan]})


def test_the_story_list_reads_a_fixed_number_of_queries(
    two_places: dict[str, Place], client_for, personas: dict[str, User]
) -> None:
    url = reverse("reports:stories", args=[QUARTER.year, QUARTER.quarter])

    def queries(persona: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client_for(persona).get(url).status_code == 200
        return len(captured)

    attach_photo(personas["me"], write_story(personas["me"], two_places["gracanice"]))
    few = {persona: queries(persona) for persona in ("me", "focal_gracanica", "donor")}
    for number in range(4):
        story = write_story(personas["me"], two_places["gracanice"], title_en=f"Story {number}")
        attach_photo(personas["me"], story, picture_bytes((number * 40, 90, 90)))
    assert {persona: queries(persona) for persona in few} == few


def test_a_story_of_two_municipalities_shows_its_photo_only_to_who_reads_the_story(
    two_places: dict[str, Place], personas: dict[str, User], client_for
) -> None:
    """A story telling of a debate in Gračanica and one in Zvečan is read by those who see both;
    its photo follows the story, not one of its records: a focal point of either municipality
    opens neither by its address."""
    story = story_create(
        actor=personas["me"],
        fiscal_year=QUARTER.year,
        quarter=QUARTER.quarter,
        activities=[two_places["gracanice"].debates[0], two_places["zvecan"].debates[0]],
        photo_consent=True,
        status=StoryStatus.READY,
        **TEXTS,
    )
    photo = attach_photo(personas["me"], story)
    for focal in ("focal_gracanica", "focal_zvecan"):
        client = client_for(focal)
        assert client.get(reverse("reports:story", args=[story.pk])).status_code == 404
        assert client.get(reverse("evidence:open", args=[photo.pk])).status_code == 404
    assert client_for("me").get(reverse("evidence:open", args=[photo.pk])).content == PHOTO
