"""``manage.py build_synonym_data --cedict cedict_ts.u8``: write search/data/synonyms/
cc-cedict.jsonl, the everyday and regional names of the things courseware teaches, taken
from CC-CEDICT (MDBG's community Chinese-English dictionary, CC BY-SA 4.0) for the words of
search/data/synonyms/cedict_seeds.txt. For maintainers, when CC-CEDICT has a new release;
the site itself only reads the JSONL (``load_synonyms``).

For each seed (a formal name: 马铃薯), its first English sense names the thing ("potato").
Every other entry of two or more characters with that sense, not limited to Taiwan, Hong
Kong or Cantonese use, is one of its names:
- an entry whose senses are all the seed's is a synonym (土豆, 洋芋: each finds the
  others' pages);
- an entry with other senses too finds the seed's pages one way only (马蹄 "horse's hoof;
  water chestnut" → 荸荠: a search for 荸荠 should not bring up horses);
- an entry that is an abbreviation or variant of the seed is a synonym (医保, 西蓝花).
A seed's line may exclude words (``小白菜 -油菜``): where a word means something else in
Zhejiang than the dictionary's sense (油菜 is the rapeseed crop here); and make a word a
synonym that CC-CEDICT gives other senses too (``甘薯 +番薯``), where Zhejiang uses it so.
"""

import collections
import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from search.synonym_data import DATA

_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/$")
_ELSEWHERE = re.compile(r"^\((?:Tw|Taiwan|HK|Hong Kong|Cantonese|Singapore|Malaysia)", re.I)
_REGISTER = re.compile(r"^\((?:dialect|coll\.|colloquial|old|archaic|literary|loanword)\)\s*", re.I)
# Latin names, measure words and "aka" notes in a sense: not what tells senses apart.
_ASIDE = re.compile(
    r"\s*\((?:[A-Z][a-z]+ [a-z.]+[^)]*|CL:[^)]*|aka [^)]*|the plant|plant|fruit|vegetable)\)"
)
_RELATION = re.compile(r"(?:abbr\. for|variant of|also written|see) (\S+?)(?:\[|$|\s)")


def sense(gloss):
    """A gloss reduced to what it names: "(dialect) potato (CL:個|个[ge4])" → "potato"."""
    gloss = _ASIDE.sub("", _REGISTER.sub("", gloss))
    gloss = gloss.split(";")[0].split(", aka")[0].strip().lower()
    return re.sub(r"^(?:a|an|the) ", "", gloss)


def read_cedict(path):
    """({simplified: [senses]}, {simplified: [words it abbreviates or varies]}, version)."""
    senses = collections.defaultdict(list)
    related = collections.defaultdict(list)
    version = ""
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("#! date="):
            version = line.split("=", 1)[1][:10]
        if line.startswith("#"):
            continue
        match = _LINE.match(line.strip())
        if not match:
            continue
        _traditional, simplified, pinyin, glosses = match.groups()
        if pinyin[:1].isupper():  # a proper name
            continue
        for gloss in glosses.split("/"):
            if not gloss or gloss.startswith("CL:") or _ELSEWHERE.match(gloss):
                continue
            for target in _RELATION.findall(gloss):
                related[simplified].append(target.split("|")[-1])
            if not _RELATION.match(gloss):
                senses[simplified].append(sense(gloss))
    return senses, related, version


def read_seeds(path):
    """[(seed, {excluded words}, [words made synonyms])] from the seeds file."""
    seeds = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].split()
        if line:
            excluded = {word[1:] for word in line[1:] if word.startswith("-")}
            included = [word[1:] for word in line[1:] if word.startswith("+")]
            seeds.append((line[0], excluded, included))
    return seeds


def groups_for(seed, excluded, senses, related, by_sense, included=()):
    """(synonyms, one-way words) of ``seed``."""
    if not senses.get(seed):
        return [], []
    named = senses[seed][0]
    same, one_way = [], []
    for word in sorted(by_sense[named] - {seed} - excluded):
        if senses[word][0] == named and set(senses[word]) <= set(senses[seed]):
            same.append(word)
        else:
            one_way.append(word)
    for word, targets in related.items():
        fresh = word != seed and word not in excluded and word not in same
        if seed in targets and len(word) > 1 and fresh:
            same.append(word)
            if word in one_way:
                one_way.remove(word)
    for word in included:
        if word in one_way:
            one_way.remove(word)
        if word not in same:
            same.append(word)
    return same, one_way


class Command(BaseCommand):
    help = "Write search/data/synonyms/cc-cedict.jsonl from a CC-CEDICT file and the seeds."

    def add_arguments(self, parser):
        parser.add_argument("--cedict", required=True, help="cedict_ts.u8 (MDBG's release)")
        parser.add_argument("--seeds", default=str(DATA / "cedict_seeds.txt"))
        parser.add_argument("--out", default=str(DATA / "cc-cedict.jsonl"))

    def handle(self, *args, cedict, seeds, out, **options):
        try:
            senses, related, version = read_cedict(cedict)
            seed_list = read_seeds(seeds)
        except OSError as error:
            raise CommandError(str(error)) from error
        if not version:
            raise CommandError(f"{cedict}: no '#! date=' line: is this a CC-CEDICT file?")
        by_sense = collections.defaultdict(set)
        for word, word_senses in senses.items():
            if len(word) > 1:
                for named in word_senses:
                    by_sense[named].add(word)
        source = f"CC-CEDICT {version}（CC BY-SA 4.0）"
        lines, missing = [], []
        for seed, excluded, included in seed_list:
            same, one_way = groups_for(seed, excluded, senses, related, by_sense, included)
            if not senses.get(seed):
                missing.append(seed)
            if same:
                lines.append({"key": f"cedict:{seed}", "terms": [seed, *same], "source": source})
            for word in one_way:
                lines.append(
                    {
                        "key": f"cedict:{word}→{seed}",
                        "terms": [word],
                        "also_finds": [seed],
                        "source": source,
                    }
                )
        with open(out, "w", encoding="utf-8") as output:
            for entry in lines:
                output.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.stdout.write(f"{len(lines)} groups from CC-CEDICT {version} written to {out}")
        if missing:
            self.stdout.write(f"not in CC-CEDICT: {'、'.join(missing)}")
