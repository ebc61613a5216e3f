from django.apps import AppConfig
from django.db.models.signals import post_save, pre_delete
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "luoshi.scoring"
    verbose_name = _("计分")

    def ready(self) -> None:
        from luoshi.plans.models import Plan, Task
        from luoshi.scoring.actions import count_entry, forget_entries
        from luoshi.scoring.models import ScoreEntry

        def forget_task_entries(sender, instance: Task, origin=None, **kwargs) -> None:
            # A deleted task's entries go with it (only drafts are deleted, and they have none; an undone
            # import may delete scored ones): take them out of the daily and monthly sums first. A deleted
            # plan's sums go with the plan.
            if not isinstance(origin, Plan):
                forget_entries(ScoreEntry.objects.filter(task_id=instance.pk))

        def count_saved_entry(
            sender, instance: ScoreEntry, created: bool, raw: bool = False, **kwargs
        ) -> None:
            # `post_scores` writes entries in bulk and counts them itself; one saved on its own (the shell, a
            # fixture) counts here. Entries are never edited.
            if created and not raw:
                count_entry(instance)

        pre_delete.connect(
            forget_task_entries, sender=Task, weak=False, dispatch_uid="scoring_forget_task_entries"
        )
        post_save.connect(
            count_saved_entry, sender=ScoreEntry, weak=False, dispatch_uid="scoring_count_saved_entry"
        )
