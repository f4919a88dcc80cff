"""What changed between two plan versions: goals and actions added, removed or changed, word by word."""
import difflib
import re
from dataclasses import dataclass, field

from flask_babel import format_date, gettext as _

from server.citizens.labels import dimension_label
from server.plans.labels import PLAN_FIELD_LABELS

SAME, ADD, DEL = "same", "add", "del"
# A word with the whitespace after it: whitespace alone would match everywhere and shred the diff.
TOKEN = re.compile(r"\s*\S+\s*|\s+")
# Below this similarity two unkeyed goals in the same dimension count as different goals.
PAIRING_RATIO = 0.5


@dataclass
class FieldChange:
    label: str
    segments: list  # [(SAME|ADD|DEL, text)]


@dataclass
class ItemChange:
    kind: str  # "added", "removed" or "changed"
    title: str
    fields: list = field(default_factory=list)  # [FieldChange]


@dataclass
class PlanDiff:
    fields: list  # [FieldChange] for the plan's own fields
    goals: list  # [ItemChange]
    actions: list  # [ItemChange]

    @property
    def has_changes(self) -> bool:
        return bool(self.fields or self.goals or self.actions)


def word_diff(old: str | None, new: str | None) -> list:
    """Word-level segments; whitespace is kept so the text reads as written."""
    a, b = TOKEN.findall(old or ""), TOKEN.findall(new or "")
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append((SAME, "".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append((DEL, "".join(a[i1:i2])))
        if j2 > j1:
            segments.append((ADD, "".join(b[j1:j2])))
    return segments


def _similarity(old: str | None, new: str | None) -> float:
    return difflib.SequenceMatcher(None, old or "", new or "", autojunk=False).ratio()


def _date(value) -> str:
    return format_date(value, "d. MMM yyyy") if value else ""


def _yes_no(value) -> str:
    return _("Udført") if value else _("Ikke udført")


def _dimension(item) -> str:
    return dimension_label(item.dimension) if item.dimension is not None else ""


def _goal_fields(goal) -> list:
    return [(_("Livsområde"), _dimension(goal)), (_("Borgerens ord"), goal.citizen_words),
            (_("Medarbejderens note"), goal.worker_note or "")]


def _action_fields(action) -> list:
    return [(_("Hvem"), action.who), (_("Hvad"), action.what), (_("Senest"), _date(action.due_on)),
            (_("Status"), _yes_no(action.done)), (_("Livsområde"), _dimension(action))]


def _match(old_items, new_items, text_of):
    """Pair old and new items: same key first, then same dimension and similar text."""
    pairs, old_left = [], list(old_items)
    by_key = {item.key: item for item in old_left if item.key}
    new_left = []
    for item in new_items:
        twin = by_key.pop(item.key, None) if item.key else None
        if twin is not None:
            old_left.remove(twin)
            pairs.append((twin, item))
        else:
            new_left.append(item)
    unmatched_new = []
    for item in new_left:
        candidates = [o for o in old_left if o.dimension_id == item.dimension_id]
        best = max(candidates, key=lambda o: _similarity(text_of(o), text_of(item)), default=None)
        if best is not None and _similarity(text_of(best), text_of(item)) >= PAIRING_RATIO:
            old_left.remove(best)
            pairs.append((best, item))
        else:
            unmatched_new.append(item)
    return pairs, old_left, unmatched_new


def _item_changes(old_items, new_items, text_of, fields_of, title_of) -> list:
    pairs, removed, added = _match(old_items, new_items, text_of)
    changes = []
    for old, new in pairs:
        changed = [FieldChange(label, word_diff(a, b))
                   for (label, a), (_label, b) in zip(fields_of(old), fields_of(new)) if a != b]
        if changed:
            changes.append(ItemChange("changed", title_of(new), changed))
    changes += [ItemChange("removed", title_of(item), [FieldChange(label, [(DEL, value)])
                for label, value in fields_of(item) if value]) for item in removed]
    changes += [ItemChange("added", title_of(item), [FieldChange(label, [(ADD, value)])
                for label, value in fields_of(item) if value]) for item in added]
    return changes


def _plan_fields(plan) -> list:
    values = {
        "review_on": _date(plan.review_on) if plan else "",
        "reviewed_on": _date(plan.reviewed_on) if plan else "",
    }
    for name in ("section_141_reference", "caseworker_name", "caseworker_contact"):
        values[name] = (getattr(plan, name) or "") if plan else ""
    return [(str(PLAN_FIELD_LABELS[name]), values[name]) for name in PLAN_FIELD_LABELS]


def plan_diff(old, new) -> PlanDiff:
    """Changes from `old` (None for the first version) to `new`."""
    fields = [FieldChange(label, word_diff(a, b))
              for (label, a), (_label, b) in zip(_plan_fields(old), _plan_fields(new)) if a != b]
    goals = _item_changes(old.goals if old else [], new.goals, lambda g: g.citizen_words,
                          _goal_fields, _dimension)
    actions = _item_changes(old.actions if old else [], new.actions, lambda a: f"{a.who} {a.what}",
                            _action_fields, lambda a: a.what)
    return PlanDiff(fields, goals, actions)
