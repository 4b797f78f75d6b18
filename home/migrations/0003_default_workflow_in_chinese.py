"""Wagtail's first workflow and its task, "Moderators approval", named in Chinese.

Wagtail creates them on the root page, so pages outside the offices' sections (whose
workflows setup_roles assigns) still go through them: they are renamed, not deleted,
and only while they keep Wagtail's name.
"""

from django.db import migrations

NAMES = {"Moderators approval": "审核人员审批（Wagtail 默认）"}


def forwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Task = apps.get_model("wagtailcore", "Task")
    for name, chinese in NAMES.items():
        Workflow.objects.filter(name=name).update(name=chinese)
        Task.objects.filter(name=name).update(name=chinese)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_wagtail_defaults_in_chinese"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
