"""The shell's hooks module (Wagtail discovers this one only): it imports each part's
hooks in the order they were registered before (so the imports are not sorted)."""

# isort: off
# The base layer's hooks first (before_serve_page order: an expired page is a 404 before
# an alias is sent to its original).
import pioneer.core.hooks  # noqa: F401

# The importer's admin URLs (before the page editor's) and its menu item.
from pioneer.content_io import admin_hooks as _import_hooks  # noqa: F401

# The page editor's pinyin slugs, registered after the importer's URLs as before.
import pioneer.core.admin_hooks  # noqa: F401

# Editorial's dashboard panel and page-chooser labels, then operations' task report and
# sites-listing labels, registered where they were.
from pioneer.editorial import admin_hooks as _editorial_hooks  # noqa: F401
from pioneer.ops import admin_hooks as _ops_hooks  # noqa: F401

# Search's report of the queries learners typed (报告 → 搜索词).
from search import admin_hooks as _search_hooks  # noqa: F401, E402
