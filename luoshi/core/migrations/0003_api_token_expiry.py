import datetime as dt

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

import luoshi.core.models


def expire_existing_tokens_in_time(apps, schema_editor):
    """Tokens issued before expiry existed keep working for one token lifetime from the upgrade."""
    ApiToken = apps.get_model("core", "ApiToken")
    ApiToken.objects.filter(expires_at=None).update(
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS))


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=luoshi.core.models.token_expiry, null=True, verbose_name="到期时间"),
        ),
        migrations.RunPython(expire_existing_tokens_in_time, migrations.RunPython.noop),
    ]
