"""Answers to entry posts: JSON for the outbox's replays, redirect or fragment for people."""
from flask import flash, jsonify, redirect

from server.errors import error_response, messages
from server.htmx import is_htmx, wants_json
from server.sync.idempotent import HTTP_STATUS, Outcome


def entry_saved(outcome: Outcome, entry, *, redirect_to: str, message: str):
    """201 stored / 200 duplicate / 409 conflict for JSON callers; redirect for forms."""
    if wants_json():
        if outcome is Outcome.CONFLICT:
            # The existing entry's id is not told: a UUID must not reveal someone else's row.
            return jsonify(status=str(outcome), error=messages()[409], id=None), 409
        # `message` lets the page show the same confirmation a plain form post would flash.
        body = {"status": str(outcome), "id": entry.id, "redirect": redirect_to, "message": str(message)}
        return jsonify(body), HTTP_STATUS[outcome]
    if outcome is Outcome.CONFLICT:
        return error_response(409)
    flash(message, "success")
    response = redirect(redirect_to)
    if is_htmx():
        response.headers["HX-Redirect"] = redirect_to
    return response


def entry_invalid(form, render_page):
    """422 with the field errors: JSON for the outbox (kept for fixing), the form for people."""
    if wants_json():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        return jsonify(status="invalid", errors=errors), 422
    return render_page(status=422)
