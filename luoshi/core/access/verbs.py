"""The actions the policy answers for: one vocabulary for every model."""

from enum import StrEnum


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    # the task workflow
    SPLIT = "split"
    ASSIGN = "assign"
    ACKNOWLEDGE = "acknowledge"  # also: a unit signs its commitment
    START = "start"
    REPORT = "report"
    REQUEST_CLOSING = "request_closing"
    SIGN_OFF = "sign_off"
    RETURN = "return"
    COMMENT = "comment"
    # bulletins
    REVIEW = "review"
    PUBLISH = "publish"
    #: enter what happened: an indicator's actuals, a project's stage dates
    RECORD = "record"
    #: a lead unit answers a 督办单
    ANSWER = "answer"
