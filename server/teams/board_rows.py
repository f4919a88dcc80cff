"""The team board's citizen rows as HTML, built in Python.

The board is the one page that draws a whole team (80 citizens and more) with eight linked
figures and a 24-cell contact strip per citizen. Rendered by a Jinja loop, each row cost some
forty template calls and a few hundred small writes, and that was most of the board's time at
`national` scale (PERFORMANCE.md wants the board within 5 x the floor route). Here each row is
one f-string in which every value passes through markupsafe's `escape` (C code), exactly as the
template's autoescaping did; the rest of the board (filters, workers, table head) stays in
`teams/_board.html`. (`Markup.format` would escape too, but runs a Python-level formatter that
cost more than the Jinja loop it replaced.)
"""
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from datetime import datetime
from typing import Callable

from flask import request, url_for
from flask_babel import get_translations
from markupsafe import Markup, escape

from server.i18n import format_day
from server.teams.labels import FLAG_LABELS
from server.teams.queries import WEEKS, strip_counts


def url_parts(endpoint: str) -> tuple[str, str]:
    """The escaped text before and after the citizen id in `endpoint`'s URL, from one `url_for`.

    Werkzeug builds a URL in tens of microseconds; the board needs four per citizen. The
    route's shape still comes from url_for itself, once per process and root path (a route
    does not change while the process runs); a row only puts its (integer) id between the parts.
    """
    key = (request.script_root, endpoint)
    parts = _URL_PARTS.get(key)
    if parts is None:
        marker = 2147483647  # the largest id the int converter accepts: never part of the path text
        head, _sep, tail = url_for(endpoint, citizen_id=marker).partition(str(marker))
        parts = _URL_PARTS[key] = (str(escape(head)), str(escape(tail)))
    return parts


_URL_PARTS: dict[tuple[str, str], tuple[str, str]] = {}


# The columns of a board row that `BoardRows.row` reads, in its parameters' order.
FIELDS = ("id", "first_name", "last_name", "preferred_name", "worker_id", "worker_name", "substitute_id",
          "last_contact_at", "not_reached", "plan_id", "review_overdue", "asked_for_contact", "asked_for_contact_at",
          "eviction_risk", "unassessed", "strip")

# The strip's cells by count: a bar per week (height class h0-h5), a dot per week with attempts.
BARS = [f'<span class="bar h{n}"></span>' for n in range(6)]
MISSES = ['<span class="miss m0"></span>', '<span class="miss m1"></span>']


def strip_cells(reached: list[int], missed: list[int], label: str) -> str:
    """The 12-week contact strip: a bar per week and a dot row for attempts. The cells are
    empty decoration; the link around them carries the numbers as text (`label`, translated)."""
    text = escape(label % {"n": sum(reached), "m": sum(missed)})
    return "".join([*[BARS[n if n < 5 else 5] for n in reached], *[MISSES[n if n < 1 else 1] for n in missed],
                    f'<span class="visually-hidden">{text}</span>'])


@lru_cache(maxsize=8192)
def strip_from_codes(codes: str, label: str) -> str:
    """`strip_cells` from the statement's strip letters. Memoised: a pure function of the letters
    and the translated label (counts only, no names), and a citizen's letters stay the same
    from one look at the board to the next until a contact is recorded."""
    return strip_cells(*strip_counts(codes), label)


