"""LTI 1.3 rows: the platforms (LMSs) registered by site admins, the tool's own signing keys, the one-time
values of a launch, and what an LMS's contexts, users, links and line items are here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coursesite.extensions import db
from coursesite.models.types import UTCDateTime, utcnow

URL_LENGTH = 1000
LMS_ID_LENGTH = 255


class LtiPlatform(db.Model):
    """One registration of Coursesite in an LMS: the issuer and the client id the LMS gave it."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(LMS_ID_LENGTH))
    client_id: Mapped[str] = mapped_column(String(LMS_ID_LENGTH))
    auth_login_url: Mapped[str] = mapped_column(String(URL_LENGTH))
    auth_token_url: Mapped[str] = mapped_column(String(URL_LENGTH))
    key_set_url: Mapped[str] = mapped_column(String(URL_LENGTH))
    # Some LMSs (D2L, Moodle behind a proxy) want a token request addressed to another audience than its URL.
    auth_audience: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    deployments: Mapped[list[LtiDeployment]] = relationship(
        back_populates="platform", order_by="LtiDeployment.deployment_id", cascade="all, delete-orphan"
    )

    @property
    def deployment_ids(self) -> list[str]:
        return [d.deployment_id for d in self.deployments]


class LtiDeployment(db.Model):
    __tablename__ = "lti_deployments"
    __table_args__ = (UniqueConstraint("platform_id", "deployment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True)
    deployment_id: Mapped[str] = mapped_column(String(LMS_ID_LENGTH))

    platform: Mapped[LtiPlatform] = relationship(back_populates="deployments")


class LtiToolKey(db.Model):
    """Coursesite's RSA key pair for signing service tokens and deep-linking answers. The newest unretired key
    signs; a retired one stays published until the next rotation, so an LMS holding it still checks."""

    __tablename__ = "lti_tool_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    public_pem: Mapped[str] = mapped_column(Text)
    # Encrypted with a key derived from SECRET_KEY (coursesite/lti/keys.py); never shown or sent.
    private_pem_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LtiLaunchValue(db.Model):
    """A state, nonce or saved launch between the OIDC login and the launch (and a deep-linking answer): in the
    database, so every worker sees it and a nonce can be spent exactly once."""

    __tablename__ = "lti_launch_values"

    key: Mapped[str] = mapped_column(String(LMS_ID_LENGTH), primary_key=True)
    value: Mapped[dict | list | str | bool | None] = mapped_column(JSON)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class LtiContext(db.Model):
    """An LMS course (context) and the Coursesite course it opens, with the grade and roster services it offers."""

    __tablename__ = "lti_contexts"
    __table_args__ = (UniqueConstraint("platform_id", "context_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(LMS_ID_LENGTH))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    deployment_id: Mapped[str] = mapped_column(String(LMS_ID_LENGTH), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    lineitems_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    ags_scopes: Mapped[list] = mapped_column(JSON, default=list)
    memberships_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    # The LMS's groups (Canvas and D2L sections, Moodle groups) when it offers the Course Groups service.
    groups_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    roster_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    platform: Mapped[LtiPlatform] = relationship()


class LtiAccount(db.Model):
    """Who an LMS user (platform + `sub`) is here. Found by these two only, never by email alone."""

    __tablename__ = "lti_accounts"
    __table_args__ = (UniqueConstraint("platform_id", "sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"))
    sub: Mapped[str] = mapped_column(String(LMS_ID_LENGTH))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LtiResourceLink(db.Model):
    """A link placed in an LMS course, and the assignment it opens."""

    __tablename__ = "lti_resource_links"
    __table_args__ = (UniqueConstraint("context_id", "resource_link_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_id: Mapped[int] = mapped_column(ForeignKey("lti_contexts.id", ondelete="CASCADE"))
    resource_link_id: Mapped[str] = mapped_column(String(LMS_ID_LENGTH))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id", ondelete="SET NULL"), index=True)


class LtiLineItem(db.Model):
    """The LMS gradebook column an assignment's scores go to, and when they last went."""

    __tablename__ = "lti_line_items"
    __table_args__ = (UniqueConstraint("context_id", "assignment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_id: Mapped[int] = mapped_column(ForeignKey("lti_contexts.id", ondelete="CASCADE"))
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    context: Mapped[LtiContext] = relationship()


class LtiScoreSend(db.Model):
    """One student's score waiting for, or already taken by, a line item. A later change to the score
    replaces the waiting one; a failed send stays here, with its error, until it goes through."""

    __tablename__ = "lti_score_sends"
    __table_args__ = (UniqueConstraint("line_item_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_item_id: Mapped[int] = mapped_column(ForeignKey("lti_line_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The score as the LMS takes it (AGS score JSON, less the timestamp, set when sent).
    score: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    line_item: Mapped[LtiLineItem] = relationship()

