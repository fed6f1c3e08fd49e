"""Success stories: a short text with a photo, told of named records, carried into the report.

A quarterly report tells, beside its figures, a few stories of what the work changed: a debate
where two communities sat at one table, a grantee's business, a plan a municipal assembly
adopted. A :class:`~akt.reports.models.SuccessStory` is written in English, Albanian and Serbian
(Latin; the Cyrillic is derived, as every Serbian text is) for one quarter, names the records
it tells of (activities, grants, infrastructure projects, capacity plans), and has a photo: a
photo attached to the story as evidence (:mod:`akt.evidence`), the latest JPEG, PNG or WebP.

The rules, each in one function below:

- **Who reads** (:func:`stories_visible`): M&E officers and administrators every story; the
  donor viewer the ready ones; component staff and focal points the stories all of whose
  records they may see (a story of another municipality's records is not theirs to open).
- **Who writes** (:func:`story_create`, :func:`story_update`): whoever edits records, with
  records from their own scope only (a focal point writes of their municipality's records).
  Every save is audited with what changed. A save names the revision its page showed and is
  refused when someone saved another meanwhile, so a stale page never silently replaces a
  newer text.
- **Frozen with the quarter** (:func:`quarter_closed`): while the quarter is submitted or
  approved its stories change no more, as its narratives do; an approved quarter's report
  keeps the stories it was approved with.
- **Ready** (:attr:`~akt.reports.models.StoryStatus.READY`): written in every language and
  telling of at least one record; only ready stories go into the report and reach the donor.
- **The photo in a report** (:func:`stories_for_report`): only with the recorded consent of the
  persons in it. Every photo is taken to show persons, as the evidence rules take it (they show
  photos only to roles that see persons, and still do on the story's page); a report goes to
  readers beyond those roles, so the consent is what lets the photo go with it.
- **Whose rule governs the photo** (:func:`story_governor`): the evidence app asks which record's
  scope rule decides who opens and attaches the story's files. The scope has no rule of its own
  for stories, so the story names one of its records: a plan first (component staff see none),
  then an activity, a grant, a project.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import audit_record
from akt.activities.models import Activity
from akt.capacity.models import CapacityDevelopmentPlan
from akt.counting.periods import Period, PeriodKind, program_periods
from akt.evidence.models import Attachment, EvidenceKind
from akt.grants.models import Grant
from akt.indicators.selectors import life_of_project
from akt.infrastructure.models import InfrastructureProject
from akt.people.natural import organization_public_label
from akt.reports.models import PeriodStatus, ReportingPeriod, StoryStatus, SuccessStory
from akt.reports.photos import PHOTO_TYPES, ChangedPhoto, PhotoDrawing, UnreadablePhoto

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_TEXT = 5_000
"""Characters in one language's text: a short story, a page at most."""


@dataclass(frozen=True)
class RecordKind:
    """A kind of record a story tells of: its field on the story, its model and the scope's
    rule for it."""

    field: str
    model: type[Model]
    rule: str


RECORD_KINDS = (
    RecordKind("activities", Activity, "activities"),
    RecordKind("grants", Grant, "grants"),
    RecordKind("projects", InfrastructureProject, "projects"),
    RecordKind("plans", CapacityDevelopmentPlan, "plans"),
)
RECORD_FIELDS = tuple(kind.field for kind in RECORD_KINDS)
TEXT_FIELDS = SuccessStory.LANGUAGE_FIELDS
FIELDS = ("fiscal_year", "quarter", *TEXT_FIELDS, "photo_consent", "status")
"""The story's own fields a writer sets (besides its records), as the audit log names them."""

_RELATED = {
    "activities": ("municipality__majority_community",),
    "grants": ("recipient", "municipality__majority_community"),
    "projects": ("municipality__majority_community",),
    "plans": ("municipality__majority_community",),
}


# -- who reads and writes -------------------------------------------------------------------


def may_write_stories(scope: Scope) -> bool:
    """Whoever edits records writes stories of them: officers, administrators, component staff
    and focal points (each of the records in their scope)."""
    return scope.may_edit


def _scoped(scope: Scope, kind: RecordKind, records: QuerySet[Any]) -> QuerySet[Any]:
    rule = getattr(scope, kind.rule)
    return rule(records)  # type: ignore[no-any-return]


def _through(kind: RecordKind) -> tuple[type[Model], str, str]:
    """The link table of a story's records of ``kind``, its story column and record column."""
    field = SuccessStory._meta.get_field(kind.field)
    through = field.remote_field.through  # type: ignore[union-attr]
    return through, field.m2m_field_name(), field.m2m_reverse_field_name()  # type: ignore[union-attr]