@dataclass
class BoardRows:
    """Everything the rows share, prepared once per request: escaped link parts, badges, and
    the translated texts (looked up once here and filled in per row with `%`, as gettext's
    own keyword arguments would)."""

    now: datetime
    worker_link: Callable[[int], str]  # worker id -> opening <a> of the board filtered to that worker
    worker_names: dict[int, str]
    links: dict[str, tuple[str, str]]  # "citizen", "plan", "assessment", "course" -> `url_parts`

    def __post_init__(self):
        # The request's catalogue, looked up once for these dozen strings (Flask-Babel's
        # gettext looks it up again for each); none of them takes %-arguments here.
        _ = get_translations().ugettext

        def badge(kind, text):
            return f'<span class="badge badge-{kind}">{escape(text)}</span>'
        self.l_course = escape(_("Forløb"))
        self.never = badge("bad", _("Aldrig"))
        self.no_plan = badge("bad", _("Ingen plan"))
        self.review = badge("warn", _("Revision mangler"))
        self.ok = badge("ok", _("OK"))
        self.no_worker = badge("bad", _("Ingen"))
        self.eviction = " " + badge("bad", FLAG_LABELS["eviction_risk"])
        self.not_reached = f'<span class="visually-hidden">{escape(FLAG_LABELS["not_reached"])}</span>'
        self.strip_label = _("%(n)s kontakter og %(m)s forsøg de seneste 12 uger")
        self.substitute_label = _("Vikar: %(name)s")
        self.asked_label = _("Ja, %(when)s")
        self.empty_strip = strip_cells([0] * WEEKS, [0] * WEEKS, self.strip_label)
        self.worker_links: dict[int, str] = {}  # opening <a> per worker, built on first use

    def worker_cell_link(self, worker_id: int) -> str:
        link = self.worker_links.get(worker_id)
        if link is None:
            link = self.worker_links[worker_id] = str(self.worker_link(worker_id))
        return link

    def row(self, cid, first_name, last_name, preferred_name, worker_id, worker_name, substitute_id,
            last_contact_at, not_reached, plan_id, review_overdue, asked_for_contact, asked_for_contact_at,
            eviction_risk, unassessed, strip) -> str:
        """One <tr> from the `FIELDS` of a row; every value from the database or a translation goes
        through escape()."""
        cid = int(cid)
        links = self.links
        show = f'{links["citizen"][0]}{cid}{links["citizen"][1]}'
        course = f'{links["course"][0]}{cid}{links["course"][1]}'
        name = escape(f"{preferred_name or first_name} {last_name}")
        if worker_id:
            worker = f'{self.worker_cell_link(worker_id)}{escape(worker_name)}</a>'
        else:
            worker = f'<a href="{course}">{self.no_worker}</a>'
        if substitute_id:
            substitute = escape(self.substitute_label % {"name": self.worker_names.get(substitute_id, "?")})
            worker += f'<br><span class="badge badge-info">{substitute}</span>'
        if last_contact_at:
            bad = ' class="badge badge-bad"' if not_reached else ""
            days = f"<span{bad}>{int((self.now - last_contact_at).days)}</span>"
        else:
            days = self.never
        if plan_id is None:
            plan_badge = self.no_plan
        else:
            plan_badge = self.review if review_overdue else self.ok
        asked = ""
        if asked_for_contact:
            when = escape(self.asked_label % {"when": format_day(asked_for_contact_at)})
            asked = f'<a href="{show}"><span class="badge badge-bad">{when}</span></a>'
        strip = strip_from_codes(strip, self.strip_label) if strip else self.empty_strip
        return (
            f'<tr data-citizen="{cid}">'
            f'<th scope="row"><a href="{show}">{name}</a> <a class="course-link" href="{course}">{self.l_course}'
            f'<span class="visually-hidden"> {name}</span></a>{self.eviction if eviction_risk else ""}</th>'
            f"<td>{worker}</td>"
            f'<td><a class="intensity" href="{show}">{strip}</a></td>'
            f'<td class="num"><a href="{show}" data-days>{days}</a>{self.not_reached if not_reached else ""}</td>'
            f'<td><a href="{links["plan"][0]}{cid}{links["plan"][1]}">{plan_badge}</a></td>'
            f'<td class="num"><a href="{links["assessment"][0]}{cid}{links["assessment"][1]}">'
            f"{int(unassessed)}</a></td>"
            f"<td>{asked}</td></tr>\n"
        )

    def __call__(self, rows) -> Markup:
        if not rows:
            return Markup("")
        # By position: a Row's attribute lookup costs some twenty times an itemgetter's.
        names = rows[0]._fields  # built anew on every access
        fields = itemgetter(*[names.index(name) for name in FIELDS])
        return Markup("".join([self.row(*fields(r)) for r in rows]))
