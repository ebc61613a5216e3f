"""Small pieces of Chinese official writing shared by every app: dates as 2026年3月5日, and a refusal's
messages as one line joined by 全角分号."""

import datetime as dt

from django.core.exceptions import ValidationError


def chinese_date(day: dt.date) -> str:
    """2026年3月5日: the date as documents, messages and bulletins write it."""
    return f"{day.year}年{day.month}月{day.day}日"


def one_line(error: ValidationError) -> str:
    """A refusal's messages as one line: 完成时限早于开始日期；责任人不属于牵头单位."""
    return "；".join(str(message) for message in error.messages)