def _tells_of(kind: RecordKind, records: QuerySet[Any] | None = None) -> Exists:
    """The story tells of a record of ``kind`` (among ``records`` when given)."""
    through, story, record = _through(kind)
    links = through._default_manager.filter(**{story: OuterRef("pk")})
    if records is not None:
        links = links.filter(**{f"{record}__in": records.values("pk")})
    return Exists(links)


def _tells_of_other_than(kind: RecordKind, records: QuerySet[Any]) -> Exists:
    through, story, record = _through(kind)
    links = through._default_manager.filter(**{story: OuterRef("pk")})
    return Exists(links.exclude(**{f"{record}__in": records.values("pk")}))


def stories_visible(scope: Scope, stories: QuerySet[SuccessStory]) -> QuerySet[SuccessStory]:
    """The stories of ``stories`` the viewer may open.

    Every story for M&E officers and administrators; the ready ones for the donor viewer; for
    component staff and focal points, the stories that tell of at least one record and of no
    record outside their scope (a draft too: they may be writing it)."""
    if not scope.authenticated:
        return stories.none()
    if not scope.all_records:
        any_record = Q()
        for kind in RECORD_KINDS:
            any_record |= Q(_tells_of(kind))
            records = _scoped(scope, kind, kind.model._default_manager.all())
            stories = stories.exclude(_tells_of_other_than(kind, records))
        stories = stories.filter(any_record)
    if not scope.may_edit:
        stories = stories.filter(status=StoryStatus.READY)
    return stories


def story_may_see(scope: Scope, story: SuccessStory) -> bool:
    return stories_visible(scope, SuccessStory.objects.filter(pk=story.pk)).exists()


def record_choices(scope: Scope, field: str, linked: Iterable[int] = ()) -> QuerySet[Any]:
    """The records of ``field`` a writer may link: those of their scope not voided, and the
    ones the story tells of already (a record voided since stays linked until unlinked)."""
    kind = next(kind for kind in RECORD_KINDS if kind.field == field)
    records = kind.model._default_manager.filter(
        Q(voided_at__isnull=True) | Q(pk__in=list(linked))
    ).select_related(*_RELATED[field])
    return _scoped(scope, kind, records)


def story_governor(story: Model) -> Model:
    """The record whose scope rule decides who opens and attaches the story's files (see the
    module's docstring); the story itself, which nobody's rule covers, when it names none."""
    assert isinstance(story, SuccessStory)
    if story.pk is None:
        return story
    for field in ("plans", "activities", "grants", "projects"):
        found = getattr(story, field).order_by("pk").first()
        if found is not None:
            return found  # type: ignore[no-any-return]
    return story


# -- the quarter ----------------------------------------------------------------------------


def program_quarters() -> list[Period]:
    """The fiscal quarters the program ran in, first to last: those a story is reported in."""
    return [
        period for period in program_periods(life_of_project()) if period.kind == PeriodKind.QUARTER
    ]


def quarter_closed(fiscal_year: int, quarter: int, *, lock: bool = False) -> bool:
    """Whether the quarter is submitted or approved: its stories are then as put forward."""
    periods = ReportingPeriod.objects.filter(fiscal_year=fiscal_year, quarter=quarter)
    if lock:
        periods = periods.select_for_update()
    period = periods.first()
    return period is not None and period.status in (PeriodStatus.SUBMITTED, PeriodStatus.APPROVED)


def _closed_error() -> ValidationError:
    return ValidationError(
        _(
            "This quarter is submitted or approved, so its success stories are as they were put "
            "forward. Return the quarter to change them."
        ),
        code="quarter-closed",
    )


# -- the photo ------------------------------------------------------------------------------


def story_photos(stories: Sequence[SuccessStory]) -> dict[int, Attachment]:
    """Each story's photo: the latest JPEG, PNG or WebP photo attached to it and not removed
    (one query, without the files' bytes)."""
    if not stories:
        return {}
    found = (
        Attachment.objects.kept()
        .filter(
            target_type=ContentType.objects.get_for_model(SuccessStory),
            target_id__in=[story.pk for story in stories],
            kind=EvidenceKind.PHOTO,
            media_type__in=sorted(PHOTO_TYPES),
        )
        .defer("content")
        .select_related("uploaded_by")
        .order_by("target_id", "-uploaded_at", "-pk")
    )
    photos: dict[int, Attachment] = {}
    for attachment in found:
        photos.setdefault(attachment.target_id, attachment)
    return photos


def story_photo(story: SuccessStory) -> Attachment | None:
    return story_photos([story]).get(story.pk)


# -- writing ---------------------------------------------------------------------------------


