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
        serb_majority = self.majority_community is not None and (
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


class PopulationSource(models.TextChoices):
    """Where a population figure comes from: the reports name it beside the figure."""

    CENSUS = "census", _("Census")
    OSCE_ESTIMATE = "osce_estimate", _("OSCE estimate")


class CommunityPopulationQuerySet(models.QuerySet["CommunityPopulation"]):
    def for_municipalities(self, ids: frozenset[int] | None) -> CommunityPopulationQuerySet:
        """Figures of the given municipalities; None: of all of them."""
        return self if ids is None else self.filter(municipality_id__in=ids)


class CommunityPopulation(models.Model):
    """How many of a municipality's inhabitants belong to one community, by one source.

    The program's purpose is to bring communities together, so its participants are set against
    who lives where (the representation ratio). Figures are only what a published source gives
    (domain.md 3.2): where a community's size is not published nothing is stored, and the reports
    say "not known" rather than read a missing row as zero. A figure may give a headcount, a share
    of the population, or both; the share is what the representation ratio needs.
    """

    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="community_populations",
    )
    community = models.ForeignKey(
        Community,
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    population = models.PositiveIntegerField(
        _("population"), null=True, blank=True, help_text=_("Inhabitants of this community.")
    )
    share = models.DecimalField(
        _("share of the population"),
        max_digits=6,
        decimal_places=5,
        null=True,
        blank=True,
        help_text=_("Between 0 and 1: 0.0944 for 9.44%."),
    )
    source = models.CharField(_("source"), max_length=16, choices=PopulationSource.choices)
    reference_year = models.PositiveSmallIntegerField(_("reference year"))
    citation = models.CharField(
        _("citation"), max_length=300, blank=True, help_text=_("The publication and its address.")
    )
    note_en = models.TextField(_("note (English)"), blank=True)
    note_sq = models.TextField(_("note (Albanian)"), blank=True)
    note_sr_latn = models.TextField(_("note (Serbian, Latin)"), blank=True)
    """What a reader should know of the figure, in each language (the citation names the
    publication as published, in its own language)."""

    objects = CommunityPopulationQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "community__sort_order", "-reference_year"]
        verbose_name = _("community population")
        verbose_name_plural = _("community populations")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "community", "reference_year"],
                name="community_population_once_per_year",
                violation_error_message=_(
                    "This municipality already has a figure for this community and year."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(share__isnull=True) | models.Q(share__gte=0, share__lte=1),
                name="community_population_share_0_to_1",
                violation_error_message=_("The share must be between 0 and 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(population__isnull=False) | models.Q(share__isnull=False),
                name="community_population_has_a_figure",
                violation_error_message=_("Give the population, its share, or both."),
            ),
            models.CheckConstraint(
                condition=models.Q(reference_year__gte=1900, reference_year__lte=2100),
                name="community_population_plausible_year",
                violation_error_message=_("The reference year must be between 1900 and 2100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} · {self.community} · {self.reference_year}"

    @property
    def note(self) -> str:
        """The note in the reader's language (Serbian Cyrillic converted from Latin)."""
        return localized(self, "note")
