"""The schema on one screen: regions and wijken, signals, contacts, themes, users, audit,
RESV meetings with agreements, and knelpunt dossiers with their SROI analysis."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    """Return the current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Store aware datetimes; read them back as UTC on every database (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use timezone-aware UTC")
        return value.astimezone(dt.UTC) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON}


signal_wijken = Table(
    "signal_wijken",
    Base.metadata,
    Column("signal_id", ForeignKey("signals.id", ondelete="CASCADE"), primary_key=True),
    Column("wijk_id", ForeignKey("wijken.id", ondelete="CASCADE"), primary_key=True),
)

user_wijken = Table(
    "user_wijken",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("wijk_id", ForeignKey("wijken.id", ondelete="CASCADE"), primary_key=True),
)


class Region(Base):
    """An RESV region, e.g. Almere; regions never see each other's data."""

    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    wijken: Mapped[list[Wijk]] = relationship(back_populates="region", order_by="Wijk.name")


class Wijk(Base):
    """A neighbourhood with (eventually) its own hecht wijkverband and kernteam."""

    __tablename__ = "wijken"
    __table_args__ = (UniqueConstraint("region_id", "slug"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    stadsdeel: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    postcodes: Mapped[list[str]] = mapped_column(default=list)
    region: Mapped[Region] = relationship(back_populates="wijken")


class Discipline(Base):
    """A discipline at the RESV table (huisartsen, wijkverpleging, ...) or the social domain."""

    __tablename__ = "disciplines"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name_nl: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    resv: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Submission(Base):
    """One filled-in form or survey, followed by the resident through its reference code."""

    __tablename__ = "submissions"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    form_id: Mapped[str] = mapped_column(String(64), index=True)
    form_version: Mapped[int] = mapped_column(Integer)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    language: Mapped[str] = mapped_column(String(8), default="nl")
    reporter_role: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    withdrawn_at: Mapped[dt.datetime | None]
    # sha256 of the form's one-time token: sending the same form twice stores one report
    submit_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # sha256 of the withdraw code shown once on the confirmation page (None: older reports)
    withdraw_hash: Mapped[str | None] = mapped_column(String(64))
    signals: Mapped[list[Signal]] = relationship(
        back_populates="submission", order_by="Signal.position", cascade="all, delete-orphan"
    )
    contact: Mapped[Contact | None] = relationship(
        back_populates="submission", cascade="all, delete-orphan"
    )


class Signal(Base):
    """One knelpunt: the unit that is redacted, embedded, themed and followed up."""

    __tablename__ = "signals"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True
    )
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text, default="")
    disciplines: Mapped[list[str]] = mapped_column(default=list)
    frequency: Mapped[str | None] = mapped_column(String(32))
    severity: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32), default="received", index=True)
    public_reply: Mapped[str | None] = mapped_column(Text)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("signals.id", ondelete="SET NULL"), index=True)
    submission: Mapped[Submission] = relationship(back_populates="signals")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    duplicate_of: Mapped[Signal | None] = relationship(remote_side=[id],
                                                       foreign_keys=[duplicate_of_id])
    notes: Mapped[list[ReportNote]] = relationship(
        back_populates="signal", order_by="ReportNote.id", cascade="all, delete-orphan")
    wijken: Mapped[list[Wijk]] = relationship(secondary=signal_wijken, order_by="Wijk.name")
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="signal", order_by="StatusChange.id", cascade="all, delete-orphan"
    )
    membership: Mapped[ThemeMembership | None] = relationship(
        back_populates="signal", cascade="all, delete-orphan"
    )
    satisfaction: Mapped[Satisfaction | None] = relationship(
        back_populates="signal", cascade="all, delete-orphan")


class StatusChange(Base):
    """Append-only history of a signal's status, with the public reply shown to the reporter."""

    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    public_reply: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # set when the reporter reopened the report: their reason, redacted at intake
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    signal: Mapped[Signal] = relationship(back_populates="history")


