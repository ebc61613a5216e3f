"""The office publishes a plan's results page, chooses what it shows, and takes it down."""

from django.db import transaction

from luoshi.core.access import Action, require
from luoshi.core.history import set_history_user
from luoshi.orgs.models import Person
from luoshi.plans.models import Plan
from luoshi.public.models import PublicPage

CHOICES = (
    "published",
    "intro",
    "show_areas",
    "show_indicators",
    "show_completed_tasks",
    "show_units",
    "show_bulletins",
)


def set_public_page(actor: Person, plan: Plan, **chosen) -> PublicPage:
    """Save the office's choices for the plan's public page (publishing or taking it down among them)."""
    with transaction.atomic():
        page = PublicPage.objects.select_for_update().filter(plan=plan).first()
        require(actor, Action.EDIT if page else Action.CREATE, page or PublicPage)
        page = page or PublicPage(plan=plan)
        for name, value in chosen.items():
            if name not in CHOICES:
                raise TypeError(f"not a choice of the public page: {name}")
            setattr(page, name, value)
        page.updated_by = actor
        set_history_user(page, actor)
        page.full_clean()
        page.save()
    return page
