"""Start Django on a throw-away SQLite database filled by ``load_demo``, for benchmarks."""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def demo_site(extra_env=None):
    """Configure settings for a fresh demo database and media folder, then load the demo."""
    workdir = Path(tempfile.mkdtemp(prefix="pioneer-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pioneer.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'db.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DEBUG"] = "false"  # measure what learners get, not debug pages
    os.environ.update(extra_env or {})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=open(os.devnull, "w"))
    return workdir
