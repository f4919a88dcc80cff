"""Invented Danish demo data: one ICM team in the fictional Søby Kommune, with months of history.

Everyone here is made up. Names are ordinary Danish first and last names put together at
random; addresses are in a town that has no such municipality; phone numbers are invented.
All times are relative to now, so "today" always has appointments and due reminders.
"""
import hashlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.appointments.models import Appointment, CitizenAnswer, Counterpart
from server.audit import operations as audit
from server.audit.models import AuditEvent
from server.auth.models import Role, User
from server.auth.passwords import hash_password
from server.citizens.labels import seed_dimensions
from server.citizens.models import (
    Assessment, Assignment, Citizen, ContactWish, CourseStatus, Dimension, EndReason, NetworkPerson,
    Substitution,
)
from server.contacts.models import Contact, ContactType, Place
from server.db import utcnow
from server.extensions import db
from server.housing.models import HOUSED, HousingEvent, HousingPlan, Situation
from server.offers.models import CitizenOffer, Offer, OfferStatus, Provider
from server.plans.models import Action, Goal, Plan
from server.reminders.models import Reminder, ReminderSource
from server.teams.models import AgendaItem, SupervisionSession, Team, TeamMeeting

DEMO_PASSWORD = "ledsager-demo"
TEAM_NAME = "ICM-team Søby"
MUNICIPALITY = "Søby Kommune"
LOCAL = ZoneInfo("Europe/Copenhagen")
SEED = 1410  # the demo is the same every time it is loaded on the same day

STAFF = [
    # username, name, role, phone, description printed by `flask demo`
    ("karin", "Karin Holmgaard", Role.SUPERVISOR, "61 42 08 15", "teamleder (supervisor) for ICM-team Søby"),
    ("mette", "Mette Kjærsgaard", Role.WORKER, "61 42 08 21", "ICM-medarbejder, 7 borgere (2 flytter ind nu)"),
    ("jonas", "Jonas Bech Lauridsen", Role.WORKER, "61 42 08 22", "ICM-medarbejder, 7 borgere"),
    ("sara", "Sara Østergaard Nielsen", Role.WORKER, "61 42 08 23", "ICM-medarbejder, 6 borgere + vikar for én af Mettes"),
    ("admin", "Henrik Dalsgaard", Role.ADMIN, None, "administrator (brugere, teams, tilbudskatalog)"),
]

DIMENSIONS = ["housing", "economy", "social_network", "daily_activities", "physical_health",
              "mental_health", "substance_use", "education_work"]

CASEWORKERS = [
    ("Birgitte Lund Madsen", "Myndighed Voksen, tlf. 72 50 41 17"),
    ("Ole Stampe", "Myndighed Voksen, tlf. 72 50 41 32"),
    ("Hanne Vinther Kure", "Socialcenter Søby, tlf. 72 50 40 09"),
    ("Thomas Krogh Iversen", "Myndighed Voksen, tlf. 72 50 41 55"),
]

STREETS = ["Havnegade", "Møllevej", "Kirkestræde", "Vestergade", "Fjordvej", "Skovbrynet",
           "Ringvejen", "Åbrinken", "Toftevej", "Lærkevej", "Gartnervænget", "Strandstien"]


@dataclass
class CitizenSpec:
    """One invented citizen: who, whose, how long, where they have lived, what they want."""

    key: str
    first: str
    last: str
    born: int
    worker: str
    months: float  # how long ago the ICM course started
    housing: list  # [(days_ago, situation, evicted, note)]
    goals: list  # [(dimension, citizen's words, worker note or None)]
    actions: list  # [(dimension, who, what, due in days (negative: past), done)]
    wishes: str | None = None
    preferred: str | None = None
    missing: tuple = ()  # dimensions not yet assessed
    plan_versions: int = 2
    review_overdue: bool = False
    moving_in: dict | None = None  # housing plan in the move-in phase
    interim: str | None = None
    target: str | None = None
    waiting_list: str | None = None
    not_reached: bool = False
    rate: float = 1.6  # contacts per week, normal rhythm
    focus: tuple = ("housing",)
    network: list = field(default_factory=list)  # [(name, relation, wish, note)]
    offers: list = field(default_factory=list)  # [(offer key, status, note)]
    ended: tuple | None = None  # (days ago, EndReason, housing at end)
    login: bool = False
    asked_for_contact: bool = False
    reassigned_from: str | None = None  # worker before the reassignment
    substitute: str | None = None  # covering colleague this week