class Satisfaction(Base):
    """The reporter's answer to "are you satisfied?" once a report is solved or closed."""

    __tablename__ = "satisfaction"
    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(
        ForeignKey("signals.id", ondelete="CASCADE"), unique=True)
    satisfied: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[str] = mapped_column(Text, default="")  # redacted at intake
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    signal: Mapped[Signal] = relationship(back_populates="satisfaction")


class ReportNote(Base):
    """An internal note on a report by a reviewer; never shown to the reporter."""

    __tablename__ = "report_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    signal: Mapped[Signal] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class Contact(Base):
    """Optional contact details, kept apart from the report and deleted after the retention."""

    __tablename__ = "contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(40))
    consent_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delete_after: Mapped[dt.datetime] = mapped_column(index=True)
    # the resident asked for the code and an e-mail when something changes (needs an e-mail)
    updates: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    submission: Mapped[Submission] = relationship(back_populates="contact")
    mails: Mapped[list[ResidentMail]] = relationship(
        back_populates="contact", cascade="all, delete-orphan", passive_deletes=True)


class ResidentMail(Base):
    """An e-mail to a resident who asked for updates, waiting in the outbox or sent.

    It names the contact (never a copy of the address) and what happened; the message is made
    when it is sent, so a contact deleted by retention or withdrawal gets nothing (the row goes
    with the contact). claimed_at is committed before the mail server is contacted.
    """

    __tablename__ = "resident_mails"
    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    status_change_id: Mapped[int | None] = mapped_column(
        ForeignKey("status_changes.id", ondelete="CASCADE"))
    public_update_id: Mapped[int | None] = mapped_column(
        ForeignKey("public_updates.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    contact: Mapped[Contact] = relationship(back_populates="mails")
    status_change: Mapped[StatusChange | None] = relationship()
    public_update: Mapped[PublicUpdate | None] = relationship()


class Theme(Base):
    """A group of signals about one problem, proposed by the pipeline and curated by people."""

    __tablename__ = "themes"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    label_by_reviewer: Mapped[bool] = mapped_column(Boolean, default=False)
    keywords: Mapped[list[str]] = mapped_column(default=list)
    quotes: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(32), default="new")
    notes: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    members: Mapped[list[ThemeMembership]] = relationship(back_populates="theme")


class ThemeChange(Base):
    """One step in a theme's history: merged, split, renamed, a report moved, or an undo.

    `details` keeps what an undo needs (the memberships as they were), never report texts.
    """

    __tablename__ = "theme_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), index=True)
    other_theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[dt.datetime | None]
    user: Mapped[User | None] = relationship()


class ThemeMembership(Base):
    """Which theme a signal belongs to, how sure the model is, and whether a person decided."""

    __tablename__ = "theme_memberships"
    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(
        ForeignKey("signals.id", ondelete="CASCADE"), unique=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str] = mapped_column(String(16), default="model")
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    signal: Mapped[Signal] = relationship(back_populates="membership")
    theme: Mapped[Theme | None] = relationship(back_populates="members")


class ThemeModel(Base):
    """A region's trained assignment model, stored by the training job; intake uses the newest."""

    __tablename__ = "theme_models"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    trained_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    accuracy: Mapped[float | None] = mapped_column(Float)
    reports: Mapped[int] = mapped_column(Integer, default=0)
    labels: Mapped[int] = mapped_column(Integer, default=0)
    fingerprint: Mapped[str] = mapped_column(String(200), default="")
    backend: Mapped[str] = mapped_column(String(200), default="")
    model: Mapped[bytes] = mapped_column(LargeBinary)


class User(Base):
    """A reviewer: beheerder, ASD-lid, kernteamlid or meelezer, within one region."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=0)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None]
    last_login_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    wijken: Mapped[list[Wijk]] = relationship(secondary=user_wijken, order_by="Wijk.name")


class LoginThrottle(Base):
    """Wrong log-ins per (e-mail, address) or per address: how long to wait before the next try.

    Keys are keyed hashes (never a plain address or e-mail); rows are reset after a good log-in
    or when they are old, so nobody can lock an account for others: only for their own address.
    """

    __tablename__ = "login_throttles"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class EndedSession(Base):
    """A workspace session ended by logging out: its cookie no longer works, even if copied."""

    __tablename__ = "ended_sessions"
    sid_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class Subscription(Base):
    """A user's digest: which wijken, how often, and whether to send when nothing happened."""

    __tablename__ = "subscriptions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    frequency: Mapped[str] = mapped_column(String(16), default="weekly")
    wijk_slugs: Mapped[list[str]] = mapped_column(default=list)
    send_when_empty: Mapped[bool] = mapped_column(Boolean, default=False)
    language: Mapped[str] = mapped_column(String(8), default="nl", server_default="nl")


class DigestDelivery(Base):
    """One digest for one subscriber and one period.

    claimed_at is committed before the mail server is contacted and sent_at after it accepted the
    message: a row with claimed_at but no sent_at is being sent, or its run stopped in between
    (then nobody knows whether it arrived, and it is not sent again unless asked).
    """

    __tablename__ = "digest_deliveries"
    __table_args__ = (UniqueConstraint("user_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(32))
    claimed_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class AuditEvent(Base):
    """Who changed what and when; never report texts or contact data."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


# --- the RESV agenda ---------------------------------------------------------------------------


class ResvMeeting(Base):
    """An RESV meeting prepared by the ASD: a date and the themes put to the table."""

    __tablename__ = "resv_meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan")


class AgendaItem(Base):
    """One theme on a meeting's agenda, with what the kernteam did and the question to the table."""

    __tablename__ = "agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "theme_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("resv_meetings.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    question: Mapped[str] = mapped_column(Text, default="")
    kernteam_done: Mapped[str] = mapped_column(Text, default="")
    meeting: Mapped[ResvMeeting] = relationship(back_populates="items")
    theme: Mapped[Theme] = relationship()


class Agreement(Base):
    """An agreement made at an RESV meeting about a theme: what, who, by when, and whether done."""

    __tablename__ = "agreements"
    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("resv_meetings.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    meeting: Mapped[ResvMeeting] = relationship()
    theme: Mapped[Theme] = relationship()


# --- the knelpunt dossier ------------------------------------------------------------------------

dossier_themes = Table(
    "dossier_themes",
    Base.metadata,
    Column("dossier_id", ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


class Dossier(Base):
    """A wijk's "ons knelpunt": problem, stakeholders, actions, evidence, measurement, SROI."""

    __tablename__ = "dossiers"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    wijk_id: Mapped[int] = mapped_column(ForeignKey("wijken.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str] = mapped_column(Text, default="")
    stakeholders: Mapped[list[str]] = mapped_column(default=list)
    survey_form_id: Mapped[str | None] = mapped_column(String(64))
    before_period: Mapped[str | None] = mapped_column(String(16))
    after_period: Mapped[str | None] = mapped_column(String(16))
    discount_rate: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    wijk: Mapped[Wijk] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=dossier_themes, order_by="Theme.label")
    actions: Mapped[list[DossierAction]] = relationship(
        order_by="DossierAction.id", cascade="all, delete-orphan")
    evidence: Mapped[list[DossierEvidence]] = relationship(
        order_by="DossierEvidence.noted_on", cascade="all, delete-orphan")
    inputs: Mapped[list[SroiInput]] = relationship(
        order_by="SroiInput.id", cascade="all, delete-orphan")
    outcomes: Mapped[list[SroiOutcome]] = relationship(
        order_by="SroiOutcome.id", cascade="all, delete-orphan")


class DossierAction(Base):
    """An agreed action in a dossier: what, who owns it, by when, done or not."""

    __tablename__ = "dossier_actions"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"),
                                            index=True)
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class DossierEvidence(Base):
    """Evidence as it comes in: a dated note, optionally with a link to a document."""

    __tablename__ = "dossier_evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"),
                                            index=True)
    noted_on: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))


class SroiInput(Base):
    """An SROI input: a stakeholder's hours at a rate and/or costs, in euros."""

    __tablename__ = "sroi_inputs"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"),
                                            index=True)
    stakeholder: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500))
    hours: Mapped[float] = mapped_column(Float, default=0.0)
    rate: Mapped[float] = mapped_column(Float, default=0.0)
    costs: Mapped[float] = mapped_column(Float, default=0.0)


