"""The inbox's notifications move here from supervision: the tables stay as they are (each model keeps its `db_table`), so
only Django's picture of the models changes (state only); supervision 0007 forgets them there."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('supervision', '0006_scored_task'),
        ('plans', '0005_task_plan_status_closed_index'),
        ('reminders', '0001_moved_from_supervision'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject', models.CharField(max_length=200, verbose_name='标题')),
                        ('body', models.TextField(blank=True, verbose_name='正文')),
                        ('link', models.CharField(blank=True, max_length=500, verbose_name='链接')),
                        ('created_at', models.DateTimeField(verbose_name='时间')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL, verbose_name='收件人')),
                    ],
                    options={
                        'verbose_name': '站内通知',
                        'verbose_name_plural': '站内通知',
                        'db_table': 'supervision_notification',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.AddField(
                    model_name='notification',
                    name='reminder',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='notification', to='reminders.reminder', verbose_name='催办'),
                ),
                migrations.AddField(
                    model_name='notification',
                    name='task',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='plans.task', verbose_name='任务'),
                ),
                migrations.AddIndex(
                    model_name='notification',
                    index=models.Index(fields=['recipient', 'read_at'], name='notification_inbox'),
                ),
            ],
        ),
    ]
