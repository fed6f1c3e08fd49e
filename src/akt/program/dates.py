"""Whether a record's dates fall within the program's: a warning, never a refusal.

The program ran from April 2014 to April 2017 (``Program.start_date`` / ``end_date``). An
activity dated outside is most often a typing slip (2107 for 2017, a day and month swapped),
but not always: the program may record follow-up after its end. So a date outside is warned
about and confirmed by the person entering it (the activity form), or reported as a warning
beside the rows it concerns (imports), and never refused; the figures count such an activity
only in the windows that include its date (the life-of-project window does not).
"""

from __future__ import annotations

from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from akt.program.models import Component, Program


def program_of(component: Component | None = None) -> Program | None:
    """The component's program, else the first program loaded (there is one)."""
    if component is not None and component.program_id:
        return component.program
    return Program.objects.order_by("start_date").first()


def outside_program(start: date | None, end: date | None, program: Program | None) -> bool:
    """Whether either date lies before the program's start or after its end."""
    if program is None:
        return False
    return any(
        day is not None and not program.start_date <= day <= program.end_date
        for day in (start, end)
    )


def outside_program_warning(
    start: date | None, end: date | None, component: Component | None = None
) -> str:
    """The warning to show when the dates lie outside the program's, in the reader's
    language; "" when they do not."""
    program = program_of(component)
    if program is None or not outside_program(start, end, program):
        return ""
    return _(
        "These dates lie outside the program's (%(start)s to %(end)s). Check them: a year or a "
        "month mistyped is the usual cause. Dates outside are kept only for follow-up "
        "recorded after the program's end."
    ) % {
        "start": date_format(program.start_date, "SHORT_DATE_FORMAT"),
        "end": date_format(program.end_date, "SHORT_DATE_FORMAT"),
    }
