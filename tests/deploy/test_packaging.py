"""Installing the project (``pip install -e .``, run by both ``./dev`` commands) is quiet.

setuptools warns, in about 25 lines each, for every folder of templates, static files or
catalogues that ships as data without being listed in ``packages``: some 560 lines before
``./dev run`` says anything useful. Running setuptools' own ``build_py`` on the project's
configuration shows whether any folder is missing (and that the data does ship).
"""

import subprocess
import sys
from pathlib import Path

import pytest

# setuptools rewrites shidai_xianfeng.egg-info/ in the tree, which other tests read.
pytestmark = pytest.mark.serial

ROOT = Path(__file__).resolve().parents[2]


def test_building_the_package_lists_every_data_folder(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "build_py", "-d", tmp_path],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "SetuptoolsDeprecationWarning" not in output, output[:3000]
    assert "not listed in the `packages`" not in output
    # The data still ships: templates, the stylesheet and the compiled-from catalogues.
    for shipped in (
        "pioneer/templates/base.html",
        "pioneer/static/css/site.css",
        "pioneer/locale/zh_Hans/LC_MESSAGES/django.po",
        "lessons/templates/lessons/offline",
        "home/templates/home/home_page.html",
        "search/data/synonyms/cc-cedict.jsonl",
        "search/data/synonyms/programme.jsonl",
    ):
        assert (tmp_path / shipped).exists(), shipped
