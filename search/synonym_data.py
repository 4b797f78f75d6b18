"""The synonym groups the site ships with (``search/data/synonyms/*.jsonl``), loaded into
``SynonymGroup`` through the model's own checks, as an editor's would be.

Each line is one group: ``key`` (stable: loading again updates that group, never adds a
copy), ``terms``, optional ``also_finds``, ``source`` and ``note``. A group an editor has
changed since it was loaded (its latest revision is by a person) is left as they made it,
and so is one they retired: the shipped data never overrides an office's decision.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

DATA = Path(__file__).resolve().parent / "data" / "synonyms"


class BadLine(ValueError):
    pass


def read(path):
    """The groups of one JSONL file, checked: a bad line names its file and number."""
    from search.synonyms import check_group

    groups = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            key, terms = entry["key"], entry["terms"]
            also = entry.get("also_finds", [])
            if not isinstance(key, str) or not key or len(key) > 80:
                raise ValueError("key: a text of 1-80 characters")
            check_group("、".join(terms), "、".join(also))
        except (ValueError, KeyError, TypeError, ValidationError) as error:
            raise BadLine(f"{path}:{number}: {error}") from error
        groups.append(
            {
                "key": key,
                "terms": "、".join(terms),
                "also_finds": "、".join(also),
                "source": str(entry.get("source", ""))[:120],
                "note": str(entry.get("note", ""))[:200],
            }
        )
    return groups


@transaction.atomic
def load(paths=None):
    """Create or update the shipped groups; returns (created, updated, kept as edited)."""
    from search.models import SynonymGroup

    paths = sorted(DATA.glob("*.jsonl")) if paths is None else paths
    created = updated = kept = 0
    existing = {group.key: group for group in SynonymGroup.objects.exclude(key=None)}
    for path in paths:
        for entry in read(path):
            group = existing.get(entry["key"])
            if group is None:
                group = SynonymGroup(**entry)
                group.full_clean()
                group.save()
                group.save_revision(log_action=True)
                existing[group.key] = group
                created += 1
                continue
            if _edited_by_an_editor(group):
                kept += 1
                continue
            fields = ("terms", "also_finds", "source", "note")
            if any(getattr(group, name) != entry[name] for name in fields):
                for name in fields:
                    setattr(group, name, entry[name])
                group.full_clean()
                group.save()
                group.save_revision(log_action=True)
                updated += 1
    return created, updated, kept


def _edited_by_an_editor(group):
    latest = group.latest_revision
    return (latest is not None and latest.user_id is not None) or not group.active
