"""Kosovo's municipalities and communities: the reference data every record points to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from akt.translation import LocalizedNameMixin, localized


class Community(LocalizedNameMixin, models.Model):
    """A community as recognised in Kosovo law, self-declared by a person.

    "Prefer not to say" is a community value of its own (``is_declared`` false), not a gap: the
    Constitution lets every member choose whether to be treated as a member of a community.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=64)
    name_sq = models.CharField(_("name (Albanian)"), max_length=64)
    name_sr_latn = models.CharField(_("name (Serbian, Latin)"), max_length=64)
    name_sr_cyrl = models.CharField(_("name (Serbian, Cyrillic)"), max_length=64)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_declared = models.BooleanField(
        _("declares a community"),
        default=True,
        help_text=_("False for the value 'prefer not to say'."),
    )

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")


class MunicipalityQuerySet(models.QuerySet["Municipality"]):
    def partners(self) -> MunicipalityQuerySet:
        return self.filter(is_partner=True)


class Municipality(models.Model):
    """One of Kosovo's 38 municipalities, with its names in Albanian and Serbian (both scripts)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_sq = models.CharField(_("name (Albanian)"), max_length=64, unique=True)
    name_sr_latn = models.CharField(_("name (Serbian, Latin)"), max_length=64)
    name_sr_cyrl = models.CharField(_("name (Serbian, Cyrillic)"), max_length=64)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    region = models.CharField(_("region"), max_length=32)
    is_partner = models.BooleanField(_("AKT partner"), default=False)
    majority_community = models.ForeignKey(
        Community,
        verbose_name=_("majority community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name_sq"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=41.8, latitude__lte=43.3)
                & models.Q(longitude__gte=19.9, longitude__lte=21.8),
                name="municipality_seat_in_kosovo",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name_en(self) -> str:
        """The bilingual form USAID's own documents use, the majority's name first."""
        serb_majority = self.majority_community_id is not None and (
            self.majority_community.code == "serb"
        )
        first, second = (
            (self.name_sr_latn, self.name_sq)
            if serb_majority
            else (self.name_sq, self.name_sr_latn)
        )
        return first if first == second else f"{first}/{second}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    def all_names(self) -> list[str]:
        return [self.name_sq, self.name_sr_latn, self.name_sr_cyrl, self.name_en]