def _check_quarter(fiscal_year: int, quarter: int) -> None:
    if Period.fiscal_quarter(fiscal_year, quarter) not in program_quarters():
        raise ValidationError(
            _("Choose a quarter the program ran in."), code="quarter-outside-program"
        )
    if quarter_closed(fiscal_year, quarter, lock=True):
        raise _closed_error()


def _check_texts(values: Mapping[str, Any]) -> None:
    errors = {
        name: ValidationError(
            _("A story's text holds at most %(limit)s characters; this one has %(count)s.")
            % {"limit": MAX_TEXT, "count": len(values[name])},
            code="too-long",
        )
        for name in TEXT_FIELDS
        if name.startswith("text_") and len(values[name]) > MAX_TEXT
    }
    if errors:
        raise ValidationError(errors)


def _check_records(
    actor: User, records: Mapping[str, Sequence[Model]], before: Mapping[str, set[int]]
) -> None:
    """The records are the writer's to link (in their scope; a new link not to a voided
    record), and there is at least one."""
    scope = Scope.for_user(actor)
    for kind in RECORD_KINDS:
        wanted = {record.pk for record in records[kind.field]}
        linkable = record_choices(scope, kind.field, before.get(kind.field, set()))
        if len(wanted) != linkable.filter(pk__in=wanted).count():
            raise PermissionDenied
    if not any(records[field] for field in RECORD_FIELDS):
        raise ValidationError(
            _("Name at least one record the story tells of: an activity, a grant, a project or "
              "a plan."),
            code="no-record",
        )  # fmt: skip


