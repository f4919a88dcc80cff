"""Copenhagen wall-clock time: the municipality's day for forms, flags and snoozing; the database
keeps UTC."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Copenhagen")
MORNING = time(9, 0)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)


def local_today(now: datetime | None = None) -> date:
    """The date in Copenhagen at `now` (default: this moment), whatever the server's clock zone."""
    return (now or datetime.now(UTC)).astimezone(LOCAL).date()


def local_midnight(day: date) -> datetime:
    """The start of a Copenhagen day, as an aware (local) datetime."""
    return datetime.combine(day, time(0), tzinfo=LOCAL)


def local_to_utc(day: date, clock: time) -> datetime:
    """A date and time typed in Copenhagen, as aware UTC.

    A time in the spring-forward gap (02:30 on the last Sunday of March) does not exist;
    zoneinfo reads it with the pre-change offset, which lands an hour later on the clock.
    """
    return datetime.combine(day, clock, tzinfo=LOCAL).astimezone(UTC)


def next_full_hour(now: datetime) -> datetime:
    local = to_local(now).replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return local.astimezone(UTC)


class Snooze:
    """The snooze presets a worker can tap."""

    HOUR = "hour"
    TOMORROW = "tomorrow"
    NEXT_WEEK = "next_week"
    ALL = (HOUR, TOMORROW, NEXT_WEEK)


def snooze_until(preset: str, now: datetime) -> datetime:
    """When a snoozed reminder comes back.

    One hour is elapsed time; "tomorrow" and "next week" are 9:00 on the Copenhagen
    calendar, so they stay at 9:00 across a daylight-saving change.
    """
    if preset == Snooze.HOUR:
        return (now + timedelta(hours=1)).astimezone(UTC)
    today = to_local(now).date()
    if preset == Snooze.TOMORROW:
        return local_to_utc(today + timedelta(days=1), MORNING)
    if preset == Snooze.NEXT_WEEK:
        return local_to_utc(today + timedelta(days=7), MORNING)
    raise ValueError(f"unknown snooze preset {preset!r}")
