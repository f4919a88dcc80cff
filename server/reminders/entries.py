"""Answering an outbox-able entry post (reminders, appointments).

Wraps sync.responses.entry_saved: its JSON 409 branch passes `status=` into
error_response, whose first parameter is also named `status` (a TypeError, so a 500).
Until that is fixed there, conflicts are answered here.
"""
from flask import jsonify
from flask_babel import gettext as _

from server.errors import error_response
from server.htmx import wants_json
from server.sync.idempotent import Outcome
from server.sync.responses import entry_saved


def saved(outcome: Outcome, entry, *, redirect_to: str, message: str):
    if outcome is Outcome.CONFLICT:
        if wants_json():
            return jsonify(error=_("Posten findes allerede med et andet indhold."), status="conflict"), 409
        return error_response(409)
    return entry_saved(outcome, entry, redirect_to=redirect_to, message=message)
