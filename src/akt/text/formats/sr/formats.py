"""Serbian, in either script (CLDR ``sr_Latn_XK``, ``sr_Cyrl_XK``): "7. децембар 2026.",
"7. 12. 2026. 16:04". Django's Serbian modules give the rest (input formats, separators)."""

DATE_FORMAT = "j. F Y."
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j. F Y. H:i"
SHORT_DATE_FORMAT = "j. n. Y."
SHORT_DATETIME_FORMAT = "j. n. Y. H:i"
