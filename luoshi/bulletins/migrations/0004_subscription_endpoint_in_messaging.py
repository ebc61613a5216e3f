"""A subscription's group robot is now `messaging.WebhookEndpoint` (the same table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bulletins', '0003_delivery_channel_choices_gain_work_apps'),
        ('messaging', '0001_moved_from_supervision'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='bulletinsubscription',
                    name='endpoint',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='bulletin_subscriptions', to='messaging.webhookendpoint', verbose_name='群机器人'),
                ),
            ],
        ),
    ]
