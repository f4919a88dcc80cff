"""Snooze presets in Copenhagen time, across the daylight-saving changes."""
from datetime import UTC, date, datetime, time

import pytest

from server.localtime import Snooze, local_to_utc, snooze_until, to_local


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_one_hour_is_elapsed_time_even_across_the_spring_change():
    # 01:30 CET on 29 March 2026; clocks jump 02:00 -> 03:00.
    now = utc(2026, 3, 29, 0, 30)
    later = snooze_until(Snooze.HOUR, now)
    assert later == utc(2026, 3, 29, 1, 30)
    assert to_local(later).strftime("%H:%M") == "03:30"


def test_tomorrow_is_nine_in_copenhagen_across_the_spring_change():
    now = utc(2026, 3, 28, 20, 0)  # Saturday 21:00 CET
    assert snooze_until(Snooze.TOMORROW, now) == utc(2026, 3, 29, 7, 0)  # 09:00 CEST


def test_tomorrow_is_nine_in_copenhagen_across_the_autumn_change():
    now = utc(2026, 10, 24, 20, 0)  # Saturday 22:00 CEST
    assert snooze_until(Snooze.TOMORROW, now) == utc(2026, 10, 25, 8, 0)  # 09:00 CET


def test_tomorrow_uses_the_copenhagen_date_not_the_utc_date():
    now = utc(2026, 6, 10, 22, 30)  # already 11 June 00:30 in Copenhagen
    assert snooze_until(Snooze.TOMORROW, now) == utc(2026, 6, 12, 7, 0)


def test_next_week_is_nine_seven_days_on_across_the_autumn_change():
    now = utc(2026, 10, 22, 12, 0)  # Thursday 14:00 CEST
    assert snooze_until(Snooze.NEXT_WEEK, now) == utc(2026, 10, 29, 8, 0)  # 09:00 CET


def test_unknown_preset_is_an_error():
    with pytest.raises(ValueError):
        snooze_until("forever", utc(2026, 1, 1, 12, 0))


def test_form_times_are_read_in_copenhagen_winter_and_summer():
    assert local_to_utc(date(2026, 1, 15), time(9, 0)) == utc(2026, 1, 15, 8, 0)
    assert local_to_utc(date(2026, 7, 15), time(9, 0)) == utc(2026, 7, 15, 7, 0)