# Housing timelines are (days ago, situation, evicted, note); the last entry is the present.
CITIZENS = [
    # --- Mette (7) ---
    CitizenSpec(
        "lasse", "Lars", "Winther Holm", 1971, "mette", 11, preferred="Lasse", login=True,
        housing=[(330, Situation.STREET, False, "Sov i parken ved Åbrinken"),
                 (300, Situation.SHELTER_110, False, "Forsorgshjemmet Fjordly"),
                 (125, Situation.RENTAL_PUBLIC, False, "Egen lejlighed i Boligselskabet Fjordbo")],
        wishes="At få en hund og komme ud at fiske igen. Og at min datter vil ringe til mig.",
        goals=[("housing", "Jeg vil have min egen lejlighed og have en hund", "Lejlighed opnået; hund når økonomien er stabil"),
               ("social_network", "Jeg vil gerne se min datter Nanna igen", None),
               ("economy", "Jeg vil ikke skylde penge til nogen", "Gæld til inkasso ca. 38.000 kr."),
               ("daily_activities", "Jeg vil ud at fiske på molen om morgenen", None)],
        actions=[("housing", "Mette", "Søge indskudslån sammen med Lasse", -120, True),
                 ("economy", "Lasse og Mette", "Tage med til Gældsrådgivningen", 10, False),
                 ("social_network", "Lasse", "Skrive et brev til Nanna", 21, False),
                 ("daily_activities", "Mette", "Undersøge fisketegn og stang via Fælleskøkkenets byttebod", 30, False)],
        plan_versions=3, rate=1.8, focus=("housing", "economy", "social_network"),
        network=[("Nanna Winther", "datter", ContactWish.THROUGH_CITIZEN, "Lasse vil selv tage første kontakt"),
                 ("Poul Erik Mose", "ven fra molen", ContactWish.WANTS_CONTACT, None)],
        offers=[("havnen", OfferStatus.ATTENDING, "Kommer tirsdag og torsdag"),
                ("gaeld", OfferStatus.CONTACTED, "Første møde aftalt"),
                ("koekken", OfferStatus.IDENTIFIED, None)],
    ),
    CitizenSpec(
        "bente", "Bente", "Kragh Mikkelsen", 1965, "mette", 7,
        housing=[(215, Situation.SOFA_SURFING, False, "Hos en veninde i Vestergade"),
                 (160, Situation.SHELTER_110, False, "Forsorgshjemmet Fjordly, værelse 12")],
        wishes="Et sted med altan, hvor jeg kan have mine blomster.",
        goals=[("housing", "Jeg vil bo for mig selv med en altan", None),
               ("physical_health", "Mine ben skal have det bedre, så jeg kan gå til byen", "Diabetes, sår på venstre fod"),
               ("economy", "Jeg vil selv kunne betale husleje hver måned", None)],
        actions=[("housing", "Mette", "Bestille flyttehjælp hos kommunen", 5, False),
                 ("economy", "Bente og Mette", "Tilmelde husleje til Betalingsservice", -3, True),
                 ("physical_health", "Bente", "Gå til sårsygeplejersken hver tirsdag", 7, False),
                 ("housing", "Mette", "Finde brugte møbler via Fælleskøkkenets netværk", 8, False)],
        moving_in=dict(days=9, deposit=False, deposit_loan=True, betalingsservice=True, rent_administration=False,
                       moving_help=False, furniture=False),
        interim="Forsorgshjemmet Fjordly", target="2-værelses almen bolig, Møllevej",
        waiting_list="Boligselskabet Fjordbo, social anvisning", rate=1.5,
        focus=("housing", "physical_health"),
        network=[("Kirsten Kragh", "søster", ContactWish.WANTS_CONTACT, "Hjælper gerne med flytningen")],
        offers=[("koekken", OfferStatus.ATTENDING, None)],
    ),
    CitizenSpec(
        "yusuf", "Yusuf", "Demir", 1984, "mette", 5,
        housing=[(160, Situation.STREET, False, "Overnattede i opgangen ved stationen"),
                 (140, Situation.NIGHT_SHELTER, False, "Natvarmestuen"),
                 (95, Situation.SOFA_SURFING, False, "Hos sin fætter i Ringvejen")],
        wishes="Et job på et lager og mit eget sted, så min søn kan sove over.",
        goals=[("housing", "Jeg vil have et sted, hvor min søn kan sove over", None),
               ("education_work", "Jeg vil arbejde igen, gerne på lager", "Har truckcertifikat fra 2012"),
               ("mental_health", "Jeg vil kunne sove om natten", None)],
        actions=[("housing", "Mette", "Aftale nøgleoverdragelse med Fjordbo", 14, False),
                 ("education_work", "Yusuf og Mette", "Samtale på jobcentret om virksomhedspraktik", 12, False),
                 ("mental_health", "Yusuf", "Tale med lægen om søvnen", -10, True)],
        moving_in=dict(days=16, deposit=True, deposit_loan=False, betalingsservice=False, rent_administration=False,
                       moving_help=True, furniture=False),
        interim="Hos fætteren, Ringvejen", target="1-værelses almen bolig, Toftevej",
        waiting_list="Boligselskabet Fjordbo", missing=("substance_use",), rate=1.7,
        focus=("housing", "education_work"),
        network=[("Emre Demir", "fætter", ContactWish.WANTS_CONTACT, "Yusuf bor hos ham indtil videre"),
                 ("Malik", "søn (9 år)", ContactWish.THROUGH_CITIZEN, "Samvær hver anden weekend via moren")],
        offers=[("jobcenter", OfferStatus.CONTACTED, None), ("idraet", OfferStatus.IDENTIFIED, "Fodbold om onsdagen")],
    ),
    CitizenSpec(
        "kim", "Kim", "Bach Rasmussen", 1980, "mette", 14, substitute="sara",
        housing=[(420, Situation.SHELTER_110, False, "Forsorgshjemmet Fjordly"),
                 (350, Situation.RENTAL_PUBLIC, False, "Almen bolig, Skovbrynet"),
                 (190, Situation.SOFA_SURFING, True, "Sat ud efter huslejerestance og klager over larm"),
                 (70, Situation.RENTAL_PRIVATE, False, "Lille lejlighed over frisøren i Kirkestræde")],
        wishes="At blive boende denne gang. Og at spille dart igen.",
        goals=[("housing", "Jeg vil ikke smides ud igen", "Huslejeadministration aftalt som forebyggelse"),
               ("substance_use", "Jeg vil drikke mindre, især om fredagen", None),
               ("social_network", "Jeg vil have nogle venner, der ikke drikker", None)],
        actions=[("housing", "Mette", "Aftale huslejeadministration med Ydelsesservice", -60, True),
                 ("substance_use", "Kim og Mette", "Besøge Misbrugscenter Søby sammen", -20, True),
                 ("substance_use", "Kim", "Møde op til samtale på misbrugscentret hver 14. dag", 6, False),
                 ("social_network", "Mette", "Finde ud af tider for dart i Idrætsklubben", 15, False)],
        plan_versions=3, rate=2.0, focus=("housing", "substance_use"),
        network=[("Gitte Bach", "mor", ContactWish.WANTS_CONTACT, "Ring gerne til hende, hvis Kim ikke kan nås"),
                 ("Rene Sønderby", "tidligere samlever", ContactWish.NO_CONTACT, "Må ikke kontaktes")],
        offers=[("misbrug", OfferStatus.ATTENDING, "Samtaler hver 14. dag"),
                ("idraet", OfferStatus.CONTACTED, "Dart mandag aften")],
    ),
    CitizenSpec(
        "sus", "Susanne", "Lykke Poulsen", 1977, "mette", 9, preferred="Sus",
        housing=[(270, Situation.HOTEL_HOSTEL, False, "Vandrehjemmet"),
                 (230, Situation.RENTAL_PUBLIC, False, "Almen bolig, Lærkevej"),
                 (20, Situation.AT_RISK, False, "Restance på tre måneders husleje; varsel fra Fjordbo")],
        wishes="Ro på. Og at mine børn kan være stolte af mig.",
        goals=[("housing", "Jeg vil beholde min lejlighed", "Restance ca. 17.400 kr., fogedsag kan komme"),
               ("economy", "Jeg vil have styr på mine regninger", None),
               ("mental_health", "Jeg vil ikke være bange for at åbne posten", None)],
        actions=[("economy", "Sus og Mette", "Møde i Gældsrådgivningen om afdragsordning", 3, False),
                 ("housing", "Mette", "Ringe til Fjordbo om udsættelse af varsel", -2, False),
                 ("economy", "Hanne Vinther Kure", "Behandle ansøgning om hjælp til huslejerestance (§81)", 8, False)],
        rate=1.9, focus=("housing", "economy", "mental_health"),
        network=[("Jesper Lykke", "søn", ContactWish.UNSURE, None),
                 ("Lene Poulsen", "søster", ContactWish.WANTS_CONTACT, None)],
        offers=[("gaeld", OfferStatus.ATTENDING, None), ("havnen", OfferStatus.ENDED, "Ville hellere være hjemme")],
    ),
    CitizenSpec(
        "tommy", "Tommy", "Egelund", 1969, "mette", 10, not_reached=True,
        housing=[(300, Situation.STREET, False, "Telt i skoven bag Strandstien"),
                 (210, Situation.NIGHT_SHELTER, False, "Natvarmestuen om vinteren"),
                 (120, Situation.STREET, False, "Tilbage i teltet")],
        wishes="At blive ladt i fred. Men en varm bolig til vinteren.",
        goals=[("housing", "Jeg vil have et sted til vinteren, men ikke i en opgang", "Skæve huse kunne passe"),
               ("physical_health", "Min tand skal ud", None)],
        actions=[("housing", "Mette", "Skrive Tommy op til skæve huse", -40, True),
                 ("physical_health", "Mette", "Bestille tid hos tandlægen i Sundhedshuset", -5, False)],
        interim="Telt ved Strandstien", target="Skæve hus", waiting_list="Skæve huse, Søby Kommune",
        missing=("education_work", "social_network"), rate=1.2, focus=("housing", "physical_health"),
        network=[("Bjarne", "kammerat fra Natvarmestuen", ContactWish.UNSURE, None)],
        offers=[("natvarme", OfferStatus.ATTENDING, "Om vinteren")],
    ),
    CitizenSpec(
        "jannie", "Jannie", "Vestergaard Friis", 1990, "mette", 0.7, plan_versions=0,
        housing=[(24, Situation.SHELTER_110, False, "Forsorgshjemmet Fjordly")],
        wishes="Jeg ved det ikke endnu.",
        goals=[], actions=[],
        missing=("economy", "social_network", "daily_activities", "education_work", "substance_use"),
        interim="Forsorgshjemmet Fjordly", rate=2.0, focus=("mental_health", "housing"),
        offers=[("havnen", OfferStatus.IDENTIFIED, None)],
    ),
    # --- Jonas (7) ---
    CitizenSpec(
        "preben", "Preben", "Hjortshøj", 1958, "jonas", 12,
        housing=[(365, Situation.RELEASE_PRISON, False, "Løsladt fra Statsfængslet"),
                 (330, Situation.TRANSITIONAL, False, "Udslusningsbolig, Gartnervænget"),
                 (150, Situation.RESIDENTIAL_108, False, "Bofællesskabet Lindehuset (§108)")],
        wishes="At kunne passe mine tomater i drivhuset.",
        goals=[("daily_activities", "Jeg vil have noget at stå op til", "Drivhuset i Lindehuset"),
               ("physical_health", "Jeg vil have min KOL under kontrol", None)],
        actions=[("physical_health", "Preben og Jonas", "Lungefunktionstest hos lægen", 18, False),
                 ("daily_activities", "Jonas", "Tale med Lindehuset om drivhuset", -30, True)],
        plan_versions=3, review_overdue=True, rate=1.1, focus=("daily_activities", "physical_health"),
        network=[("Hans Hjortshøj", "bror", ContactWish.NO_CONTACT, "Uvenner siden 2015")],
        offers=[("koekken", OfferStatus.ATTENDING, None)],
    ),
    CitizenSpec(
        "nikki", "Nikolaj", "Brandt Olesen", 1995, "jonas", 8, preferred="Nikki",
        housing=[(240, Situation.STREET, False, None),
                 (215, Situation.SHELTER_110, False, "Forsorgshjemmet Fjordly"),
                 (150, Situation.RENTAL_PUBLIC, False, "Ungdomsbolig, Åbrinken")],
        wishes="At spille musik igen og tage en uddannelse.",
        goals=[("mental_health", "Jeg vil ikke høre stemmerne så meget", "Tilknyttet OPUS"),
               ("education_work", "Jeg vil tage 9. klasse færdig på VUC", None),
               ("daily_activities", "Jeg vil spille guitar med nogen", None)],
        actions=[("mental_health", "Nikki og Jonas", "Følges til samtale i Psykiatrisk Ambulatorium", 2, False),
                 ("education_work", "Jonas", "Finde ud af optag på VUC", 25, False),
                 ("daily_activities", "Nikki", "Prøve musiklokalet på Værestedet Havnen", -14, True)],
        rate=2.1, focus=("mental_health", "education_work"),
        network=[("Marianne Brandt", "mor", ContactWish.WANTS_CONTACT, "Ringer tit; Nikki vil gerne have hende med til møder"),
                 ("Frederik Olesen", "far", ContactWish.NO_CONTACT, None)],
        offers=[("havnen", OfferStatus.ATTENDING, "Musiklokalet"), ("jobcenter", OfferStatus.IDENTIFIED, None)],
    ),
    CitizenSpec(
        "dorthe", "Dorthe", "Ravn Søgaard", 1962, "jonas", 10,
        housing=[(300, Situation.DISCHARGE_HOSPITAL, False, "Udskrevet fra psykiatrisk afdeling"),
                 (280, Situation.SHELTER_110, False, "Forsorgshjemmet Fjordly"),
                 (100, Situation.SKAEVE_HUSE, False, "Skæve huse ved Fjordvej, hus 3")],
        wishes="At have katte og et lille køkken.",
        goals=[("housing", "Jeg vil blive boende i mit lille hus", None),
               ("mental_health", "Jeg vil tage min medicin uden at blive tvunget", None),
               ("social_network", "Jeg vil have en at drikke kaffe med", None)],
        actions=[("mental_health", "Jonas", "Aftale medicin-dosering med distriktspsykiatrien", -7, True),
                 ("social_network", "Dorthe", "Prøve kaffeklubben i Fælleskøkkenet", 9, False)],
        plan_versions=2, rate=1.4, focus=("mental_health", "housing"),
        network=[("Inger Søgaard", "kusine", ContactWish.WANTS_CONTACT, None)],
        offers=[("koekken", OfferStatus.CONTACTED, "Kaffeklub fredag")],
    ),
    CitizenSpec(
        "rasmus", "Rasmus", "Fogh Jeppesen", 1986, "jonas", 6, not_reached=True,
        housing=[(185, Situation.SOFA_SURFING, False, "Skiftende venner"),
                 (60, Situation.HOTEL_HOSTEL, False, "Værelse på Søby Kro")],
        wishes="At komme ud af det med stofferne.",
        goals=[("substance_use", "Jeg vil være clean", None),
               ("housing", "Jeg vil have et sted, hvor mine venner ikke kommer", None)],
        actions=[("substance_use", "Jonas", "Følge Rasmus til visitation på Misbrugscenter Søby", -25, False)],
        interim="Søby Kro", missing=("education_work", "physical_health"), rate=1.3,
        focus=("substance_use", "housing"),
        network=[("Camilla", "ekskæreste", ContactWish.NO_CONTACT, None)],
        offers=[("misbrug", OfferStatus.CONTACTED, "Udeblev fra første samtale")],
    ),
    CitizenSpec(
        "camilla", "Camilla", "Birk Thomsen", 1993, "jonas", 9, review_overdue=True,
        housing=[(270, Situation.SHELTER_110, False, "Kvindekrisecentret"),
                 (65, Situation.RENTAL_PRIVATE, False, "Lejlighed, Vestergade 22")],
        wishes="At få min hverdag til at hænge sammen og tage på ferie.",
        goals=[("economy", "Jeg vil have et budget, jeg kan holde", None),
               ("social_network", "Jeg vil have veninder igen", None),
               ("education_work", "Jeg vil tage et kursus i regnskab", None)],
        actions=[("economy", "Camilla og Jonas", "Lave budget i Søby Sparekasse", -50, True),
                 ("social_network", "Camilla", "Gå med til strikkecafé på Værestedet Havnen", -35, False)],
        plan_versions=2, rate=1.5, focus=("economy", "social_network"),
        network=[("Louise Birk", "søster", ContactWish.WANTS_CONTACT, None)],
        offers=[("havnen", OfferStatus.CONTACTED, None), ("gaeld", OfferStatus.ENDED, "Afsluttet med budget")],
    ),
    CitizenSpec(
        "henning", "Henning", "Mølgaard Krog", 1955, "jonas", 13,
        housing=[(390, Situation.STREET, False, "Bænken ved havnen; har boet på gaden i 11 år")],
        wishes="At nogen kommer forbi. Jeg vil ikke i en lejlighed.",
        goals=[("physical_health", "Jeg vil have mine fødder set til", None),
               ("housing", "Måske en campingvogn eller et skævt hus. Ikke en opgang.", "Tålmodighed. Hjemløs i 11 år")],
        actions=[("physical_health", "Jonas", "Få fodterapeuten fra Sundhedsbussen med ud", -12, True),
                 ("housing", "Jonas", "Vise Henning skæve huse ved Fjordvej", 20, False)],
        interim="Bænken ved havnen / Natvarmestuen", target="Skæve hus", waiting_list="Skæve huse, Søby Kommune",
        missing=("education_work", "economy"), rate=1.6, focus=("physical_health", "housing"),
        offers=[("natvarme", OfferStatus.ATTENDING, None), ("havnen", OfferStatus.ATTENDING, "Morgenmad")],
    ),
    CitizenSpec(
        "maria", "Maria", "Sandholm Eriksen", 1988, "jonas", 8, asked_for_contact=True,
        housing=[(240, Situation.SOFA_SURFING, False, None),
                 (170, Situation.RENTAL_PUBLIC, False, "Almen bolig, Toftevej")],
        wishes="At få min datter hjem igen.",
        goals=[("social_network", "Jeg vil have samvær med Ida hver weekend", "Anbragt i plejefamilie"),
               ("mental_health", "Jeg vil lære at håndtere min angst", None)],
        actions=[("social_network", "Jonas", "Følge Maria til børne- og familiemøde", 4, False),
                 ("mental_health", "Maria", "Starte i angstgruppe hos Psykiatrien", -8, True)],
        plan_versions=2, rate=1.7, focus=("social_network", "mental_health"),
        network=[("Ida", "datter (6 år)", ContactWish.THROUGH_CITIZEN, "Anbragt"),
                 ("Birthe Sandholm", "mor", ContactWish.WANTS_CONTACT, None)],
        offers=[("idraet", OfferStatus.ATTENDING, "Gåhold")],
    ),
    # --- Sara (6) ---
    CitizenSpec(
        "anders", "Anders", "Kold Bjerre", 1974, "sara", 10, reassigned_from="jonas",
        housing=[(300, Situation.STREET, False, None),
                 (260, Situation.SHELTER_110, False, "Forsorgshjemmet Fjordly"),
                 (180, Situation.RENTAL_PUBLIC, False, "Almen bolig, Møllevej")],
        wishes="At køre bil igen og se fodbold med min bror.",
        goals=[("education_work", "Jeg vil have kørekortet tilbage", None),
               ("social_network", "Jeg vil se fodbold med min bror", None),
               ("physical_health", "Jeg vil tabe mig 10 kilo", None)],
        actions=[("education_work", "Anders og Sara", "Spørge jobcentret om hjælp til kørekort", 11, False),
                 ("physical_health", "Anders", "Gå med på Idrætsklubbens gåhold", -15, True)],
        plan_versions=3, rate=1.4, focus=("education_work", "social_network"),
        network=[("Torben Kold", "bror", ContactWish.WANTS_CONTACT, None)],
        offers=[("idraet", OfferStatus.ATTENDING, "Gåhold"), ("jobcenter", OfferStatus.ATTENDING, None)],
    ),
    CitizenSpec(
        "lone", "Lone", "Dyrberg Hansen", 1968, "sara", 8, review_overdue=True,
        housing=[(240, Situation.NIGHT_SHELTER, False, None),
                 (200, Situation.SHELTER_110, False, "Forsorgshjemmet Fjordly")],
        wishes="Et hjem tæt på vandet.",
        goals=[("housing", "Jeg vil bo tæt på vandet", None),
               ("substance_use", "Jeg vil drikke mindre om formiddagen", None)],
        actions=[("housing", "Sara", "Søge social anvisning igen", -20, False),
                 ("substance_use", "Lone og Sara", "Tale med lægen om Antabus", -45, True)],
        interim="Forsorgshjemmet Fjordly", target="1-værelses bolig ved havnen",
        waiting_list="Boligselskabet Fjordbo, social anvisning", rate=1.3, focus=("housing", "substance_use"),
        network=[("Jørgen Hansen", "tidligere mand", ContactWish.UNSURE, None)],
        offers=[("misbrug", OfferStatus.ATTENDING, None), ("koekken", OfferStatus.IDENTIFIED, None)],
    ),
    CitizenSpec(
        "hamid", "Hamid", "Karimi", 1983, "sara", 7,
        housing=[(210, Situation.SOFA_SURFING, False, "Hos venner"),
                 (190, Situation.SHELTER_110, False, "Forsorgshjemmet Fjordly"),
                 (42, Situation.RENTAL_PUBLIC, False, "Almen bolig, Ringvejen 8")],
        wishes="At lave mad til mine venner i mit eget køkken.",
        goals=[("housing", "Jeg vil have gardiner og en sofa", None),
               ("daily_activities", "Jeg vil lave mad selv", None),
               ("education_work", "Jeg vil lære bedre dansk", None)],
        actions=[("housing", "Sara", "Hente sofa fra genbrugspladsen", -30, True),
                 ("education_work", "Hamid", "Tilmelde sig dansk på sprogcentret", 20, False)],
        plan_versions=2, rate=2.2, focus=("housing", "daily_activities"),
        network=[("Reza Karimi", "bror i Sverige", ContactWish.WANTS_CONTACT, None)],
        offers=[("koekken", OfferStatus.ATTENDING, "Laver mad om torsdagen")],
    ),
    CitizenSpec(
        "pia", "Pia", "Melchiorsen", 1979, "sara", 6,
        housing=[(185, Situation.STREET, False, None),
                 (120, Situation.TRANSITIONAL, False, "Midlertidig bolig, Gartnervænget")],
        wishes="At få lov at se mine heste igen.",
        goals=[("housing", "Jeg vil have et hus på landet", "Realistisk: almen bolig i udkanten"),
               ("physical_health", "Jeg vil have min ryg undersøgt", None)],
        actions=[("physical_health", "Sara", "Henvisning til røntgen via egen læge", 6, False)],
        interim="Midlertidig bolig, Gartnervænget", target="Almen bolig i udkanten af Søby",
        waiting_list="Boligselskabet Fjordbo", missing=("education_work", "substance_use", "economy"),
        plan_versions=2, rate=1.5, focus=("housing", "physical_health"),
        offers=[("havnen", OfferStatus.IDENTIFIED, None)],
    ),
    CitizenSpec(
        "steen", "Steen", "Aagaard Lund", 1960, "sara", 15,
        housing=[(450, Situation.SHELTER_110, False, None),
                 (380, Situation.RENTAL_PUBLIC, False, "Almen bolig, Kirkestræde 4")],
        wishes="At klare mig selv med lidt hjælp.",
        goals=[("daily_activities", "Jeg vil klare indkøb og vasketøj selv", "Klar til overgang til §85?"),
               ("social_network", "Jeg vil fortsætte i Fælleskøkkenet", None)],
        actions=[("daily_activities", "Sara og Steen", "Tale om overgang til bostøtte (§85)", 30, False)],
        plan_versions=3, rate=0.9, focus=("daily_activities",),
        network=[("Else Lund", "nabo", ContactWish.WANTS_CONTACT, None)],
        offers=[("koekken", OfferStatus.ATTENDING, None)],
    ),
    CitizenSpec(
        "emma", "Emilie", "Kjeldsen", 1999, "sara", 4, preferred="Emma",
        housing=[(125, Situation.SHELTER_110, False, "Ungehuset"),
                 (28, Situation.RENTAL_PUBLIC, False, "Ungdomsbolig, Åbrinken")],
        wishes="At blive frisør.",
        goals=[("education_work", "Jeg vil være frisør", None),
               ("mental_health", "Jeg vil kunne gå i Netto uden panik", None)],
        actions=[("education_work", "Emma og Sara", "Besøge erhvervsskolen", 16, False)],
        plan_versions=2, rate=2.3, focus=("mental_health", "education_work"),
        network=[("Tina Kjeldsen", "mor", ContactWish.UNSURE, None)],
        offers=[("idraet", OfferStatus.IDENTIFIED, None)],
    ),
    # --- ended course (counts in outcome reports, not in the caseload) ---
    CitizenSpec(
        "jens", "Jens-Ole", "Fisker", 1966, "sara", 20, ended=(30, EndReason.TRANSFER_85, "rental_public"),
        housing=[(600, Situation.STREET, False, None),
                 (560, Situation.SHELTER_110, False, None),
                 (480, Situation.RENTAL_PUBLIC, False, "Almen bolig, Fjordvej")],
        wishes="At passe mig selv.",
        goals=[("daily_activities", "Jeg klarer mig selv nu", None)],
        actions=[("daily_activities", "Sara", "Overdrage til bostøtte (§85)", -30, True)],
        plan_versions=2, rate=0.8, focus=("daily_activities",),
    ),
]

