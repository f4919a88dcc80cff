"""Page or fragment: one helper decides, and marks responses Vary: HX-Request."""
from flask import make_response, render_template, request


def is_htmx() -> bool:
    # A history restore wants the whole page, even though htmx sent it.
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def wants_json() -> bool:
    """The outbox's replays and other fetch() calls ask for JSON."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not is_htmx()


def is_background_request() -> bool:
    """htmx or fetch: these must get 401, not a redirect to the login page."""
    return (
        request.headers.get("HX-Request") == "true"
        or wants_json()
        or request.headers.get("Sec-Fetch-Mode") in {"cors", "same-origin", "no-cors"}
        and request.headers.get("Sec-Fetch-Dest") == "empty"
    )


def render(page: str, partial: str | None = None, status: int = 200, **context):
    template = partial if partial and is_htmx() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response
