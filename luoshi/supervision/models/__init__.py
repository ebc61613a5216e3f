"""Supervision (督查督办): reminders that escalate, the score ledger, annual commitments and activities."""

from luoshi.supervision.models.activities import Activity, ActivityAttachment, ActivityKind
from luoshi.supervision.models.commitments import Commitment, CommitmentItem, CommitmentRole
from luoshi.supervision.models.reminders import (
    WORK_APP_CHANNELS,
    Channel,
    Delivery,
    DeliveryQuerySet,
    MessageFormat,
    Notification,
    Recipient,
    Reminder,
    ReminderKind,
    ReminderRule,
    ReminderState,
    ServiceState,
    WebhookEndpoint,
    WebhookKind,
)
from luoshi.supervision.models.scoring import ScoredTask, ScoreEntry, ScoreReason, ScoringRule

__all__ = [
    "WORK_APP_CHANNELS",
    "Activity",
    "ActivityAttachment",
    "ActivityKind",
    "Channel",
    "Commitment",
    "CommitmentItem",
    "CommitmentRole",
    "Delivery",
    "DeliveryQuerySet",
    "MessageFormat",
    "Notification",
    "Recipient",
    "Reminder",
    "ReminderKind",
    "ReminderRule",
    "ReminderState",
    "ScoreEntry",
    "ScoreReason",
    "ScoredTask",
    "ScoringRule",
    "ServiceState",
    "WebhookEndpoint",
    "WebhookKind",
]