OFFERS = {
    "havnen": ("Værestedet Havnen", Provider.NGO, "Værested med morgenmad, musiklokale og strikkecafé",
               "Havnegade 3", "Leder Ulla, tlf. 21 44 60 12"),
    "misbrug": ("Misbrugscenter Søby", Provider.MUNICIPAL, "Ambulant alkohol- og stofbehandling, visitation uden ventetid",
                "Rådhusstræde 7", "Visitationen, tlf. 72 50 43 00"),
    "jobcenter": ("Jobcenter Søby", Provider.MUNICIPAL, "Beskæftigelse, virksomhedspraktik, mentor",
                  "Torvegade 3", "tlf. 72 50 45 00"),
    "koekken": ("Fælleskøkkenet", Provider.NGO, "Fællesspisning og madlavning, torsdag og fredag",
                "Kirkestræde 11", "Frivilligkoordinator Mads, tlf. 28 90 11 47"),
    "gaeld": ("Gældsrådgivningen", Provider.NGO, "Gratis rådgivning om gæld og budget",
              "Vestergade 30", "tlf. 70 20 11 80 (tirsdag 10-14)"),
    "idraet": ("Idrætsklubben Alle Med", Provider.NGO, "Gåhold, fodbold, dart — for alle",
               "Søby Hallen, Skovbrynet 2", "Formand Kurt, tlf. 40 17 22 09"),
    "natvarme": ("Natvarmestuen", Provider.NGO, "Nattevarmestue november-marts",
                 "Banegårdspladsen 1", "tlf. 22 61 30 40"),
    "sundhed": ("Sundhedsbussen", Provider.REGIONAL, "Sygeplejerske og fodterapeut kører ud to gange om ugen",
                None, "tlf. 78 40 12 12"),
}