def _cleaned(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = dict(values)
    for name in TEXT_FIELDS:
        text = str(cleaned.get(name) or "").replace("\r\n", "\n").strip()
        cleaned[name] = text
    return cleaned


def _record_ids(records: Mapping[str, Sequence[Model]]) -> dict[str, list[int]]:
    return {field: sorted(record.pk for record in records[field]) for field in RECORD_FIELDS}


@transaction.atomic
def story_create(
    *,
    actor: User,
    fiscal_year: int,
    quarter: int,
    title_en: str,
    text_en: str,
    title_sq: str = "",
    text_sq: str = "",
    title_sr_latn: str = "",
    text_sr_latn: str = "",
    activities: Sequence[Activity] = (),
    grants: Sequence[Grant] = (),
    projects: Sequence[InfrastructureProject] = (),
    plans: Sequence[CapacityDevelopmentPlan] = (),
    photo_consent: bool = False,
    status: str = StoryStatus.DRAFT,
) -> SuccessStory:
    """Writes a new story for the quarter. Raises PermissionDenied for a viewer who does not
    write or a record outside their scope, and ValidationError for a quarter outside the program
    or closed, a missing or overlong text, no record, or a ready story not told in every
    language."""
    if not may_write_stories(Scope.for_user(actor)):
        raise PermissionDenied
    values = _cleaned(
        {
            "title_en": title_en,
            "text_en": text_en,
            "title_sq": title_sq,
            "text_sq": text_sq,
            "title_sr_latn": title_sr_latn,
            "text_sr_latn": text_sr_latn,
        }
    )
    records = {"activities": activities, "grants": grants, "projects": projects, "plans": plans}
    _check_quarter(fiscal_year, quarter)
    _check_texts(values)
    _check_records(actor, records, {})
    story = SuccessStory(
        fiscal_year=fiscal_year,
        quarter=quarter,
        photo_consent=photo_consent,
        status=status,
        written_by=actor,
        written_at=timezone.now(),
        **values,
    )
    story.full_clean()
    story.save()
    for field in RECORD_FIELDS:
        getattr(story, field).set(records[field])
    audit_record(
        actor=actor,
        action="story_create",
        target=story,
        summary=f"{story.title_en} (FY{fiscal_year} Q{quarter})",
        changes={
            **{name: getattr(story, name) for name in FIELDS},
            **_record_ids(records),
        },
    )
    return story


def _stale_error(stored: SuccessStory) -> ValidationError:
    return ValidationError(
        _(
            "Someone saved this story at %(when)s while you were editing it, so your changes "
            "were not saved. Read the saved story, then save yours again if it should replace it."
        )
        % {"when": time_format(timezone.localtime(stored.updated_at), "TIME_FORMAT")},
        code="stale",
    )


@transaction.atomic
def story_update(
    *, actor: User, story: SuccessStory, based_on: int, data: Mapping[str, Any]
) -> SuccessStory:
    """Saves the writer's changes to ``story``: any of :data:`FIELDS` and the records
    (:data:`RECORD_FIELDS`, sequences of records) in ``data``.

    ``based_on`` is the revision the writer's page showed; a save made meanwhile refuses this
    one. Refused as :func:`story_create` refuses, and while the story's quarter (the one it is
    in, and the one it moves to) is submitted or approved. Nothing changed: nothing saved."""
    unknown = set(data) - set(FIELDS) - set(RECORD_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    scope = Scope.for_user(actor)
    stored = SuccessStory.objects.select_for_update().get(pk=story.pk)
    if not may_write_stories(scope) or not story_may_see(scope, stored):
        raise PermissionDenied
    if quarter_closed(stored.fiscal_year, stored.quarter, lock=True):
        raise _closed_error()
    if stored.revision != based_on:
        raise _stale_error(stored)
    before_values = {name: getattr(stored, name) for name in FIELDS}
    before_records = {
        field: set(getattr(stored, field).values_list("pk", flat=True)) for field in RECORD_FIELDS
    }
    values = _cleaned({**before_values, **{k: v for k, v in data.items() if k in FIELDS}})
    records: dict[str, Sequence[Model]] = {
        field: list(data[field]) if field in data else list(getattr(stored, field).all())
        for field in RECORD_FIELDS
    }
    if (values["fiscal_year"], values["quarter"]) != (stored.fiscal_year, stored.quarter):
        _check_quarter(values["fiscal_year"], values["quarter"])
    _check_texts(values)
    _check_records(actor, records, before_records)
    changes: dict[str, Any] = {
        name: [before_values[name], values[name]]
        for name in FIELDS
        if before_values[name] != values[name]
    }
    after_records = {field: {record.pk for record in records[field]} for field in RECORD_FIELDS}
    changes.update(
        {
            field: [sorted(before_records[field]), sorted(after_records[field])]
            for field in RECORD_FIELDS
            if before_records[field] != after_records[field]
        }
    )
    if not changes:
        return stored
    for name in FIELDS:
        setattr(stored, name, values[name])
    stored.revision += 1
    stored.full_clean()
    stored.save(update_fields=[*(name for name in FIELDS if name in changes), "revision",
                               "updated_at"])  # fmt: skip
    for field in RECORD_FIELDS:
        if field in changes:
            getattr(stored, field).set(records[field])
    audit_record(
        actor=actor,
        action="story_update",
        target=stored,
        summary=f"{stored.title_en} (FY{stored.fiscal_year} Q{stored.quarter}) "
        f"revision {stored.revision}",
        changes=changes,
    )
    return stored


# -- into the report ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportedStory:
    """A ready story as a report carries it: the story (its texts in every language), the
    photo when it may go with it, and the names of the records it tells of that count (not
    voided), by kind."""

    story: SuccessStory
    photo: PhotoDrawing | None
    activities: tuple[str, ...]
    grants: tuple[StrOrPromise, ...]
    """Each grant's reference and recipient, the recipient worded in the report's language."""
    projects: tuple[str, ...]
    plans: tuple[str, ...]


_public_label = lazy(organization_public_label, str)
"""A recipient as a report names it, worded when the report is written in its language."""


def _counted(model: type[Model], *related: str) -> QuerySet[Any]:
    return model._default_manager.filter(voided_at__isnull=True).select_related(*related)


def _readable(drawing: PhotoDrawing) -> bool:
    """Whether the report's writers can draw the photo (checked once; the PNG is kept)."""
    try:
        drawing.png()
    except (ChangedPhoto, UnreadablePhoto):
        return False
    return True


def stories_for_report(*, fiscal_year: int, quarter: int) -> list[ReportedStory]:
    """The quarter's ready stories, oldest first, each with its photo when its persons'
    consent is recorded and the file is a photo the report can hold."""
    stories = list(
        SuccessStory.objects.filter(
            fiscal_year=fiscal_year, quarter=quarter, status=StoryStatus.READY
        ).prefetch_related(
            Prefetch("activities", _counted(Activity).order_by("start_date", "pk")),
            Prefetch("grants", _counted(Grant, "recipient").order_by("award_date", "pk")),
            Prefetch("projects", _counted(InfrastructureProject).order_by("code", "pk")),
            Prefetch("plans", _counted(CapacityDevelopmentPlan).order_by("period_start", "pk")),
        )
    )
    photos = story_photos([story for story in stories if story.photo_consent])
    reported = []
    for story in stories:
        attachment = photos.get(story.pk)
        drawing = PhotoDrawing(attachment.pk, attachment.sha256) if attachment else None
        reported.append(
            ReportedStory(
                story=story,
                photo=drawing if drawing is not None and _readable(drawing) else None,
                activities=tuple(activity.title for activity in story.activities.all()),
                grants=tuple(  # the report goes to the donor: no natural person's name
                    format_lazy("{} ({})", grant.reference, _public_label(grant.recipient))
                    for grant in story.grants.all()
                ),
                projects=tuple(str(project) for project in story.projects.all()),
                plans=tuple(plan.title for plan in story.plans.all()),
            )
        )
    return reported
