"""Words for what a plan or a counterfactual asks a person to do: changed answers, exams."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from recommender.book import conditions as C
from recommender.book.rulebook import RuleBook
from recommender.book.runtime import Certification
from recommender.i18n import N_, _, ngettext

#: Plain words for reaching each education level (option ids are a public contract).
EDUCATION_WORDS = {"high_school": N_("earn a high-school diploma or GED"),
                   "some_college": N_("take some college courses"), "associate": N_("earn an associate degree"),
                   "bachelor": N_("earn a bachelor's degree"), "graduate": N_("earn a master's degree or higher")}


# ------------------------------------------------------------------ changes in words
def describe_changes(book: RuleBook, before: Mapping[str, Any], changes: Mapping[str, Any]) -> str:
    """What a person would do to change their answers this way, in one plain sentence."""
    parts: list[str] = []
    info = book.question_info
    if "education" in changes:
        level = changes["education"]
        parts.append(_(EDUCATION_WORDS[level]) if level in EDUCATION_WORDS else
                     _("reach '{level}' education").format(level=level))
    training = changes.get("ma_training")
    if training is not None:
        accredited = changes.get("ma_training_accredited", before.get("ma_training_accredited"))
        if training == "in_progress":
            parts.append(_("enroll in a CAAHEP- or ABHES-accredited medical assisting program") if accredited else
                         _("enroll in a medical assisting or medical office program"))
        elif before.get("ma_training") == "in_progress" and "ma_training_accredited" not in changes:
            parts.append(_("finish the program you are enrolled in"))
        elif before.get("ma_training") != "completed":
            parts.append(_("finish a CAAHEP- or ABHES-accredited medical assisting program") if accredited else
                         _("finish a medical assisting or medical office program"))
        else:
            parts.append(_("finish a new CAAHEP- or ABHES-accredited medical assisting program") if accredited else
                         _("finish a new medical assisting or medical office program"))
    elif "training_years_ago" in changes or "ma_training_accredited" in changes:
        parts.append(_("finish a new medical assisting program"))
    years = changes.get("experience_years")
    added = [a for a in changes.get("experience_areas", ()) if a not in (before.get("experience_areas") or ())]
    area_words = C.join_words([info["experience_areas"].option_labels.get(a, a) for a in added]) if added else ""
    if years is not None:
        count = 1 if years == 1 else 2
        if area_words:
            parts.append(ngettext("work until you have {n} year of supervised healthcare work, including {areas}",
                                  "work until you have {n} years of supervised healthcare work, including {areas}",
                                  count).format(n=f"{years:g}", areas=area_words))
        else:
            parts.append(ngettext("work until you have {n} year of supervised healthcare work",
                                  "work until you have {n} years of supervised healthcare work",
                                  count).format(n=f"{years:g}"))
    elif added:
        parts.append(_("take on {areas} in your work").format(areas=area_words))
    new_training = [t for t in changes.get("other_training", ()) if t not in (before.get("other_training") or ())]
    for t in new_training:
        label = info["other_training"].option_labels.get(t, t)
        parts.append(_("complete {training}").format(training=label))
    earned = [c for c in changes.get("certifications", ()) if c not in (before.get("certifications") or ())]
    if earned:
        parts.append(_("earn the {credentials}").format(credentials=C.join_words([book.item_name(c) for c in earned])))
    text = C.join_words(parts) if parts else _("no change")
    return text[:1].upper() + text[1:]


def exam_words(name: str, issuer: str, cert: Certification, then: bool = False) -> str:
    """'Register for the CMAA exam with NHA', with the fee in words when no figure gives it."""
    if cert.fee is not None and cert.fee_usd is None:
        text = _("Then register for the {name} exam with {issuer} (fee: {fee})") if then else \
            _("Register for the {name} exam with {issuer} (fee: {fee})")
        return text.format(name=name, issuer=issuer, fee=cert.fee.value)
    text = _("Then register for the {name} exam with {issuer}") if then else _("Register for the {name} exam with {issuer}")
    return text.format(name=name, issuer=issuer)
