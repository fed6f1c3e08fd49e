"""Dates, times and numbers as each interface language writes them (``FORMAT_MODULE_PATH``).

Django's own format modules fill in what these leave out. They are here where Django's are not
how the language is written: Django has no date-time format for Albanian, so Albanian pages
wrote "12/07/2026 4:04 a.m.", the American form; and its Serbian short dates ("7.12.2026.")
differ from the Unicode CLDR's ("7. 12. 2026."), which Babel, and so every number and percentage
of the system, follows. The forms chosen are CLDR's for Kosovo (``sq_XK``, ``sr_Latn_XK``,
``sr_Cyrl_XK``): 24-hour times; the Albanian short date with a four-digit year.

Serbian in both scripts reads ``sr`` (Django tries ``sr_Latn``, then ``sr``); month names come
from the catalogues (:data:`akt.translation.MONTHS`).
"""