# What the citizen says and what the worker notes, per dimension (assessments).
ASSESSMENT_WORDS = {
    "housing": [("Jeg vil have mit eget sted, hvor ingen kan smide mig ud.", "Ønsker egen bolig; har haft mange korte ophold."),
                ("Jeg er træt af at flytte rundt.", "Boligsituationen er det, borgeren selv nævner først."),
                ("Jeg kan ikke sove på forsorgshjemmet.", "Ønsker bolig væk fra centrum.")],
    "economy": [("Jeg ved ikke, hvad jeg skylder.", "Gæld ukendt; skal have overblik. Kontanthjælp."),
                ("Pengene er væk den 5.", "Behov for budget og evt. huslejeadministration."),
                ("Jeg har styr på det, synes jeg.", "Førtidspension; betaler regninger selv.")],
    "social_network": [("Min familie har opgivet mig.", "Sporadisk kontakt til søskende; ønsker mere."),
                       ("Jeg har mine venner fra bænken.", "Netværket er primært i miljøet."),
                       ("Jeg savner mine børn.", "Børn anbragt/voksne; ønsker kontakt gennem borgeren.")],
    "daily_activities": [("Dagene er lange.", "Ingen faste aktiviteter; interesse for værested."),
                         ("Jeg kan godt lide at lave mad.", "Kunne have glæde af Fælleskøkkenet."),
                         ("Jeg går tur med min nabos hund.", "Har små faste rutiner.")],
    "physical_health": [("Mine tænder gør ondt.", "Ikke været hos tandlæge i mange år."),
                        ("Jeg har ondt i ryggen og benene.", "Ikke set egen læge i over et år."),
                        ("Jeg har det fint nok.", "KOL; ryger ca. 20 om dagen.")],
    "mental_health": [("Jeg bliver bange blandt mange mennesker.", "Angst; tilknyttet psykiatrien tidligere."),
                      ("Jeg hører nogle gange stemmer.", "Diagnose skizofreni; følges i distriktspsykiatrien."),
                      ("Jeg er ked af det det meste af tiden.", "Tegn på depression; ønsker at tale med læge.")],
    "substance_use": [("Jeg drikker, når jeg ikke kan sove.", "Alkohol dagligt; ønsker at skære ned."),
                      ("Jeg ryger hash, det slapper mig af.", "Hash dagligt; ikke motiveret for behandling nu."),
                      ("Det vil jeg ikke tale om.", "Respekteret; tages op igen senere.")],
    "education_work": [("Jeg har arbejdet på lager engang.", "Ufaglært; interesse for praktik."),
                       ("Jeg har aldrig været god i skolen.", "Ordblind; ønsker at lære at læse bedre."),
                       ("Arbejde er ikke noget for mig nu.", "Ikke aktuelt nu.")],
}

