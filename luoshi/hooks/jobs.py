"""The worker's jobs for webhooks out; the supervision worker's beat also calls them."""

from django_tasks import task

from luoshi.hooks.sending import send_due_hooks


@task()
def send_hooks() -> dict[str, int]:
    """Send (and retry) the stored events; returns how many ended in each state."""
    return dict(send_due_hooks())
