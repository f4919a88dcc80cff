"""The plan diff: word-level changes, and goals and actions matched across versions."""
from datetime import date

from server.plans.diff import ADD, DEL, SAME, plan_diff, word_diff
from server.plans.models import Action, Goal, Plan


def test_word_diff_marks_only_the_changed_words():
    assert word_diff("Jeg vil bo tæt på min søster", "Jeg vil bo tæt på min bror") == [
        (SAME, "Jeg vil bo tæt på min "), (DEL, "søster"), (ADD, "bror")]
    assert word_diff(None, "Ny tekst") == [(ADD, "Ny tekst")]
    assert word_diff("Samme", "Samme") == [(SAME, "Samme")]


def goal(key, dim, words, note=None):
    return Goal(key=key, dimension_id=dim, citizen_words=words, worker_note=note)


def plan(goals=(), actions=(), **fields):
    return Plan(version=1, goals=list(goals), actions=list(actions), **fields)


def test_goals_without_keys_are_paired_by_dimension_and_similar_words(ctx):
    old = plan([goal(None, 1, "Jeg vil have en lejlighed i byen"), goal(None, 2, "Styr på gælden")])
    new = plan([goal(None, 1, "Jeg vil have en lejlighed ved havnen"), goal(None, 3, "Gå til tandlæge")])

    diff = plan_diff(old, new)

    assert [c.kind for c in diff.goals] == ["changed", "removed", "added"]
    changed = diff.goals[0].fields[0]
    assert (DEL, "i byen") in changed.segments and (ADD, "ved havnen") in changed.segments


def test_a_kept_key_makes_a_rewritten_goal_a_change_not_a_swap(ctx):
    old = plan([goal("k1", 1, "Sove indendørs")])
    new = plan([goal("k1", 1, "Have min egen nøgle", note="Stort skridt")])
    [change] = plan_diff(old, new).goals
    assert change.kind == "changed"
    assert {f.label for f in change.fields} == {"Borgerens ord", "Medarbejderens note"}


def test_action_done_and_due_date_changes_are_listed(ctx):
    old = plan(actions=[Action(key="a", who="Lise", what="Ringe til boligselskabet", due_on=date(2026, 1, 5))])
    new = plan(actions=[Action(key="a", who="Lise", what="Ringe til boligselskabet", due_on=date(2026, 2, 1),
                               done=True)])
    [change] = plan_diff(old, new).actions
    labels = {f.label for f in change.fields}
    assert labels == {"Senest", "Status"}


def test_plan_fields_changes_and_first_version(ctx):
    first = plan([goal("k", 1, "Et mål")], section_141_reference="HP-1")
    second = plan([goal("k", 1, "Et mål")], section_141_reference="HP-2", caseworker_name="Anne")
    assert [f.label for f in plan_diff(first, second).fields] == ["§141-handleplan", "Myndighedssagsbehandler"]
    assert not plan_diff(first, first).has_changes
    assert [c.kind for c in plan_diff(None, first).goals] == ["added"]