# Contact notes, per dimension: what a worker writes after a visit.
CONTACT_NOTES = {
    "housing": ["Talte om boligen og hvad der skal til for at blive boende.",
                "Ringede sammen til boligselskabet om ventelisten.",
                "Kiggede på møbler i genbrugsbutikken.",
                "Gennemgik brevet fra boligselskabet sammen.",
                "Hjalp med at rydde op og få skraldet ned."],
    "economy": ["Gennemgik budget og regninger for måneden.",
                "Åbnede post sammen; to rykkere.",
                "Tjekkede e-Boks sammen og lagde regninger på Betalingsservice.",
                "Talte om pengene, der slipper op før den 1."],
    "social_network": ["Talte om familien; borgeren vil selv skrive først.",
                       "Borgerens søster var med på besøget.",
                       "Talte om venner, der ikke drikker."],
    "daily_activities": ["Handlede ind sammen i Netto.",
                         "Gik en tur langs havnen og talte om ugen.",
                         "Fulgtes til Fælleskøkkenet."],
    "physical_health": ["Bestilte tid hos lægen.", "Talte om medicinen og bivirkningerne.",
                        "Fulgtes til tandlægen; behandling påbegyndt."],
    "mental_health": ["Borgeren havde en svær uge; talte længe.", "Talte om søvn og om angsten i butikker.",
                      "Borgeren var i godt humør og fortalte om sin uge."],
    "substance_use": ["Talte om drikkeriet uden at presse.", "Borgeren har skåret ned; vil fortsætte.",
                      "Borgeren var påvirket; kort besøg, aftalte nyt i morgen."],
    "education_work": ["Talte om jobcentrets brev.", "Kiggede på praktikpladser på nettet.",
                       "Forberedte samtalen på jobcentret."],
}
NOT_REACHED_NOTES = ["Ringede, ingen svar.", "Bankede på, ikke hjemme.", "Ledte på de sædvanlige steder; ikke set.",
                     "Telefonen er slukket.", "Lagde en seddel i døren."]

