"""Permission names in Chinese.

Django stores each model's permissions with English names ("Can add group", "Can change
地区"), and Wagtail's group editor reads them out (labels of the permission checkboxes);
Wagtail's own custom permissions have catalogue entries but are shown untranslated there
too. After each app's migrations, its permissions get Chinese names: "可以添加用户组".
Only the display name changes; code refers to permissions by codename.
"""

import re

from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, router
from django.utils.translation import gettext, override

ACTIONS = {"add": "添加", "change": "修改", "delete": "删除", "view": "查看"}
_DEFAULT = re.compile(r"Can (add|change|delete|view) (.+)")


def chinese_name(permission):
    """The permission's name in Chinese, or None when there is nothing to translate."""
    with override("zh-hans"):
        match = _DEFAULT.fullmatch(permission.name)
        model = permission.content_type.model_class()
        if match and model is not None:
            # Some models name themselves with a plain string ("locale"): look it up too.
            label = gettext(str(model._meta.verbose_name))
            return f"可以{ACTIONS[match.group(1)]}{label}"[:255]
        translated = gettext(permission.name)
        return translated if translated != permission.name else None


def translate_permission_names(app_config, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate: name this app's permissions in Chinese (creating them first, since
    Django's own receiver may run after this one)."""
    from django.contrib.auth.models import Permission

    if not app_config.models_module or not router.allow_migrate_model(using, Permission):
        return
    create_permissions(app_config, verbosity=0, using=using)
    permissions = Permission.objects.using(using).filter(content_type__app_label=app_config.label)
    for permission in permissions.select_related("content_type"):
        name = chinese_name(permission)
        if name and name != permission.name:
            permission.name = name
            permission.save(update_fields=["name"])