class SroiOutcome(Base):
    """An SROI outcome for one stakeholder: indicator, quantity, proxy, duration, deductions."""

    __tablename__ = "sroi_outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"),
                                            index=True)
    stakeholder: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500))
    indicator: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[float] = mapped_column(Float)
    proxy_id: Mapped[str | None] = mapped_column(String(64))
    proxy_value: Mapped[float] = mapped_column(Float)
    proxy_source: Mapped[str] = mapped_column(Text)
    duration: Mapped[int] = mapped_column(Integer, default=1)
    deadweight: Mapped[float] = mapped_column(Float, default=0.0)
    attribution: Mapped[float] = mapped_column(Float, default=0.0)
    displacement: Mapped[float] = mapped_column(Float, default=0.0)
    drop_off: Mapped[float] = mapped_column(Float, default=0.0)


# --- closing the loop in public ----------------------------------------------------------------


class ThemePublication(Base):
    """A theme shown on the public pages: a B1 title and summary, chosen quotes, a public status.

    Quotes are signal ids, read at render time: a quote from a report that was withdrawn or moved
    out of the theme is never shown (its text is gone or no longer belongs here).
    """

    __tablename__ = "theme_publications"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    public_status: Mapped[str] = mapped_column(String(300), default="")
    quote_signal_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    published: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    theme: Mapped[Theme] = relationship()


