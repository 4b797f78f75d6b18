"""Wagtail's first data in Chinese: its default groups and the roots of pages and collections.

Wagtail creates the groups "Moderators" and "Editors" (listed above the offices' 37 Chinese
groups, though no office uses them) and a root page and root collection named "Root" (shown in
the admin's breadcrumbs, choosers and permissions). An unused default group is deleted; one
that has members is renamed, so nobody loses access. The roots are renamed while they
still have Wagtail's name.
"""

from django.db import migrations

DEFAULT_GROUPS = {"Moderators": "审核人员（Wagtail 默认）", "Editors": "编辑人员（Wagtail 默认）"}


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name, chinese in DEFAULT_GROUPS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        if group.user_set.exists():
            if not Group.objects.filter(name=chinese).exists():
                group.name = chinese
                group.save(update_fields=["name"])
        else:
            group.delete()
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(title="根目录", draft_title="根目录")
    Collection = apps.get_model("wagtailcore", "Collection")
    Collection.objects.filter(depth=1, name="Root").update(name="根目录")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
