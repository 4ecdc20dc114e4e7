"""The report's headings and field labels: marked where defined, translated with _() where shown.

Kept apart so f-strings can show them (text inside an f-string cannot be extracted for translation)."""

from __future__ import annotations

from recommender.i18n import N_

BEST_FIT = N_("Best fit for you:")
PAY = N_("Pay:")
OUTLOOK = N_("Outlook:")
TO_START = N_("To start:")
THIS_MONTH = N_("This month:")
WHY = N_("Why:")
THEN = N_("Then:")
OR_INSTEAD = N_("Or instead:")
FIT = N_("Fit:")
GOOD_TO_KNOW = N_("Good to know")
WHERE_NEXT = N_("Where to go next")
KEY_FACTS = N_("Key facts")
SOURCES = N_("Sources")
YOUR_ANSWERS = N_("Your answers")
QUESTION = N_("Question")
ANSWER = N_("Answer")
GENERAL_ADVICE = N_("General advice")
PATHWAYS = N_("Pathways")
NOT_RECOMMENDED = N_("Not recommended, and what would change that")
OTHER_CERTIFICATIONS = N_("Other certifications")
TO_BECOME = N_("To become:")
LATER = N_("Later:")
TOTAL = N_("Total:")
WATCH_OUT = N_("Watch out:")
NOTE = N_("Note:")
ALTERNATIVES = N_("Alternatives:")
YEARS_AHEAD = N_("The years ahead:")
YOU_NOW = N_("You now")
LATER_EDGE = N_("later")
NEXT_STEPS = N_("Next steps:")
BEFORE_START = N_("Before you can start:")
STILL_TO_DO = N_("Still to do:")
