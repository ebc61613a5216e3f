"""Who a person is to the policy: their role, and the units they act for."""

from luoshi.orgs.models import Person, Role, Unit


def role_of(person: Person | None) -> Role | None:
    """The person's role; None for nobody, a stranger or a disabled account."""
    if person is None or not person.is_authenticated or not person.is_active:
        return None
    if person.is_superuser:
        return Role.ADMIN
    return Role(person.role)


def scope_unit_ids(person: Person | None) -> set[int]:
    """The units a person acts for: their home unit and those below it; a leader's overseen units
    and those below them; none for nobody. Cached on the person for the request."""
    if person is None:
        return set()
    cached = getattr(person, "_luoshi_scope", None)
    if cached is not None:
        return cached
    role = role_of(person)
    if role == Role.LEADER:
        roots = list(Unit.objects.filter(supervising_leader=person).values_list("id", flat=True))
    elif role in (Role.MANAGER, Role.STAFF) and person.unit_id:
        roots = [person.unit_id]
    else:
        roots = []
    scope = set(Unit.objects.subtree(roots).values_list("id", flat=True)) if roots else set()
    person._luoshi_scope = scope
    return scope


def sees_everything(person: Person | None) -> bool:
    return role_of(person) in (Role.ADMIN, Role.SUPERVISOR, Role.VIEWER)


def is_office(person: Person | None) -> bool:
    """The administrator or the supervision office (督查室)."""
    return role_of(person) in (Role.ADMIN, Role.SUPERVISOR)


def is_admin(person: Person | None) -> bool:
    return role_of(person) == Role.ADMIN


def acts_for(
    person: Person | None, unit_id: int | None, roles: tuple[Role, ...] = (Role.MANAGER, Role.STAFF)
) -> bool:
    """Does the person, in one of these roles, act for the unit (their own or one below it)?"""
    return role_of(person) in roles and unit_id in scope_unit_ids(person)
