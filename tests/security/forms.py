"""Discover the real forms: crawl every GET page an actor may open and parse its <form>s.

Fuzzing starts from what a browser would send (the fields, their defaults and the first
choice of every select/radio), then breaks it. Routes with no form on any page (JSON
endpoints) are fuzzed from the pool of every field name seen.
"""
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

from tests.security.world import build_path


class FormParser(HTMLParser):
    def __init__(self, page_path):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms = []  # (action path, method, {name: [values]}, {name: kind})
        self.current = None
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = a.get("action") or a.get("hx-post") or self.page_path
            method = (a.get("method") or ("post" if a.get("hx-post") else "get")).lower()
            self.current = (urlparse(urljoin(self.page_path, action)).path, method, {}, {})
            self.forms.append(self.current)
            return
        if tag == "button" and a.get("hx-post") and self.current is None:
            self.forms.append((urlparse(urljoin(self.page_path, a["hx-post"])).path, "post", {}, {}))
        if self.current is None:
            return
        _, _, values, kinds = self.current
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            kinds.setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                values.setdefault(name, [])
                if kind == "checkbox" and "checked" in a or kind == "radio" and not values[name]:
                    values[name].append(a.get("value", "y"))
            elif kind not in ("submit", "button", "image", "file"):
                values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "button" and name and (a.get("type") or "submit") == "submit":
            kinds.setdefault(name, "button")
            values.setdefault(name, [])
            if not values[name]:
                values[name].append(a.get("value", ""))
        elif tag == "textarea" and name:
            kinds.setdefault(name, "textarea")
            values.setdefault(name, [""])
            self.textarea = name
        elif tag == "select" and name:
            kinds.setdefault(name, "select")
            values.setdefault(name, [])
            self.select = name
        elif tag == "option" and self.select:
            if not values[self.select] and a.get("value", "") != "":
                values[self.select].append(a.get("value"))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def get_pages(app, values):
    """Every GET route's path with the world's ids (skipping static, feeds and files)."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in ("static",) or rule.rule.endswith((".ics", ".csv", ".js")):
            continue
        path = build_path(rule, values)
        if path:
            yield rule, path


def discover_forms(app, client, values) -> dict:
    """{action path: ({field: [values]}, {field: kind})} for every POST form the client can see."""
    forms = {}
    for _rule, path in get_pages(app, values):
        response = client.get(path)
        if response.status_code != 200 or "html" not in (response.content_type or ""):
            continue
        parser = FormParser(path)
        parser.feed(response.get_data(as_text=True))
        for action, method, fields, kinds in parser.forms:
            if method != "post":
                continue
            known = forms.setdefault(action, ({}, {}))
            for name, vals in fields.items():
                known[0].setdefault(name, vals)
                known[1].setdefault(name, kinds.get(name, "text"))
    return forms


def forms_by_endpoint(app, forms: dict) -> dict:
    """Re-key discovered forms by the endpoint their action matches."""
    adapter = app.url_map.bind("localhost")
    result = {}
    for action, (fields, kinds) in forms.items():
        try:
            endpoint, _args = adapter.match(action, method="POST")
        except Exception:
            continue
        known = result.setdefault(endpoint, {})
        known[action] = (fields, kinds)
    return result


def free_text_fields(kinds: dict) -> list[str]:
    skip = {"csrf_token", "client_id", "recorded_at"}
    return [name for name, kind in kinds.items() if kind in ("text", "textarea", "search") and name not in skip]


def plausible(fields: dict, kinds: dict) -> list[tuple[str, str]]:
    """What a person would send: every field filled with a value that should validate."""
    from datetime import date, datetime, timedelta

    tomorrow = date.today() + timedelta(days=1)
    filler = {
        "text": "Test", "textarea": "Test", "search": "Test", "date": tomorrow.isoformat(), "time": "10:00",
        "number": "1980", "datetime-local": datetime.now().replace(microsecond=0).isoformat(timespec="minutes"),
        "tel": "12345678", "email": "test@example.invalid",
    }
    pairs = []
    for name, values in fields.items():
        kind = kinds.get(name, "text")
        value = values[0] if values else None
        if kind in ("checkbox",) and not values:
            continue
        if kind == "radio" and not values:
            continue
        if not value and kind in filler:
            value = filler[kind]
        pairs.append((name, value or ""))
    return pairs
