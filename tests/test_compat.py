"""pioneer.compat's own guards: the start-up check of the library versions it was written
for (pioneer.W101)."""

from pioneer import compat


def test_the_checked_versions_are_installed():
    assert compat.installed_versions_are_checked() == []


def test_another_minor_version_warns(monkeypatch):
    monkeypatch.setitem(compat.CHECKED, "wagtail", "7.9.0")
    warnings = compat.installed_versions_are_checked()
    assert [w.id for w in warnings] == ["pioneer.W101"]
    assert "wagtail" in warnings[0].msg and "7.9.0" in warnings[0].msg
