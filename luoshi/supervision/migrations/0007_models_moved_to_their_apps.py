"""The supervision grab-bag's models move to apps named after them (messaging, reminders, inbox, scoring,
commitments, activities). The tables stay as they are: supervision only forgets the models (state only),
and their content types (and so the admin's permissions and the score ledger's sources) follow them."""

from django.db import migrations

#: Each moved model (lower-case, as content types name them) and the app it lives in now.
MOVED = {
    "webhookendpoint": "messaging",
    "historicalwebhookendpoint": "messaging",
    "servicestate": "messaging",
    "reminderrule": "reminders",
    "historicalreminderrule": "reminders",
    "reminder": "reminders",
    "notification": "inbox",
    "scoringrule": "scoring",
    "historicalscoringrule": "scoring",
    "scoreentry": "scoring",
    "scoredtask": "scoring",
    "commitment": "commitments",
    "historicalcommitment": "commitments",
    "commitmentitem": "commitments",
    "activity": "activities",
    "historicalactivity": "activities",
    "activityattachment": "activities",
}


def relabel_forward(apps, schema_editor):
    """Each moved model's content type takes its new app's label (unless that one exists already)."""
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    for model, app in MOVED.items():
        if not content_types.filter(app_label=app, model=model).exists():
            content_types.filter(app_label="supervision", model=model).update(app_label=app)


def relabel_backward(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(schema_editor.connection.alias)
    for model, app in MOVED.items():
        if not content_types.filter(app_label="supervision", model=model).exists():
            content_types.filter(app_label=app, model=model).update(app_label="supervision")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("supervision", "0006_scored_task"),
        ("bulletins", "0004_subscription_endpoint_in_messaging"),
        ("messaging", "0001_moved_from_supervision"),
        ("reminders", "0001_moved_from_supervision"),
        ("inbox", "0001_moved_from_supervision"),
        ("scoring", "0001_moved_from_supervision"),
        ("commitments", "0001_moved_from_supervision"),
        ("activities", "0001_moved_from_supervision"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='activity',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='activity',
                    name='task',
                ),
                migrations.RemoveField(
                    model_name='activity',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='activityattachment',
                    name='activity',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='acknowledged_by',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='generated_by',
                ),
                migrations.RemoveField(
                    model_name='commitment',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='commitmentitem',
                    name='commitment',
                ),
                migrations.RemoveField(
                    model_name='commitmentitem',
                    name='task',
                ),
                migrations.RemoveField(
                    model_name='historicalactivity',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalactivity',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='historicalactivity',
                    name='task',
                ),
                migrations.RemoveField(
                    model_name='historicalactivity',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='historicalcommitment',
                    name='acknowledged_by',
                ),
                migrations.RemoveField(
                    model_name='historicalcommitment',
                    name='generated_by',
                ),
                migrations.RemoveField(
                    model_name='historicalcommitment',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalcommitment',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='historicalreminderrule',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalreminderrule',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='historicalscoringrule',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalscoringrule',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='historicalwebhookendpoint',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalwebhookendpoint',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='historicalwebhookendpoint',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='reminder',
                ),
                migrations.RemoveField(
                    model_name='notification',
                    name='task',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='endpoint',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='milestone',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='rule',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='task',
                ),
                migrations.RemoveField(
                    model_name='reminderrule',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='scoredtask',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='scoredtask',
                    name='task',
                ),
                migrations.RemoveField(
                    model_name='scoreentry',
                    name='person',
                ),
                migrations.RemoveField(
                    model_name='scoreentry',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='scoreentry',
                    name='source_type',
                ),
                migrations.RemoveField(
                    model_name='scoreentry',
                    name='task',
                ),
                migrations.RemoveField(
                    model_name='scoreentry',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='scoringrule',
                    name='plan',
                ),
                migrations.DeleteModel(
                    name='ServiceState',
                ),
                migrations.RemoveField(
                    model_name='webhookendpoint',
                    name='plan',
                ),
                migrations.RemoveField(
                    model_name='webhookendpoint',
                    name='unit',
                ),
                migrations.DeleteModel(
                    name='Activity',
                ),
                migrations.DeleteModel(
                    name='ActivityAttachment',
                ),
                migrations.DeleteModel(
                    name='Commitment',
                ),
                migrations.DeleteModel(
                    name='CommitmentItem',
                ),
                migrations.DeleteModel(
                    name='HistoricalActivity',
                ),
                migrations.DeleteModel(
                    name='HistoricalCommitment',
                ),
                migrations.DeleteModel(
                    name='HistoricalReminderRule',
                ),
                migrations.DeleteModel(
                    name='HistoricalScoringRule',
                ),
                migrations.DeleteModel(
                    name='HistoricalWebhookEndpoint',
                ),
                migrations.DeleteModel(
                    name='Notification',
                ),
                migrations.DeleteModel(
                    name='Reminder',
                ),
                migrations.DeleteModel(
                    name='ReminderRule',
                ),
                migrations.DeleteModel(
                    name='ScoredTask',
                ),
                migrations.DeleteModel(
                    name='ScoreEntry',
                ),
                migrations.DeleteModel(
                    name='ScoringRule',
                ),
                migrations.DeleteModel(
                    name='WebhookEndpoint',
                ),
            ],
        ),
        migrations.RunPython(relabel_forward, relabel_backward),
    ]
