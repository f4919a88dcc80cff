"""Plain-Danish labels for what the citizen sees: access kinds, roles, areas, appointment words."""
from flask_babel import lazy_gettext as _l

# Audit actions as the citizen reads them in "Hvem har set mine oplysninger".
ACCESS_KIND_LABELS = {
    "read": _l("Så dine oplysninger"),
    "write": _l("Ændrede dine oplysninger"),
    "export": _l("Hentede en kopi af dine oplysninger"),
    "search": _l("Fandt dig i en søgning"),
    "list": _l("Så dig på en liste"),
    "denied": _l("Forsøgte at se dine oplysninger, men fik ikke lov"),
    "reveal_cpr": _l("Så dit CPR-nummer"),
    "cpr_reveal": _l("Så dit CPR-nummer"),
    "login": _l("Loggede ind"),
    "enrolment": _l("Oprettede adgang til Ledsager"),
    "anonymise": _l("Anonymiserede dine oplysninger"),
    "retention": _l("Slettede gamle oplysninger"),
}

# Roles, never names: the Danish data protection authority lets the log name the role only.
ROLE_LABELS = {
    "worker": _l("En ICM-medarbejder"),
    "supervisor": _l("En teamleder"),
    "admin": _l("En administrator"),
    "self": _l("Dig selv"),
    "other_citizen": _l("En anden borger"),
    "calendar": _l("Din kalender (via dit kalender-link)"),
    "system": _l("Ledsager selv (automatisk)"),
}

# Which part of Ledsager: the blueprint of the audited endpoint.
AREA_LABELS = {
    "citizens": _l("Din sag"),
    "contacts": _l("Kontakter"),
    "appointments": _l("Aftaler"),
    "reminders": _l("Påmindelser"),
    "plans": _l("Plan"),
    "housing": _l("Bolig"),
    "offers": _l("Tilbud"),
    "teams": _l("Teammøde"),
    "today": _l("Dagens overblik"),
    "portal": _l("Din egen side i Ledsager"),
    "auth": _l("Adgang til Ledsager"),
    "audit": _l("Adgangsloggen"),
    "sync": _l("Registrering fra telefon"),
    "admin": _l("Administration"),
    "calendar-feed": _l("Kalender-link"),
}

CONTACT_TYPE_LABELS = {
    "home_visit": _l("Besøg hjemme"),
    "phone": _l("Telefonsamtale"),
    "met_elsewhere": _l("Møde et andet sted"),
    "accompaniment": _l("Følgeskab til møde"),
    "outreach": _l("Opsøgende besøg"),
}

from server.appointments.labels import COUNTERPART_LABELS  # noqa: E402,F401  (one wording app-wide)

ANSWER_LABELS = {
    "coming": _l("Du har svaret: Jeg kommer"),
    "cannot_come": _l("Du har svaret: Jeg kan ikke komme"),
}


def access_kind_label(action: str) -> str:
    label = ACCESS_KIND_LABELS.get(action)
    return str(label) if label else str(_l("Anden adgang (%(action)s)", action=action))


def area_label(subject: str | None) -> str:
    if not subject:
        return ""
    key = subject.split(".", 1)[0]
    label = AREA_LABELS.get(key)
    return str(label) if label else ""


def who_label(event, citizen_user_id: int | None) -> str:
    """The role of whoever caused an audit row, as the citizen reads it (never a name)."""
    if event.role == "citizen":
        key = "self" if event.user_id is not None and event.user_id == citizen_user_id else "other_citizen"
    elif event.role in ROLE_LABELS:
        key = event.role
    elif event.subject == "calendar-feed":
        key = "calendar"
    else:
        key = "system"
    return str(ROLE_LABELS[key])


# --- The printable art. 15 copy ----------------------------------------------------------------

EXPORT_SECTION_LABELS = {
    "citizen": _l("Om dig"),
    "account": _l("Din adgang til Ledsager"),
    "assignments": _l("Dine ICM-medarbejdere"),
    "substitutions": _l("Vikarer for din medarbejder"),
    "plans": _l("Dine planer (alle udgaver)"),
    "assessments": _l("Udredning af dine behov"),
    "contacts": _l("Kontakter med dig"),
    "appointments": _l("Aftaler"),
    "reminders": _l("Påmindelser om dig til medarbejderne"),
    "housing_events": _l("Hvor du har boet"),
    "housing_plan": _l("Boligplan"),
    "offers": _l("Tilbud"),
    "network": _l("Dit netværk"),
    "team_meeting_items": _l("Teammøder hvor du blev drøftet"),
    "calendar_feeds": _l("Kalender-links"),
    "access_log": _l("Hvem har set dine oplysninger"),
}

