"""``akt demo-periods``: a reporting history for the demonstration.

DEMO USE ONLY. The demo M&E officer (``me``) submits each fiscal quarter of the program up to
the last one of FY2015 and the demo administrator (``admin``) approves it, so the reporting
periods page has approved quarters to open; FY2016 Q1 is left submitted, waiting for review.
Run after ``akt demo-data`` and ``akt demo-users``; a database that already has a reporting
history is left as it is.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.counting import engine
from akt.indicators.selectors import life_of_project
from akt.reports.models import ReportingPeriod
from akt.reports.services import period_approve, period_submit

APPROVED_THROUGH = (2015, 4)
"""The last quarter the demo approves (FY2015 Q4); the next one is left submitted."""


class Command(BaseCommand):
    help = (
        "DEMO USE ONLY. Submit (as the demo officer 'me') and approve (as 'admin') every "
        "quarter up to FY2015 Q4, and submit FY2016 Q1 for review."
    )

    def handle(self, *args: object, **options: object) -> None:
        if ReportingPeriod.objects.exists():
            self.stdout.write(_("The reporting history is already there; nothing changed."))
            return
        officer = User.objects.filter(username="me").first()
        reviewer = User.objects.filter(username="admin").first()
        if officer is None or reviewer is None:
            raise CommandError(_("Run `akt demo-users` first: the demo officer signs the history."))
        quarters = [
            engine.fiscal_quarter_of(quarter.start)
            for year in engine.fiscal_years(life_of_project())
            for quarter in engine.fiscal_quarters(year)
        ]
        approved = 0
        for fiscal_year, quarter in quarters:
            if (fiscal_year, quarter) > APPROVED_THROUGH:
                period_submit(
                    actor=officer,
                    fiscal_year=fiscal_year,
                    quarter=quarter,
                    note=_("All sign-in sheets of the quarter are entered."),
                )
                self.stdout.write(
                    _("Submitted FY %(year)s Q%(quarter)s for review.")
                    % {"year": fiscal_year, "quarter": quarter}
                )
                break
            period = period_submit(actor=officer, fiscal_year=fiscal_year, quarter=quarter)
            period_approve(actor=reviewer, period=period)
            approved += 1
        self.stdout.write(_("Approved %(count)s quarters.") % {"count": approved})