class PublicUpdate(Base):
    """A line in the public feed: a theme was published or its public status changed."""

    __tablename__ = "public_updates"
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    public_status: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class ThemeVoice(Base):
    """A resident's "Ik heb dit ook" for a published theme: once per browser per theme."""

    __tablename__ = "theme_voices"
    __table_args__ = (UniqueConstraint("theme_id", "browser_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)
    wijk_id: Mapped[int | None] = mapped_column(ForeignKey("wijken.id", ondelete="CASCADE"))
    browser_key: Mapped[str] = mapped_column(String(64))
    submission_id: Mapped[int | None] = mapped_column(
        ForeignKey("submissions.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class SurveyPublication(Base):
    """A survey's results for one quarter, published on the public pages with an introduction."""

    __tablename__ = "survey_publications"
    __table_args__ = (UniqueConstraint("region_id", "form_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    form_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    intro: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
class Draft(Base):
    """A form saved to finish later: encrypted answers, found by a hash of the resident's code.

    Kept apart from everything reviewers see (no link to reports) and deleted when it is picked
    up again or when expires_at has passed (`participatie retention purge`).
    """

    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    lookup: Mapped[str] = mapped_column(String(64), unique=True)
    form_id: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)


class SurveyGrouping(Base):
    """The free-text answers to one survey question in one quarter, grouped into themes.

    Made by a background job (participatie/survey_themes.py), never in a request. `groups` holds
    per group its label, keywords and member answers as [submission id, wijk slug] pairs;
    `ungrouped` the answers in no group. Texts are never copied here: the page reads them (and
    who withdrew) from the submissions.
    """

    __tablename__ = "survey_groupings"
    __table_args__ = (UniqueConstraint("region_id", "form_id", "question_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="CASCADE"), index=True)
    form_id: Mapped[str] = mapped_column(String(64))
    question_id: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(16))
    groups: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    ungrouped: Mapped[list[list[Any]]] = mapped_column(JSON, default=list)
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
