"""The two fields every entry made on a phone carries: its UUID and its time of recording."""
import uuid
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import ValidationError

from server.db import utcnow

# Phones' clocks drift; an entry "from the future" beyond this is refused as a clock error.
CLOCK_SKEW = timedelta(minutes=10)
# Nothing is recorded before Ledsager existed; also keeps UTC conversion from overflowing.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


class ClientEntryForm(FlaskForm):
    """Base form for outbox-able entries (contacts, reminders, appointments).

    `client_id` is made on the page (crypto.randomUUID) so a replay is recognised; a plain
    form post without script gets one from the server. `recorded_at` is the phone's time.
    """

    client_id = HiddenField()
    recorded_at = HiddenField()

    def validate_client_id(self, field):
        if not field.data:
            field.data = str(uuid.uuid4())
            return
        try:
            uuid.UUID(field.data)
        except (ValueError, AttributeError, TypeError):
            raise ValidationError(_l("Ugyldigt id for posten."))

    def validate_recorded_at(self, field):
        if not field.data:
            field.data = utcnow().isoformat()
            return
        try:
            value = datetime.fromisoformat(field.data.replace("Z", "+00:00"))
        except (ValueError, AttributeError):
            raise ValidationError(_l("Ugyldigt tidspunkt for registreringen."))
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        try:
            too_early = value < EARLIEST
        except OverflowError:
            too_early = True
        if too_early:
            raise ValidationError(_l("Ugyldigt tidspunkt for registreringen."))
        if value > utcnow() + CLOCK_SKEW:
            raise ValidationError(_l("Tidspunktet for registreringen ligger i fremtiden."))
        field.data = value.isoformat()

    @property
    def client_uuid(self) -> uuid.UUID:
        return uuid.UUID(self.client_id.data)

    @property
    def recorded_time(self) -> datetime:
        return datetime.fromisoformat(self.recorded_at.data).astimezone(UTC)
