"""Appointments as iCalendar (ICS), for "add to my calendar" and the citizen's feed."""
from datetime import timedelta

from icalendar import Calendar, Event

from server.db import utcnow

DEFAULT_LENGTH = timedelta(hours=1)


def calendar_for(appointments, *, name: str, host: str = "ledsager") -> bytes:
    """An ICS calendar of the given appointments. Only fields fit for the citizen go in:
    title, time, place and meeting point, never the team's notes."""
    calendar = Calendar()
    calendar.add("prodid", "-//Ledsager//ICM//DA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for appointment in appointments:
        event = Event()
        event.add("uid", f"appointment-{appointment.client_id}@{host}")
        event.add("dtstamp", utcnow())
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at or appointment.starts_at + DEFAULT_LENGTH)
        event.add("summary", appointment.title)
        if appointment.location:
            event.add("location", appointment.location)
        if appointment.meeting_point:
            event.add("description", f"Mødested: {appointment.meeting_point}")
        if appointment.cancelled:
            event.add("status", "CANCELLED")
        calendar.add_component(event)
    return calendar.to_ical()
