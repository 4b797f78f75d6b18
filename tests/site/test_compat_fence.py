"""The fence around library internals: private Wagtail, treebeard, modelcluster, Django and
django-tasks names and monkeypatches are touched in ``pioneer.compat`` only (issue 19).

An AST scan of the first-party sources (site/ minus compat.py, home, lessons, news, search,
and the test factories) for what a library upgrade can silently break:
- ``from <library> import _private``;
- a read of ``x._private`` on anything but ``self``/``cls`` (Django's documented
  ``_meta``/``_default_manager``/``_base_manager``, namedtuple's API and our own
  ``_pioneer_*``/``_import_*`` attributes excepted), and ``getattr(x, "_private")``;
- in a subclass of a library class: ``super()._private``, ``self._private`` that the class
  does not define itself, and a ``_private`` method that overrides one of the library's;
- an assignment to an attribute or item of a library object (a monkeypatch), also through
  a loop over library objects;
- a ``dispatch_uid`` that is not ours (borrowing a library receiver's identity).

``ALLOWED`` lists what is still outside compat; it may only shrink. A new hit fails the test,
and so does an entry that no longer occurs (delete it).
"""

import ast
import importlib
import inspect
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"pioneer", "home", "lessons", "news", "search", "tests"}
PACKAGES = {
    "site": "pioneer",
    "home": "home",
    "lessons": "lessons",
    "news": "news",
    "search": "search",
}
OWN_UID_PREFIXES = ("pioneer", "home", "lessons", "news", "search")
PUBLIC_UNDERSCORED = {
    "_meta",  # Django's documented Model._meta API
    "_default_manager",
    "_base_manager",
    "_replace",  # namedtuple's public API (urllib's split results)
    "_asdict",
    "_fields",
    "_make",
}
OWN_PREFIXES = ("_pioneer_", "_import_")  # attributes this project sets on its own objects

# (file, what) -> how many times: what is still outside compat (issue 19's plan, §2.1).
ALLOWED = Counter()


def _private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _root(node):
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _library_top(module):
    top = module.split(".")[0]
    return top not in FIRST_PARTY and top not in sys.stdlib_module_names


def _overrides_library(module_name, class_name, method):
    """Whether a library base class of ``module_name.class_name`` defines ``method``."""
    cls = getattr(importlib.import_module(module_name), class_name, None)
    if not inspect.isclass(cls):
        return True  # a class made inside a function: counted, to be safe
    for base in cls.__mro__[1:]:
        if not _library_top(base.__module__):
            continue
        if method in vars(base):
            return True
    return False


