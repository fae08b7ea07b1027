"""The schema on one screen: regions and wijken, signals, contacts, themes, users, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
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
    submission: Mapped[Submission] = relationship(back_populates="signals")
    wijken: Mapped[list[Wijk]] = relationship(secondary=signal_wijken, order_by="Wijk.name")
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="signal", order_by="StatusChange.id", cascade="all, delete-orphan"
    )
    membership: Mapped[ThemeMembership | None] = relationship(
        back_populates="signal", cascade="all, delete-orphan"
    )


class StatusChange(Base):
    """Append-only history of a signal's status, with the public reply shown to the reporter."""

    __tablename__ = "status_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    public_reply: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    signal: Mapped[Signal] = relationship(back_populates="history")


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
    submission: Mapped[Submission] = relationship(back_populates="contact")


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
