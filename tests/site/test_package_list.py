"""Every package folder is listed in pyproject's ``packages`` (issue 19).

The editable install finds an unlisted sub-package anyway, so a missing entry shows only in
a built wheel, where the sub-package is absent. Each folder with an ``__init__.py`` under
the five roots must be listed under its import name.
"""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_package_folder_is_listed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    missing = []
    for package, folder in setuptools["package-dir"].items():
        for init in sorted((ROOT / folder).rglob("__init__.py")):
            parts = init.parent.relative_to(ROOT / folder).parts
            if "__pycache__" in parts:
                continue
            name = ".".join((package, *parts))
            if name not in listed:
                missing.append(name)
    assert not missing, f"add to pyproject.toml's packages: {missing}"
