"""pioneer.compat's own guards: the start-up check of the library versions it was written
for (pioneer.W101), the admin patches in place, the copied library templates unchanged."""

import ast
import hashlib
import importlib
from pathlib import Path

from pioneer import compat

ROOT = Path(__file__).resolve().parents[2]


def test_the_checked_versions_are_installed():
    assert compat.installed_versions_are_checked() == []


def test_another_minor_version_warns(monkeypatch):
    monkeypatch.setitem(compat.CHECKED, "wagtail", "7.9.0")
    warnings = compat.installed_versions_are_checked()
    assert [w.id for w in warnings] == ["pioneer.W101"]
    assert "wagtail" in warnings[0].msg and "7.9.0" in warnings[0].msg


def _notifiers():
    """The live receivers of ``task_submitted`` for TaskState."""
    from wagtail.models import TaskState
    from wagtail.signals import task_submitted

    sync_receivers, async_receivers = task_submitted._live_receivers(TaskState)
    return sync_receivers + async_receivers


def test_the_regional_notifier_is_the_only_task_submitted_mail():
    from wagtail.admin.signal_handlers import task_submission_email_notifier

    from pioneer.editorial.review import RegionalSubmissionNotifier

    receivers = _notifiers()
    assert task_submission_email_notifier not in receivers
    assert [type(r) for r in receivers if isinstance(r, RegionalSubmissionNotifier)] == [
        RegionalSubmissionNotifier
    ]


def test_the_take_over_holds_whichever_app_is_readied_first():
    """As if wagtail.admin had connected its notifier first: it is replaced; and connecting
    it again afterwards (its ready() after ours) is ignored."""
    from wagtail.admin.signal_handlers import task_submission_email_notifier
    from wagtail.models import TaskState
    from wagtail.signals import task_submitted

    from pioneer.editorial.review import RegionalSubmissionNotifier

    uid = compat.WAGTAIL_TASK_SUBMITTED_UID
    ours = [r for r in _notifiers() if isinstance(r, RegionalSubmissionNotifier)][0]
    try:
        task_submitted.disconnect(sender=TaskState, dispatch_uid=uid)
        task_submitted.connect(task_submission_email_notifier, sender=TaskState, dispatch_uid=uid)
        assert task_submission_email_notifier in _notifiers()
        notifier = RegionalSubmissionNotifier()
        compat.take_over_task_submitted_mail(notifier)
        task_submitted.connect(task_submission_email_notifier, sender=TaskState, dispatch_uid=uid)
        receivers = _notifiers()
        assert notifier in receivers
        assert task_submission_email_notifier not in receivers
    finally:
        task_submitted.disconnect(sender=TaskState, dispatch_uid=uid)
        task_submitted.connect(ours, sender=TaskState, dispatch_uid=uid)
    assert ours in _notifiers()


def test_the_admin_permission_denied_is_replaced_once():
    from wagtail.admin import auth

    replaced = auth.permission_denied
    assert replaced.pioneer_replacement
    compat.replace_admin_permission_denied(lambda friendly: None)  # a second call: no change
    assert auth.permission_denied is replaced


def test_the_copied_library_templates_match_their_originals():
    """A copy in site/templates replaces a library template; when the installed original
    changes (an upgrade), merge its change into the copy, then record its new hash."""
    changed = []
    for name, package, recorded in compat.TEMPLATE_COPIES:
        assert (ROOT / "site" / "templates" / name).exists(), name
        original = Path(importlib.import_module(package).__file__).parent / "templates" / name
        if hashlib.sha256(original.read_bytes()).hexdigest() != recorded:
            changed.append(f"{package}: {name}")
    assert changed == []


def test_every_copied_library_template_is_recorded():
    templates = ROOT / "site" / "templates"
    copies = {
        str(path.relative_to(templates))
        for folder in templates.glob("wagtail*")
        for path in folder.rglob("*.html")
    }
    assert copies == {name for name, _package, _sha in compat.TEMPLATE_COPIES}


def test_compat_imports_no_first_party_module():
    """The bottom layer: anything may import it, so it imports nothing of ours."""
    tree = ast.parse((ROOT / "site" / "compat.py").read_text(encoding="utf-8"))
    imported = {
        alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names
    }
    imported |= {
        "." * n.level + (n.module or "") for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)
    }
    first_party = {"pioneer", "home", "lessons", "news", "search", ""}  # "": relative
    assert not [m for m in imported if m.split(".")[0] in first_party]