EXPORT_FIELD_LABELS = {
    "id": _l("Nummer i Ledsager"), "first_name": _l("Fornavn"), "last_name": _l("Efternavn"),
    "preferred_name": _l("Kaldenavn"), "birth_year": _l("Fødselsår"), "cpr": _l("CPR-nummer"),
    "phone": _l("Telefon"), "support_method": _l("Støtteform"), "status": _l("Status"),
    "started_on": _l("Startede"), "ended_on": _l("Sluttede"), "end_reason": _l("Grund til afslutning"),
    "end_housing_situation": _l("Bolig ved afslutning"), "wishes": _l("Dine ønsker"),
    "wishes_updated_at": _l("Ønsker sidst ændret"), "asked_for_contact_at": _l("Bad sidst om kontakt"),
    "created_at": _l("Oprettet"), "username": _l("Brugernavn"), "active": _l("Aktiv"),
    "passkeys": _l("Adgangsnøgler"), "label": _l("Navn"), "last_used_at": _l("Sidst brugt"),
    "device_type": _l("Slags nøgle"), "starts_at": _l("Fra"), "ends_at": _l("Til"), "reason": _l("Grund"),
    "cap_override_reason": _l("Grund til at gå over loftet for antal borgere"),
    "worker": _l("Medarbejder"), "version": _l("Udgave"), "review_on": _l("Skal ses igen"),
    "reviewed_on": _l("Set igen"), "section_141_reference": _l("Handleplan (§ 141)"),
    "caseworker_name": _l("Sagsbehandler"), "caseworker_contact": _l("Sagsbehandlers kontakt"),
    "change_note": _l("Note om ændringen"), "goals": _l("Mål"), "actions": _l("Skridt"),
    "citizen_words": _l("Dine ord"), "worker_note": _l("Medarbejderens note"),
    "worker_notes": _l("Medarbejderens noter"), "dimension": _l("Livsområde"), "who": _l("Hvem"),
    "what": _l("Hvad"), "due_on": _l("Senest"), "done": _l("Gjort"), "assessed_on": _l("Dato"),
    "occurred_at": _l("Tidspunkt"), "type": _l("Slags"), "place": _l("Sted"), "reached": _l("Truffet"),
    "duration_minutes": _l("Minutter"), "note": _l("Note"), "shared_with_citizen": _l("Delt med dig"),
    "recorded_at": _l("Skrevet"), "received_at": _l("Modtaget"), "dimensions": _l("Livsområder"),
    "title": _l("Titel"), "counterpart": _l("Hos"), "location": _l("Sted"), "meeting_point": _l("Mødested"),
    "accompanied": _l("Medarbejder tager med"), "cancelled": _l("Aflyst"), "citizen_answer": _l("Dit svar"),
    "citizen_answered_at": _l("Svaret"), "attended": _l("Mødte op"), "worker_was_present": _l("Medarbejder var med"),
    "outcome": _l("Resultat"), "follow_up": _l("Opfølgning"), "text": _l("Tekst"), "due_at": _l("Tidspunkt"),
    "done_at": _l("Klaret"), "source": _l("Kilde"), "situation": _l("Boligsituation"), "housed": _l("Har bolig"),
    "evicted": _l("Efter udsættelse"), "address": _l("Adresse"), "interim_stay": _l("Bor i mellemtiden"),
    "target": _l("Mål for bolig"), "waiting_list": _l("Venteliste"), "expected_move_in_on": _l("Forventet indflytning"),
    "moving_in": _l("Flytter ind nu"), "deposit": _l("Depositum"), "deposit_loan": _l("Indskudslån"),
    "betalingsservice": _l("Betalingsservice"), "rent_administration": _l("Huslejeadministration"),
    "moving_help": _l("Flyttehjælp"), "furniture": _l("Møbler"), "offer": _l("Tilbud"), "provider": _l("Udbyder"),
    "updated_at": _l("Ændret"), "name": _l("Navn"), "relation": _l("Relation"), "contact_wish": _l("Ønske om kontakt"),
    "discussion": _l("Drøftelse"), "decision": _l("Beslutning"), "held_at": _l("Mødedato"),
    "revoked_at": _l("Slået fra"), "at": _l("Tidspunkt"), "action": _l("Handling"), "role": _l("Rolle"),
    "subject": _l("Hvor i Ledsager"), "outcome_audit": _l("Udfald"),
}


def field_label(key: str) -> str:
    label = EXPORT_FIELD_LABELS.get(key)
    return str(label) if label else key


def show_value(value) -> str:
    """A value of the export, readable on paper: dates in Danish, yes/no, dash for nothing."""
    from datetime import date, datetime

    from flask_babel import format_date, format_datetime, gettext

    if value is None or value == "":
        return "–"
    if value is True:
        return gettext("Ja")
    if value is False:
        return gettext("Nej")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return format_date(date.fromisoformat(value), "d. MMMM yyyy")
            return format_datetime(datetime.fromisoformat(value), "d. MMMM yyyy 'kl.' HH:mm")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value)