APPOINTMENT_KINDS = [
    (Counterpart.JOBCENTER, "Samtale på jobcentret", "Jobcenter Søby, Torvegade 3",
     "Aftalt ressourceforløb udsættes 3 måneder.", "Sende lægeerklæring til jobcentret"),
    (Counterpart.DOCTOR, "Lægetid", "Lægehuset Kirkevej 2",
     "Blodprøver taget; ny medicin mod søvnløshed.", "Hente medicin på apoteket"),
    (Counterpart.PSYCHIATRY, "Samtale i Psykiatrisk Ambulatorium", "Psykiatrisk Center Søby, indgang B",
     "Medicin justeret; ny samtale om 6 uger.", "Minde om næste samtale"),
    (Counterpart.BANK, "Møde i banken om budget", "Søby Sparekasse, Torvet 1",
     "Budgetkonto oprettet; husleje trækkes den 1.", None),
    (Counterpart.HOUSING_ASSOCIATION, "Møde med Boligselskabet Fjordbo", "Fjordbo, Møllevej 40",
     "Afdragsordning på restancen aftalt.", "Sende kopi af aftalen til Myndighed"),
    (Counterpart.SOCIAL_CENTRE, "Samtale på socialcentret om handleplanen", "Socialcenter Søby, Rådhusstræde 1",
     "§141-handleplanen opdateret; ansøgning om indskudslån sendt.", "Følge op på indskudslånet"),
    (Counterpart.SUBSTANCE_TREATMENT, "Samtale på Misbrugscenter Søby", "Misbrugscenter Søby, Rådhusstræde 7",
     "Visitation gennemført; start i ambulant behandling.", None),
]
MEETING_POINTS = ["Hjemme hos borgeren", "Ved Netto på Havnegade", "Ved busstoppestedet på Torvet",
                  "Foran Forsorgshjemmet Fjordly", "Ved bænken ved havnen"]


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    """A Copenhagen wall-clock time on `day`, as aware UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL).astimezone(UTC)


class _Builder:
    """Holds the clock, the random source and the rows made so far."""

    def __init__(self, session):
        self.session = session
        self.now = utcnow()
        self.today = self.now.astimezone(LOCAL).date()
        self.rng = random.Random(f"{SEED}-{self.today.isoformat()}")
        self.dims = {d.key: d for d in session.scalars(select(Dimension).where(Dimension.key.is_not(None)))}
        self.users: dict[str, User] = {}
        self.citizens: dict[str, Citizen] = {}
        self.offers: dict[str, Offer] = {}

    def day(self, days_ago: float) -> date:
        return self.today - timedelta(days=int(days_ago))

    def at(self, days_ago: float, hour: int | None = None) -> datetime:
        """A working-hours time `days_ago` days back (or ahead when negative), never in the future."""
        hour = hour if hour is not None else self.rng.randint(9, 15)
        moment = _local(self.day(days_ago), hour, self.rng.choice((0, 15, 30, 45)))
        return min(moment, self.now - timedelta(minutes=5)) if days_ago >= 0 else moment

    def entry(self, moment: datetime) -> dict:
        """ClientEntryMixin fields: recorded on the phone just after, received soon (or after an offline spell)."""
        recorded = moment + timedelta(minutes=self.rng.randint(2, 40))
        delay = timedelta(hours=self.rng.randint(2, 20)) if self.rng.random() < 0.08 else timedelta(seconds=3)
        recorded = min(recorded, self.now)
        return {"client_id": uuid.UUID(int=self.rng.getrandbits(128), version=4), "recorded_at": recorded,
                "received_at": min(recorded + delay, self.now)}


def load(reset: bool = False) -> list[tuple[str, str]]:
    """Load the demo team (once) and return the log-ins to print."""
    session = db.session
    if reset:
        delete_everything(session)
    seed_dimensions(session)
    if session.scalar(select(Team.id).where(Team.name == TEAM_NAME)) is None:
        build(session)
    session.commit()
    return logins()


def logins() -> list[tuple[str, str]]:
    rows = [(username, description) for username, _, _, _, description in STAFF]
    rows.append(("borger", "borger (Lasse Winther Holm): logger ind med passkey — log ind som mette, "
                           "åbn Lasse og udsted en engangskode, og registrér en passkey med den"))
    return rows


def delete_everything(session) -> None:
    """Delete all rows of all tables, children first (development only)."""
    for table in reversed(db.metadata.sorted_tables):
        session.execute(table.delete())
    session.flush()


def build(session) -> None:
    b = _Builder(session)
    team = Team(name=TEAM_NAME, municipality=MUNICIPALITY, meeting_cadence_days=7, supervision_cadence_days=42,
                created_at=b.now - timedelta(days=700))
    session.add(team)
    session.flush()
    password_hash = hash_password(DEMO_PASSWORD)  # argon2 is slow: hash once, share
    for username, name, role, phone, _ in STAFF:
        user = User(username=username, name=name, role=role, phone=phone, password_hash=password_hash,
                    team_id=team.id if role != Role.ADMIN else None,
                    email=f"{username}@soby-kommune.invalid")
        session.add(user)
        b.users[username] = user
    for key, (name, provider, description, address, contact) in OFFERS.items():
        b.offers[key] = Offer(name=name, provider=provider, description=description,
                              address=f"{address}, Søby" if address else None, contact=contact)
        session.add(b.offers[key])
    session.flush()
    for spec in CITIZENS:
        _citizen(b, team, spec)
    session.flush()
    _team_life(b, team)
    session.flush()


def _citizen(b: _Builder, team: Team, spec: CitizenSpec) -> None:
    session = b.session
    started_days = int(spec.months * 30.4)
    started_on = b.day(started_days)
    citizen = Citizen(
        team_id=team.id, first_name=spec.first, last_name=spec.last, preferred_name=spec.preferred,
        birth_year=spec.born, phone=f"5{b.rng.randint(1000000, 9999999)}", started_on=started_on,
        wishes=spec.wishes, wishes_updated_at=b.at(min(started_days, 40)) if spec.wishes else None,
        created_at=b.at(started_days),
    )
    if spec.ended:
        ended_days, reason, housing_at_end = spec.ended
        citizen.status, citizen.ended_on = CourseStatus.ENDED, b.day(ended_days)
        citizen.end_reason, citizen.end_housing_situation = reason, housing_at_end
    if spec.asked_for_contact:
        citizen.asked_for_contact_at = b.now - timedelta(hours=3)
    session.add(citizen)
    session.flush()
    b.citizens[spec.key] = citizen
    worker = b.users[spec.worker]
    karin = b.users["karin"]

    # Assignment history: exactly one open row; a reassigned citizen keeps the old one closed.
    start = b.at(started_days, 10)
    end = b.at(spec.ended[0], 12) if spec.ended else None
    switch_days = None
    if spec.reassigned_from:
        switch_days = 62
        switch = b.at(switch_days, 9)
        session.add(Assignment(citizen_id=citizen.id, worker_id=b.users[spec.reassigned_from].id, starts_at=start,
                               ends_at=switch, assigned_by_id=karin.id, reason="Ny borger i teamet"))
        session.add(Assignment(citizen_id=citizen.id, worker_id=worker.id, starts_at=switch, assigned_by_id=karin.id,
                               reason="Omfordelt på teammødet: Jonas' caseload var fuld, da en ny borger kom til"))
    else:
        session.add(Assignment(citizen_id=citizen.id, worker_id=worker.id, starts_at=start, ends_at=end,
                               assigned_by_id=karin.id, reason="Ny borger i teamet"))
    if spec.substitute:
        session.add(Substitution(citizen_id=citizen.id, substitute_id=b.users[spec.substitute].id,
                                 granted_by_id=karin.id, starts_at=b.now - timedelta(days=1),
                                 ends_at=b.now + timedelta(days=6), created_at=b.now - timedelta(days=1),
                                 reason="Mette er på kursus i denne uge"))

    def worker_on(days_ago: float) -> User:
        if switch_days is not None and days_ago > switch_days:
            return b.users[spec.reassigned_from]
        return worker

    if spec.login:
        login = User(username="borger", name=f"{spec.preferred or spec.first} {spec.last}", role=Role.CITIZEN,
                     team_id=team.id)
        session.add(login)
        session.flush()
        citizen.user_id = login.id

    _assessments(b, citizen, spec, started_days, worker_on)
    _housing(b, citizen, spec, worker_on)
    _plans(b, citizen, spec, started_days, worker_on)
    _contacts(b, citizen, spec, started_days, worker_on)
    _appointments(b, citizen, spec, started_days, worker_on)
    for name, relation, wish, note in spec.network:
        session.add(NetworkPerson(citizen_id=citizen.id, name=name, relation=relation, contact_wish=wish, note=note,
                                  phone=f"2{b.rng.randint(1000000, 9999999)}" if wish == ContactWish.WANTS_CONTACT else None,
                                  created_at=b.at(max(started_days - 20, 1))))
    for offer_key, status, note in spec.offers:
        session.add(CitizenOffer(citizen_id=citizen.id, offer_id=b.offers[offer_key].id, status=status, note=note,
                                 updated_at=b.at(b.rng.randint(3, max(started_days // 2, 4)))))
    if spec.login:
        # A few earlier looks at Lasse's data, so "who has looked at my data" has something to show.
        # Appended through the audit module so they join the hash chain (flask audit-verify).
        session.flush()
        audit.append([AuditEvent(at=b.at(days_ago), user_id=b.users[username].id, role=str(b.users[username].role),
                                 action=action, citizen_id=citizen.id, subject="citizens.show")
                      for days_ago, username, action in ((40, "mette", "read"), (12, "karin", "read"),
                                                         (2, "mette", "write"), (1, "mette", "read"))])


def _assessments(b, citizen, spec, started_days, worker_on) -> None:
    first = max(started_days - b.rng.randint(7, 16), 1)
    for index, key in enumerate(DIMENSIONS):
        if key in spec.missing:
            continue
        words, notes = ASSESSMENT_WORDS[key][b.rng.randrange(3)]
        days_ago = first - (index // 3)  # assessed over a few meetings, as the manual suggests
        b.session.add(Assessment(citizen_id=citizen.id, dimension_id=b.dims[key].id, assessed_on=b.day(days_ago),
                                 citizen_words=words, worker_notes=notes, author_id=worker_on(days_ago).id,
                                 created_at=b.at(days_ago)))
    if started_days > 200:
        # A reassessment of the housing dimension after moving on.
        b.session.add(Assessment(citizen_id=citizen.id, dimension_id=b.dims["housing"].id, assessed_on=b.day(60),
                                 citizen_words="Det er godt at have sin egen dør at lukke.",
                                 worker_notes="Genvurdering: boligen fungerer; fokus flyttes til økonomi og netværk.",
                                 author_id=worker_on(60).id, created_at=b.at(60)))


def _housing(b, citizen, spec, worker_on) -> None:
    for days_ago, situation, evicted, note in spec.housing:
        address = None
        if situation in HOUSED:
            address = f"{b.rng.choice(STREETS)} {b.rng.randint(1, 60)}, Søby"
        b.session.add(HousingEvent(citizen_id=citizen.id, situation=situation, housed=situation in HOUSED,
                                   starts_on=b.day(days_ago), evicted=evicted, address=address, note=note,
                                   recorded_by_id=worker_on(days_ago).id, created_at=b.at(max(days_ago - 1, 0))))
    current = spec.housing[-1][1]
    if spec.moving_in:
        checklist = {k: v for k, v in spec.moving_in.items() if k != "days"}
        b.session.add(HousingPlan(citizen_id=citizen.id, interim_stay=spec.interim, target=spec.target,
                                  waiting_list=spec.waiting_list,
                                  expected_move_in_on=b.today + timedelta(days=spec.moving_in["days"]),
                                  moving_in=True, note="Nøgler aftalt; flyttedag skal bekræftes", **checklist))
    elif current not in HOUSED:
        b.session.add(HousingPlan(citizen_id=citizen.id, interim_stay=spec.interim, target=spec.target,
                                  waiting_list=spec.waiting_list, note="Venter på tilbud fra boligselskabet"))
    else:
        b.session.add(HousingPlan(citizen_id=citizen.id, target="Blive boende", deposit=True, deposit_loan=True,
                                  betalingsservice=True, rent_administration=current == Situation.AT_RISK
                                  or spec.key == "kim", moving_help=True, furniture=True))


def _plans(b, citizen, spec, started_days, worker_on) -> None:
    if not spec.plan_versions or not spec.goals:
        return
    caseworker = CASEWORKERS[b.rng.randrange(len(CASEWORKERS))]
    first = max(started_days - 21, 5)
    if spec.review_overdue:
        # Last version older than three months: the review is overdue.
        latest = 100
    else:
        latest = min(b.rng.randint(12, 60), first)
    if spec.plan_versions == 1 or first <= latest:
        ages = [first]
    else:
        step = (first - latest) / (spec.plan_versions - 1)
        ages = [round(first - i * step) for i in range(spec.plan_versions)]
    ages = sorted(set(ages), reverse=True)
    section_141 = f"Handleplan §141 af {b.day(first + 14):%d.%m.%Y}"
    for version, days_ago in enumerate(ages, start=1):
        latest = version == len(ages)
        n_goals = len(spec.goals) if version > 1 else min(2, len(spec.goals))
        plan = Plan(citizen_id=citizen.id, version=version, author_id=worker_on(days_ago).id,
                    review_on=b.day(days_ago) + timedelta(days=91),
                    reviewed_on=b.day(days_ago) if version > 1 else None,
                    section_141_reference=section_141 if version > 1 or days_ago < first else None,
                    caseworker_name=caseworker[0], caseworker_contact=caseworker[1],
                    change_note=("Første plan, lavet sammen hjemme hos borgeren" if version == 1 else
                                 "Opfølgning: nye mål tilføjet, handlinger opdateret" if not latest else
                                 "Plan gennemgået med borgeren; formuleringer i borgerens egne ord"),
                    created_at=b.at(days_ago))
        for position, (dim, words, note) in enumerate(spec.goals[:n_goals]):
            plan.goals.append(Goal(dimension_id=b.dims[dim].id, position=position, citizen_words=words,
                                   worker_note=note if version > 1 else None,
                                   **_stable_key(Goal, f"{spec.key}-goal-{position}")))
        actions = spec.actions if latest else spec.actions[: max(1, len(spec.actions) - 1)]
        for position, (dim, who, what, due, done) in enumerate(actions):
            due_on = b.today + timedelta(days=due)
            # An action done now was still open in earlier versions.
            b_done = done and (latest or due < -(days_ago - 0))
            plan.actions.append(Action(dimension_id=b.dims[dim].id, position=position, who=who, what=what,
                                       due_on=due_on, done=bool(b_done),
                                       **_stable_key(Action, f"{spec.key}-action-{position}")))
        b.session.add(plan)


def _stable_key(model, name: str) -> dict:
    """The same goal/action keeps its key from version to version (plan diffs rely on it)."""
    if not hasattr(model, "key"):
        return {}
    return {"key": hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()}


def _move_in_day(b, spec) -> int | None:
    """Days ago the citizen moved into a home (negative: expected in the future)."""
    if spec.moving_in:
        return -spec.moving_in["days"]
    housed = [d for d, situation, _, _ in spec.housing if situation in HOUSED and situation != Situation.AT_RISK]
    return housed[-1] if housed else None


def _contacts(b, citizen, spec, started_days, worker_on) -> None:
    rng = b.rng
    horizon = min(started_days, 183)
    end_days = spec.ended[0] if spec.ended else 0
    move_in = _move_in_day(b, spec)
    last_reached_limit = rng.randint(17, 24) if spec.not_reached else 0
    day = horizon
    while day > end_days:
        rate = spec.rate
        if move_in is not None and -21 <= day - move_in <= 28:
            rate *= 2.4  # intensity rises around moving in (ICM: flexible intensity)
        if day > started_days - 14:
            rate *= 1.5  # the first weeks: getting to know each other
        if spec.not_reached and day < last_reached_limit:
            # Outreach: attempts only, every few days.
            _contact(b, citizen, day, worker_on(day), reached=False, spec=spec)
            day = _next_working_day(b, day, 4)
            continue
        _contact(b, citizen, day, worker_on(day), reached=rng.random() >= 0.09, spec=spec)
        day = _next_working_day(b, day, 7 / rate)
    if not spec.not_reached and not spec.ended:
        # Everyone else was seen within the last few days.
        _contact(b, citizen, rng.randint(0, 4), worker_on(0), reached=True, spec=spec)
    if spec.substitute:
        _contact(b, citizen, 0, b.users[spec.substitute], reached=True, spec=spec)


def _next_working_day(b, day: int, mean_gap: float) -> int:
    """The next contact day after `day` (days ago), mostly on a weekday: workers rarely work weekends."""
    for _ in range(6):
        candidate = day - max(1, round(b.rng.expovariate(1 / mean_gap)))
        if candidate <= 2 or b.day(candidate).weekday() < 5 or b.rng.random() < 0.1:
            return candidate
    return candidate


def _contact(b, citizen, days_ago, worker, *, reached, spec) -> None:
    rng = b.rng
    situation = next((sit for d, sit, _, _ in reversed(spec.housing) if d >= days_ago), spec.housing[0][1])
    housed_then = situation in HOUSED
    moment = b.at(days_ago)
    if not reached:
        kind, place = rng.choice([(ContactType.PHONE, Place.PHONE), (ContactType.HOME_VISIT, Place.HOME)]
                                 if housed_then else [(ContactType.PHONE, Place.PHONE), (ContactType.OUTREACH, Place.STREET)])
        b.session.add(Contact(citizen_id=citizen.id, worker_id=worker.id, type=kind, place=place, reached=False,
                              note=rng.choice(NOT_REACHED_NOTES), occurred_at=moment, **b.entry(moment)))
        return
    roll = rng.random()
    if roll < 0.45:
        kind, place = (ContactType.HOME_VISIT, Place.HOME) if housed_then else (ContactType.MET_ELSEWHERE, Place.CHOSEN)
    elif roll < 0.68:
        kind, place = ContactType.MET_ELSEWHERE, Place.CHOSEN
    elif roll < 0.85:
        kind, place = ContactType.PHONE, Place.PHONE
    elif roll < 0.93:
        kind, place = ContactType.ACCOMPANIMENT, Place.OTHER
    elif housed_then:
        kind, place = ContactType.MET_ELSEWHERE, Place.OFFICE
    else:
        kind, place = ContactType.OUTREACH, Place.STREET
    keys = list(dict.fromkeys([rng.choice(spec.focus)] + rng.sample(DIMENSIONS, rng.choice((0, 0, 1, 2)))))
    note = " ".join(rng.choice(CONTACT_NOTES[k]) for k in keys[:2]) if rng.random() < 0.8 else None
    duration = rng.randint(5, 20) if kind == ContactType.PHONE else rng.choice((30, 45, 60, 60, 90, 120))
    contact = Contact(citizen_id=citizen.id, worker_id=worker.id, type=kind, place=place, reached=True,
                      duration_minutes=duration, note=note, shared_with_citizen=note is not None and rng.random() < 0.2,
                      occurred_at=moment, **b.entry(moment))
    contact.dimensions = [b.dims[k] for k in keys]
    b.session.add(contact)


def _appointments(b, citizen, spec, started_days, worker_on) -> None:
    rng = b.rng
    end_days = spec.ended[0] if spec.ended else 0
    past_count = min(max(started_days // 35, 1), 6)
    for _ in range(past_count):
        days_ago = rng.randint(max(end_days, 1) + 1, max(min(started_days, 180), end_days + 3))
        counterpart, title, location, outcome, follow_up = rng.choice(APPOINTMENT_KINDS)
        starts = b.at(days_ago, rng.randint(9, 14))
        accompanied = rng.random() < 0.7
        attended = rng.random() < 0.85
        worker = worker_on(days_ago)
        b.session.add(Appointment(
            citizen_id=citizen.id, created_by_id=worker.id, counterpart=counterpart, title=title,
            starts_at=starts, ends_at=starts + timedelta(hours=1), location=location,
            meeting_point=rng.choice(MEETING_POINTS) if accompanied else None, accompanied=accompanied,
            attended=attended, worker_was_present=accompanied and attended,
            outcome=outcome if attended else "Borgeren kom ikke; ny tid skal aftales.",
            follow_up=follow_up if attended else "Ringe og aftale ny tid",
            outcome_recorded_at=starts + timedelta(hours=3), reminder_sent_at=starts - timedelta(days=1),
            **b.entry(starts - timedelta(days=rng.randint(3, 14)))))
    if spec.ended:
        return
    for days_ahead in rng.sample([3, 6, 9, 13, 20, 27], rng.randint(1, 2)):
        counterpart, title, location, _, _ = rng.choice(APPOINTMENT_KINDS)
        starts = _local(b.today + timedelta(days=days_ahead), rng.randint(9, 14), rng.choice((0, 30)))
        accompanied = rng.random() < 0.6
        b.session.add(Appointment(
            citizen_id=citizen.id, created_by_id=worker_on(0).id, counterpart=counterpart, title=title,
            starts_at=starts, ends_at=starts + timedelta(hours=1), location=location,
            meeting_point=rng.choice(MEETING_POINTS) if accompanied else None, accompanied=accompanied,
            **b.entry(b.now - timedelta(days=rng.randint(1, 10)))))


# Today's and tomorrow's appointments: (citizen, day offset, hour, minute, counterpart index, accompanied, answer)
TODAY_APPOINTMENTS = [
    ("bente", 0, 9, 30, 4, True, CitizenAnswer.COMING),  # viewing the flat with Fjordbo
    ("yusuf", 0, 13, 0, 0, True, None),
    ("nikki", 0, 10, 0, 2, True, CitizenAnswer.COMING),
    ("maria", 0, 14, 30, 5, False, None),
    ("hamid", 0, 11, 0, 3, True, None),
    ("kim", 0, 15, 0, 6, True, None),  # Sara accompanies, covering for Mette
    ("lasse", 1, 10, 0, 1, True, CitizenAnswer.COMING),
    ("sus", 1, 9, 0, 4, True, CitizenAnswer.CANNOT_COME),
    ("emma", 1, 13, 30, 0, True, None),
    ("preben", 1, 11, 0, 1, False, None),
]


def _team_life(b: _Builder, team: Team) -> None:
    """Appointments today/tomorrow, reminders that are due, team meetings and supervision."""
    session, rng = b.session, b.rng
    for key, offset, hour, minute, kind, accompanied, answer in TODAY_APPOINTMENTS:
        citizen = b.citizens[key]
        spec = next(s for s in CITIZENS if s.key == key)
        counterpart, title, location, _, _ = APPOINTMENT_KINDS[kind]
        starts = _local(b.today + timedelta(days=offset), hour, minute)
        creator = b.users[spec.substitute if key == "kim" else spec.worker]
        session.add(Appointment(
            citizen_id=citizen.id, created_by_id=creator.id, counterpart=counterpart, title=title,
            starts_at=starts, ends_at=starts + timedelta(hours=1), location=location,
            meeting_point=MEETING_POINTS[0] if accompanied else None, accompanied=accompanied,
            citizen_answer=answer, citizen_answered_at=b.now - timedelta(hours=5) if answer else None,
            reminder_sent_at=b.now - timedelta(hours=20) if offset == 0 else None,
            **b.entry(b.now - timedelta(days=rng.randint(2, 9)))))

    # Reminders: due today, overdue, upcoming and done — for every worker.
    def remind(owner, citizen_key, text, due, source=ReminderSource.MANUAL, done=False):
        citizen = b.citizens.get(citizen_key) if citizen_key else None
        created = min(due, b.now) - timedelta(days=rng.randint(1, 10))
        reminder = Reminder(owner_id=b.users[owner].id, citizen_id=citizen.id if citizen else None, text=text,
                            due_at=due, done_at=(due + timedelta(hours=2)) if done else None, source=source,
                            **b.entry(created))
        session.add(reminder)
        return reminder

    today = b.today
    end_of_today = _local(today, 23, 45)

    def later_today(hour: int, step: int) -> datetime:
        """Due today, and still ahead when the demo is loaded late in the day (if the day allows)."""
        due = _local(today, hour)
        return due if due > b.now else min(b.now + timedelta(minutes=step), end_of_today)

    remind("mette", "bente", "Ring til Fjordbo om flyttedag og nøgler", _local(today, 9, 0))
    remind("mette", "yusuf", "Søg indskudslån til Yusuf (frist fredag)", later_today(12, 40))
    remind("mette", "lasse", "Lasse: tjek at han har fået sin medicin", later_today(16, 90), ReminderSource.FOLLOW_UP)
    remind("mette", "tommy", "Find Tommy — ikke set i over to uger", _local(today - timedelta(days=3), 10, 0))
    remind("mette", "sus", "Sus kan ikke komme i morgen — aftal ny tid med Fjordbo", _local(today, 10, 0),
           ReminderSource.CITIZEN_ANSWER)
    remind("mette", None, "Aflever kørebog for oktober", _local(today + timedelta(days=4), 12, 0))
    remind("mette", "bente", "Bestil flyttehjælp til Bente", _local(today + timedelta(days=2), 9, 0))
    remind("mette", "kim", "Kim: følg op på huslejeadministration", _local(today - timedelta(days=20), 9, 0), done=True)
    remind("jonas", "maria", "Maria har bedt om kontakt", b.now - timedelta(hours=3), ReminderSource.CITIZEN_REQUEST)
    remind("jonas", "rasmus", "Rasmus: ring til Søby Kro og spørg efter ham", later_today(11, 50),
           ReminderSource.TEAM_DECISION)
    remind("jonas", "camilla", "Planen for Camilla skal gennemgås (over 3 måneder)", _local(today - timedelta(days=6), 9, 0))
    remind("jonas", "nikki", "Nikki: send ansøgning til VUC", _local(today + timedelta(days=5), 10, 0))
    remind("jonas", "preben", "Hent Prebens nye inhalator på apoteket", _local(today - timedelta(days=9), 14, 0), done=True)
    remind("jonas", "henning", "Tag varme sokker med til Henning", _local(today + timedelta(days=1), 8, 30))
    remind("sara", "kim", "Vikar for Mette: besøg Kim inden fredag", later_today(13, 60))
    remind("sara", "lone", "Lone: ny ansøgning til social anvisning", _local(today - timedelta(days=2), 10, 0))
    remind("sara", "emma", "Emma: find praktikpladser som frisør", _local(today + timedelta(days=3), 10, 0))
    remind("sara", "steen", "Forbered samtale om §85 med Steen", _local(today + timedelta(days=8), 10, 0))
    remind("sara", "hamid", "Hamid: gardiner til stuen", _local(today - timedelta(days=12), 10, 0), done=True)
    remind("sara", "anders", "Anders: lægeerklæring til jobcentret", later_today(15, 120), ReminderSource.FOLLOW_UP)

    # Two team meetings with agenda and decisions; the decisions became reminders.
    karin = b.users["karin"]
    for weeks_ago, items in (
        (2, [("jannie", "new", "Jannie er ny i teamet, kommer fra Fjordly.", "Mette er gennemgående medarbejder."),
             ("camilla", "review_overdue", "Planen er over 3 måneder gammel.", "Jonas gennemgår planen med Camilla."),
             ("sus", "eviction_risk", "Varsel fra Fjordbo om restance.", "Mette søger §81-hjælp og kontakter Fjordbo."),
             (None, "other", "Ferieplan for december.", "Sara tager Mettes borgere i uge 51.")]),
        (1, [("tommy", "not_reached", "Tommy er ikke set i over 14 dage.", "Mette og Jonas går opsøgende sammen."),
             ("rasmus", "not_reached", "Rasmus svarer ikke; er muligvis på kroen.", "Jonas ringer til kroen."),
             ("maria", "asked_for_contact", "Maria har bedt om kontakt via appen.", "Jonas ringer samme dag."),
             ("bente", "other", "Bente og Yusuf flytter ind inden for tre uger.",
              "Mette får ikke nye borgere, før begge er flyttet ind.")]),
    ):
        held = _local(today - timedelta(days=7 * weeks_ago), 9, 0)
        meeting = TeamMeeting(team_id=team.id, held_at=held, chaired_by_id=karin.id, created_at=held,
                              notes="Teammøde i mødelokale 2. Alle til stede." if weeks_ago == 2 else
                              "Teammøde. Jonas deltog over telefon.")
        for position, (key, reason, discussion, decision) in enumerate(items):
            item = AgendaItem(citizen_id=b.citizens[key].id if key else None, position=position, reason=reason,
                              discussion=discussion, decision=decision)
            if key == "rasmus":
                session.flush()
                item.reminder_id = session.scalar(select(Reminder.id).where(
                    Reminder.citizen_id == b.citizens["rasmus"].id, Reminder.source == ReminderSource.TEAM_DECISION))
            meeting.items.append(item)
        session.add(meeting)

    for days_ago, kind, name, notes in (
        (85, "external", "Lone Vestergaard, ekstern supervisor", "Tema: at holde kontakten, når borgeren siger nej."),
        (44, "external", "Lone Vestergaard, ekstern supervisor", "Tema: flytninger og intensitet; caseload ved indflytning."),
        (20, "internal", "Karin Holmgaard", "Intern sparring om Tommy og Henning (opsøgende arbejde)."),
    ):
        session.add(SupervisionSession(team_id=team.id, held_on=b.day(days_ago), kind=kind, supervisor_name=name,
                                       notes=notes, recorded_by_id=karin.id, created_at=b.at(days_ago)))
