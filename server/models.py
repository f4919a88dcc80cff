"""Imports every model so metadata is complete (Alembic, create_all, tests)."""
from server.appointments.models import Appointment, CalendarFeed, CitizenAnswer, Counterpart  # noqa: F401
from server.audit.models import AuditEvent  # noqa: F401
from server.auth.models import Credential, EnrolmentCode, LoginSession, Role, User, WebAuthnChallenge  # noqa: F401
from server.citizens.models import (  # noqa: F401
    Assessment, Assignment, Citizen, ContactWish, CourseStatus, Dimension, EndReason,
    NetworkPerson, Substitution, SupportMethod,
)
from server.contacts.models import Contact, ContactType, Place, contact_dimensions  # noqa: F401
from server.housing.models import HOUSED, HousingEvent, HousingPlan, Situation  # noqa: F401
from server.offers.models import CitizenOffer, Offer, OfferStatus, Provider  # noqa: F401
from server.plans.models import Action, Goal, Plan  # noqa: F401
from server.reminders.models import PushSubscription, Reminder, ReminderSource  # noqa: F401
from server.teams.models import AgendaItem, SupervisionSession, Team, TeamMeeting  # noqa: F401
