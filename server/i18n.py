"""Locale (Danish first), Copenhagen time, and date formatting for templates."""
from weakref import WeakKeyDictionary

from flask import Flask, request
from flask_babel import format_date, format_datetime, get_locale, get_translations
from flask_login import current_user
from jinja2.ext import _make_new_gettext, _make_new_ngettext, _make_new_npgettext, _make_new_pgettext


def select_locale() -> str:
    if current_user and current_user.is_authenticated and getattr(current_user, "locale", None):
        return current_user.locale
    chosen = request.cookies.get("lang")
    return chosen if chosen in ("da", "en") else "da"


# Danish style ("3. dec. 14:30") in Danish; the same order without the ordinal dot in English.
PATTERNS = {
    "da": {"datetime": "d. MMM HH:mm", "date": "d. MMM yyyy"},
    "en": {"datetime": "d MMM HH:mm", "date": "d MMM yyyy"},
}


def _pattern(kind: str) -> str:
    return PATTERNS.get(str(get_locale().language), PATTERNS["da"])[kind]


def format_day(value, pattern=None) -> str:
    """A date (or the date of a datetime) in the locale's style; '' for None."""
    return format_date(value, pattern or _pattern("date")) if value else ""


def select_timezone() -> str:
    return "Europe/Copenhagen"


def init_app(app: Flask) -> None:
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["datetime"] = lambda v, f=None: format_datetime(v, f or _pattern("datetime")) if v else ""
    app.jinja_env.filters["date"] = format_day
    app.jinja_env.filters["time"] = lambda v: format_datetime(v, "HH:mm") if v else ""
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["field_attrs"] = field_attrs
    app.jinja_env.globals["hidden_fields_with_errors"] = hidden_fields_with_errors
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    app.context_processor(request_gettext)


def request_gettext() -> dict:
    """This render's gettext callables, bound to the request's catalogue once.

    Flask-Babel installs callables that look the catalogue up again for every string (about ten
    context-local lookups each); a page with a hundred strings spent more on that than on its
    queries. Templates resolve `_`/`gettext` from their context first, so these win; macros
    imported without context still use Flask-Babel's (same result, slower). The wrappers are
    Jinja's own newstyle ones, so %-formatting and autoescaping behave exactly as before.
    """
    t = get_translations()
    callables = _GETTEXT_CALLABLES.get(t)
    if callables is None:  # once per catalogue (Flask-Babel keeps one per locale)
        callables = _GETTEXT_CALLABLES[t] = {
            "gettext": _make_new_gettext(t.ugettext),
            "ngettext": _make_new_ngettext(t.ungettext),
            "pgettext": _make_new_pgettext(t.upgettext),
            "npgettext": _make_new_npgettext(t.unpgettext),
        }
    return callables


# A catalogue's wrapped callables, by catalogue: weakly, so a dropped catalogue takes them along.
_GETTEXT_CALLABLES: "WeakKeyDictionary" = WeakKeyDictionary()


def field_attrs(field, hint=None) -> dict:
    """aria attributes tying a form field to its hint and error (WCAG 3.3.1)."""
    described = []
    if hint:
        described.append(f"{field.id}-hint")
    attrs = {}
    if field.errors:
        described.append(f"{field.id}-error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return attrs


def hidden_fields_with_errors(form):
    """Hidden fields with an error, nested rows included (a plan's goal and action keys).

    A hidden field has nowhere on the page to show its error, so form_errors names it at the top.
    """
    for f in form:
        if f.type in ("FormField", "FieldList"):
            yield from hidden_fields_with_errors(f)
        elif f.type in ("HiddenField", "CSRFTokenField") and f.errors:
            yield f
