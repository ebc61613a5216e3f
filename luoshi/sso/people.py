"""Which Person an outside identity is: one active Person by a configured field, or a refusal in words."""

from django.utils.translation import gettext as _

from luoshi.orgs.models import Person


class Refused(Exception):
    """The identity was proven, but it is nobody in Luoshi (or nobody who may sign in)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def person_for(source: str, field: str, value: object, claim: str) -> Person:
    """The one Person whose `field` equals the identity's `value`; never a new account.

    `source` names the identity system in the message ("统一身份认证", "单位目录"), `claim` the claim or
    attribute the value came from, so an administrator reading the message knows what to fix.
    """
    if value is None or str(value).strip() == "":
        raise Refused(
            _("%(source)s没有提供“%(claim)s”，无法对应到落实系统里的人员。请联系系统管理员。")
            % {"source": source, "claim": claim}
        )
    text = str(value).strip()
    people = list(Person.objects.filter(**{f"{field}__iexact": text})[:2])
    if not people:
        raise Refused(
            _(
                "%(source)s已确认您是“%(value)s”，但落实系统里没有与之对应的人员。请联系系统管理员为您开通账号后再登录。"
            )
            % {"source": source, "value": text}
        )
    if len(people) > 1:
        raise Refused(
            _("%(source)s的“%(value)s”对应落实系统里不止一名人员，无法确定是谁。请联系系统管理员。")
            % {"source": source, "value": text}
        )
    person = people[0]
    if not person.is_active:
        raise Refused(_("您在落实系统里的账号已停用。请联系系统管理员。"))
    return person
