"""Webhooks out over the API: the office subscribes another system, lists subscriptions and what was
sent to each, and ends a subscription. The secret is shown once, when the subscription is made."""

import datetime as dt

from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict

from luoshi.core.access import Action, get_for, visible_to
from luoshi.core.api_types import READ_ERRORS, WRITE_ERRORS, Id, Page, Text
from luoshi.core.types import AuthedRequest
from luoshi.hooks import actions
from luoshi.hooks.models import Event, HookDelivery, HookSubscription
from luoshi.messaging.models import DeliveryState

router = Router(tags=["webhooks"])  # 对外推送 (the name shown: luoshi.api.TAGS)


class SubscriptionOut(Schema):
    id: int
    name: str = Field(description="名称（接收方系统）")
    url: str = Field(description="推送地址")
    events: list[Event] = Field(description="订阅的事件")
    active: bool = Field(description="启用")
    created_at: dt.datetime

    @staticmethod
    def resolve_events(obj: HookSubscription) -> list[Event]:
        return [event for event, field in HookSubscription.WANTS.items() if getattr(obj, field)]


class NewSubscriptionOut(SubscriptionOut):
    secret: str = Field(description="签名密钥：只在此时显示一次，请交给接收方")


class SubscriptionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Text = Field(min_length=1, max_length=100, description="名称（接收方系统）")
    url: Text = Field(min_length=1, max_length=500, description="接收 POST 的 http(s) 地址")
    events: list[Event] = Field(min_length=1, max_length=len(Event), description="订阅的事件")


class DeliveryOut(Schema):
    id: int
    event: Event = Field(description="事件")
    event_id: str = Field(description="事件编号（重试时不变）")
    state: DeliveryState = Field(description="发送状态：待发送、已发送、待重试、已放弃")
    attempts: int = Field(description="已尝试次数")
    last_error: str = Field(description="最近一次失败的原因")
    created_at: dt.datetime
    next_attempt_at: dt.datetime = Field(description="下次尝试时间")
    sent_at: dt.datetime | None = Field(description="送达时间")


@router.get("/webhooks", response={200: list[SubscriptionOut], **READ_ERRORS}, summary="推送订阅（督查室）")
@paginate(Page)
def list_subscriptions(request: AuthedRequest):
    return visible_to(request.user, HookSubscription.objects.all())


@router.post(
    "/webhooks",
    response={201: NewSubscriptionOut, **WRITE_ERRORS},
    summary="新增推送订阅（督查室）；应答中的签名密钥只显示这一次",
)
def create_subscription(request: AuthedRequest, payload: SubscriptionIn):
    return Status(
        201, actions.subscribe(request.user, name=payload.name, url=payload.url, events=payload.events)
    )


@router.delete("/webhooks/{subscription_id}", response={204: None, **WRITE_ERRORS}, summary="取消推送订阅")
def delete_subscription(request: AuthedRequest, subscription_id: Id):
    actions.unsubscribe(request.user, get_for(HookSubscription, request.user, subscription_id, Action.DELETE))
    return Status(204, None)


@router.get(
    "/webhooks/{subscription_id}/deliveries",
    response={200: list[DeliveryOut], **READ_ERRORS},
    summary="推送记录：每个事件的发送状态、尝试次数与最近错误",
)
@paginate(Page)
def list_deliveries(request: AuthedRequest, subscription_id: Id):
    subscription = get_for(HookSubscription, request.user, subscription_id)
    return visible_to(request.user, HookDelivery.objects.filter(subscription=subscription))
