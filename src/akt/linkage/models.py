"""Identity resolution's records: the merges that resolved persons and the pairs under review.

A merge re-points person records to a canonical person (``Person.identity``) and remembers what
each record pointed to before, so a split restores exactly the earlier state. A review pair is
a question the linkage model could not settle on its own; once an M&E officer answers it, the
answer is kept as a labelled pair and the question is never asked again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MergeSource(models.TextChoices):
    REVIEW = "review", _("Review decision")
    BATCH = "batch", _("Batch linkage")
    MANUAL = "manual", _("Manual merge")


class PersonMergeQuerySet(models.QuerySet):
    def active(self) -> PersonMergeQuerySet:
        """Merges in force: not undone by a split."""
        return self.filter(undone_at__isnull=True)


class PersonMerge(models.Model):
    """One merge of person records into a surviving canonical person, and its undoing.

    ``merged`` lists every record re-pointed to the survivor: the other canonical persons and the
    records that already pointed to them. ``previous_identities`` maps each of those ids (as a
    string, JSON keys being strings) to the identity it had before, ``None`` for a record that
    was its own person; a split restores exactly these.
    """

    survivor = models.ForeignKey(
        "people.Person",
        verbose_name=_("surviving person"),
        on_delete=models.PROTECT,
        related_name="merges_survived",
    )
    merged = models.JSONField(_("merged records"), default=list)
    previous_identities = models.JSONField(_("identities before the merge"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("merged at"), default=timezone.now, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    source = models.CharField(
        _("source"), max_length=8, choices=MergeSource.choices, default=MergeSource.MANUAL
    )
    probability = models.FloatField(_("match probability"), null=True, blank=True)
    undone_at = models.DateTimeField(_("split at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("split by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    undo_reason = models.TextField(_("reason for the split"), blank=True)

    objects = PersonMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__isnull=True)
                | models.Q(probability__gte=0, probability__lte=1),
                name="person_merge_probability_range",
                violation_error_message=_("A probability lies between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survivor_id} <- {self.merged}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None

    @property
    def reason_shown(self) -> str:
        """The reason a page shows: a person's, as they wrote it; none for a batch merge, whose
        stored reason is the batch's fixed note in the language of whoever ran it (its source,
        "Batch linkage", says why in the reader's language)."""
        return "" if self.source == MergeSource.BATCH else self.reason


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Under review")
    LINKED = "linked", _("Same person")
    KEPT_APART = "kept_apart", _("Different people")


class ReviewPairQuerySet(models.QuerySet):
    def pending(self) -> ReviewPairQuerySet:
        return self.filter(status=ReviewStatus.PENDING)

    def decided(self) -> ReviewPairQuerySet:
        return self.exclude(status=ReviewStatus.PENDING)

    def in_review_order(self) -> ReviewPairQuerySet:
        """Most likely matches first, then oldest question first."""
        return self.order_by("-probability", "created_at", "id")


class ReviewPair(models.Model):
    """Two person records the linkage model scored between its thresholds.

    ``person_a`` is always the record with the lower id, so a pair is stored once. ``evidence``
    is what the review page shows, one entry per comparison in the model's order::

        [{"field": "family_name", "level": "exact", "weight": 4.2}, ...]

    ``level`` is the comparison level the two records agreed at, as a stable code
    (:data:`akt.linkage.pipeline.LEVEL_CODES`; pairs proposed earlier hold the model's English
    label, read through the same table), shown in the reader's language, and ``weight`` its
    match weight (log2 of the Bayes factor: positive for a match, negative against). A mapping
    ``{field: {"level": ..., "weight": ...}}`` is accepted as well.
    """

    person_a = models.ForeignKey(
        "people.Person",
        verbose_name=_("first record"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person_b = models.ForeignKey(
        "people.Person",
        verbose_name=_("second record"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    model_version = models.CharField(_("model version"), max_length=64, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    merge = models.ForeignKey(
        PersonMerge,
        verbose_name=_("merge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_pairs",
        help_text=_("The merge a decision to link made."),
    )

    objects = ReviewPairQuerySet.as_manager()

    class Meta:
        ordering = ["-probability", "created_at", "id"]
        verbose_name = _("pair under review")
        verbose_name_plural = _("pairs under review")
        indexes = [models.Index(fields=["status", "-probability"], name="review_pair_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["person_a", "person_b"],
                name="review_pair_once",
                violation_error_message=_("This pair of records is already in the review queue."),
            ),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="review_pair_ordered",
                violation_error_message=_("The first record must have the lower id."),
            ),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0, probability__lte=1),
                name="review_pair_probability_range",
                violation_error_message=_("A probability lies between 0 and 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id} ~ {self.person_b_id} ({self.probability:.3f})"

    @property
    def is_pending(self) -> bool:
        return self.status == ReviewStatus.PENDING