def _module_name(path):
    parts = list(path.with_suffix("").relative_to(ROOT).parts)
    parts[0] = PACKAGES.get(parts[0], parts[0])
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def hits(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    library = set()  # names bound to library modules or objects, anywhere in the file
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _library_top(alias.name):
                    library.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and not node.level and _library_top(node.module):
            for alias in node.names:
                library.add(alias.asname or alias.name)
                if _private(alias.name):
                    yield f"from {node.module} import {alias.name}"
    for node in ast.walk(tree):  # loop variables over library objects
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            sources = node.iter.elts if isinstance(node.iter, ast.Tuple) else [node.iter]
            if any(_root(source) in library for source in sources):
                library.add(node.target.id)

    for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
        if not any(_root(base) in library for base in cls.bases):
            continue
        functions = ast.FunctionDef | ast.AsyncFunctionDef
        methods = {n.name for n in cls.body if isinstance(n, functions)}
        stored = set()
        for node in ast.walk(cls):
            if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                read = {
                    n.attr
                    for n in ast.walk(node.value)
                    if isinstance(n, ast.Attribute) and _root(n) in ("self", "cls")
                }
                stored |= {
                    t.attr for t in targets if isinstance(t, ast.Attribute) and t.attr not in read
                }
        for name in sorted(methods):
            if _private(name) and _overrides_library(_module_name(path), cls.name, name):
                yield f"override {cls.name}.{name}"
        for node in ast.walk(cls):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("self", "cls")
                and isinstance(node.ctx, ast.Load)
                and _private(node.attr)
                and node.attr not in methods | stored | PUBLIC_UNDERSCORED
                and not node.attr.startswith(OWN_PREFIXES)
            ):
                yield f"inherited {cls.name}: self.{node.attr}"

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            if node.attr in PUBLIC_UNDERSCORED or node.attr.startswith(OWN_PREFIXES):
                pass
            elif isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                pass  # judged above, for subclasses of library classes
            elif isinstance(node.value, ast.Call) and _root(node.value) == "super":
                yield f"super().{node.attr}"
            else:
                yield f"{ast.unparse(node.value)}.{node.attr}"
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute | ast.Subscript) and _root(target) in library:
                    yield f"assign {ast.unparse(target)}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            args = node.args
            if node.func.id == "setattr" and args and _root(args[0]) in library:
                yield f"setattr {ast.unparse(args[0])}"
            if (
                node.func.id == "getattr"
                and len(args) >= 2
                and isinstance(args[1], ast.Constant)
                and isinstance(args[1].value, str)
                and _private(args[1].value)
                and args[1].value not in PUBLIC_UNDERSCORED
                and not args[1].value.startswith(OWN_PREFIXES)
            ):
                yield f'getattr({ast.unparse(args[0])}, "{args[1].value}")'
        if isinstance(node, ast.keyword) and node.arg == "dispatch_uid":
            uid = node.value
            if isinstance(uid, ast.JoinedStr):
                uid = uid.values[0]
            if isinstance(uid, ast.Constant) and not str(uid.value).startswith(OWN_UID_PREFIXES):
                yield f"dispatch_uid {uid.value}"


def scanned_files():
    for folder in PACKAGES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts or path == ROOT / "site" / "compat.py":
                continue
            yield path
    yield ROOT / "tests" / "support" / "factories.py"


def test_library_internals_are_touched_in_compat_only():
    found = Counter()
    for path in scanned_files():
        for what in hits(path):
            found[(str(path.relative_to(ROOT)), what)] += 1
    new = found - ALLOWED
    gone = ALLOWED - found
    assert not new, f"library internals outside pioneer.compat (move them there): {dict(new)}"
    assert not gone, f"no longer found, delete from ALLOWED: {dict(gone)}"


def test_the_fence_sees_each_kind_of_touch(tmp_path):
    """The scanner itself: each rule catches its example, and our own names pass."""
    probe = tmp_path / "probe.py"
    source = """
from wagtail.models.copying import _copy_m2m_relations
from wagtail.admin import auth
from wagtail.sites.views import IndexView
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal

auth.permission_denied = None
for column in IndexView.columns:
    column.label = "x"
page._cached_parent_obj = None
value = getattr(backend, "_cache")
request._pioneer_home = None
model._meta.get_field("x")
Signal().connect(print, dispatch_uid="wagtail_uid")
Signal().connect(print, dispatch_uid="pioneer_uid")

class Cache(RedisCache):
    def __init__(self):
        self._mine = 1
        self._options = {**self._options}

    def ping(self):
        return self._cache, self._mine, super()._private()
"""
    probe.write_text(source, encoding="utf-8")
    try:
        found = Counter(hits(probe))
    finally:
        probe.unlink()
    assert found == Counter(
        {
            "from wagtail.models.copying import _copy_m2m_relations": 1,
            "assign auth.permission_denied": 1,
            "assign column.label": 1,
            "page._cached_parent_obj": 1,
            'getattr(backend, "_cache")': 1,
            "dispatch_uid wagtail_uid": 1,
            "inherited Cache: self._options": 1,
            "inherited Cache: self._cache": 1,
            "super()._private": 1,
        }
    )
