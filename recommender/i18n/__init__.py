"""Languages: which one a person reads, and the program's own texts in it.

Base layer, beside errors, suggest and safetext: imports nothing else from the package, so every
stage may use it.  The program's texts are marked with ``_()`` (or ``N_()`` where a text is
defined before the language is known) and looked up in a gettext catalog compiled from the PO
files under ``recommender/i18n/po/``.  The rule book's texts are translated elsewhere: in the
rule book's own ``locales/`` folder, read by ``recommender.book.locales``.
"""

from recommender.i18n.core import (
    DEFAULT_LANG,
    LANG_NAMES,
    LANGS,
    N_,
    current_lang,
    gettext,
    in_sentence,
    lang_from_accept_language,
    lang_from_env,
    money,
    ngettext,
    normalize_lang,
    number,
    set_lang,
    use_lang,
)

_ = gettext

__all__ = ["DEFAULT_LANG", "LANGS", "LANG_NAMES", "N_", "_", "current_lang", "gettext", "in_sentence", "lang_from_accept_language",
           "lang_from_env", "money", "ngettext", "normalize_lang", "number", "set_lang", "use_lang"]
