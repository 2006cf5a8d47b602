"""Synthetic towns for benchmarks and tests: a template list and its local copies.

Towns in one region publish lists copied from one provincial template: most
items verbatim, some renamed or reworded, a few of their own, and renumbered.
:func:`generate_corpus` builds such towns (deterministic for a seed) as
:class:`schema.records.Document` objects; ``python tools/gen_corpus.py OUT``
writes them as ``OUT/<stem>/document.json`` plus a ``manifest.json``, the
layout ``duty-lists run`` produces.

The variant makers (:func:`replace_chars`, :func:`reword`) are also what the
matching threshold was measured with (``tests/analysis/test_matching.py``).

    python tools/gen_corpus.py /tmp/corpus --towns 1000 --items 250 --seed 1
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from duty_lists.schema.records import LIST_NAMES, LIST_TYPES, Document, DutyList, Item, Source  # noqa: E402

# Phrase parts of synthetic item names, by category.  Combinations give
# thousands of distinct names that share words the way real items do
# (许可/监督/宣传 recur across categories), so blocking is tested honestly.
CATEGORIES: dict[str, list[str]] = {
    "党的建设": ["基层党组织", "党员队伍", "党风廉政", "意识形态", "精神文明", "统一战线", "人才工作", "干部档案"],
    "经济发展": ["招商引资", "营商环境", "统计调查", "个体工商户", "农村集体经济", "财政预算", "国有资产", "项目申报"],
    "民生服务": ["最低生活保障", "特困人员供养", "残疾人两项补贴", "殡葬改革", "医疗救助", "养老服务", "退役军人优抚", "就业援助"],
    "平安法治": ["矛盾纠纷排查", "信访事项", "社区矫正", "禁毒宣传", "反邪教", "网格化管理", "人民调解", "法律援助"],
    "乡村振兴": ["耕地保护", "农药经营", "动物防疫", "农村饮水安全", "土壤普查", "高标准农田", "农作物病虫害", "农村人居环境"],
    "生态环保": ["大气污染防治", "河湖长制", "秸秆禁烧", "林草防火", "饮用水水源地", "噪声污染", "固体废物", "排污口"],
    "应急管理及消防": ["安全生产", "防汛抗旱", "森林防火", "消防安全", "危险化学品", "地质灾害", "应急物资", "自然灾害救助"],
    "综合政务": ["地名信息", "政务公开", "档案管理", "保密工作", "电子政务", "政府信息", "机要文件", "督查督办"],
}
VERBS = ["组织开展", "负责", "配合做好", "落实", "指导", "监督检查", "做好", "推进", "协助开展", "建立健全"]
ACTIONS = ["日常巡查", "宣传教育", "信息报送", "摸底排查", "审核上报", "台账管理", "隐患整改", "培训演练",
           "资格审查", "动态管理", "考核评估", "资金发放", "应急处置", "档案整理", "政策落实"]
DEPARTMENTS = ["师市民政局", "师市农业农村局", "师市应急管理局", "师市市场监督管理局", "师市生态环境局",
               "师市自然资源和规划局", "师市人力资源和社会保障局", "师市公安局", "师市司法局", "师市财政局"]
# Rewording moves: synonyms that keep the duty, and fillers that wrap it.
SYNONYMS = [("加强", "强化"), ("组织开展", "开展"), ("落实", "贯彻落实"), ("做好", "抓好"), ("配合", "协助"),
            ("监督检查", "监督管理"), ("宣传教育", "宣传引导"), ("摸底排查", "排查摸底"), ("审核上报", "审核报送")]
FILLERS = ["负责", "做好", "组织开展", "及时"]
# Characters that replace others in a "renamed" variant: common ones, so the
# new text is plausible rather than noise.
REPLACEMENTS = "管理服务建设发展安全检查监督保障工作宣传组织规划实施信息社会公共卫生环境"
_PUNCT = "，。、；：（）“”《》"
# Local items name a place of the town: 阿克村 … mostly unique to one town.
PLACE_CHARS = "阿克苏塔里木胡杨红柳沙河青松金银川光明团结和平幸福新兴丰收永宁"
PLACE_KINDS = ["村", "社区", "连队", "片区", "工业园", "水库", "灌区"]


def replace_chars(name: str, rng: random.Random, share: float = 0.1) -> str:
    """``name`` with ~``share`` of its characters (at least one) replaced."""
    positions = [i for i, ch in enumerate(name) if ch not in _PUNCT]
    if not positions:
        return name
    chars = list(name)
    for i in rng.sample(positions, max(1, round(len(positions) * share))):
        choices = [c for c in REPLACEMENTS if c != chars[i]]
        chars[i] = rng.choice(choices)
    return "".join(chars)


def reword(name: str, rng: random.Random) -> str:
    """``name`` reworded: a synonym swapped, a filler added, clauses reordered."""
    text = name
    swaps = [(a, b) for a, b in SYNONYMS if a in text] + [(b, a) for a, b in SYNONYMS if b in text]
    if swaps:
        old, new = rng.choice(swaps)
        text = text.replace(old, new, 1)
    clauses = text.split("，")
    if len(clauses) > 2:
        # swap two adjacent inner clauses: the duty is the same, the order not
        k = rng.randrange(len(clauses) - 1)
        clauses[k], clauses[k + 1] = clauses[k + 1], clauses[k]
        text = "，".join(clauses)
    if rng.random() < 0.5 or text == name:
        text = rng.choice(FILLERS) + text
    return text


def template_items(n_items: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """``(list_type, category, name)`` of the region's template, all names distinct."""
    seen: set[str] = set()
    items: list[tuple[str, str, str]] = []
    categories = list(CATEGORIES)
    while len(items) < n_items:
        category = rng.choice(categories)
        name = rng.choice(VERBS) + rng.choice(CATEGORIES[category]) + rng.choice(ACTIONS)
        if rng.random() < 0.3:
            name += "，" + rng.choice(ACTIONS) + rng.choice(CATEGORIES[category])
        if name in seen:
            continue
        seen.add(name)
        list_type = rng.choices(LIST_TYPES, weights=(5, 4, 1))[0]
        items.append((list_type, category, name))
    return items


def make_item(list_type: str, category: str, name: str, rng: random.Random) -> Item:
    departments = [rng.choice(DEPARTMENTS)] if list_type != "basic" else []
    return Item(
        seq=0,
        category=category,
        name=name,
        superior_departments=departments if list_type == "cooperative" else [],
        receiving_departments=departments if list_type == "reclaimed" else [],
        town_duties=[f"{i}.{rng.choice(ACTIONS)}" for i in range(1, 3)] if list_type == "cooperative" else [],
    )


def make_town(
    index: int,
    template: list[tuple[str, str, str]],
    rng: random.Random,
    *,
    keep: float = 0.9,
    variant: float = 0.08,
    own: float = 0.1,
) -> Document:
    """One town: ``keep`` of the template, ``variant`` of those renamed, ``own`` extra items."""
    chosen: list[tuple[str, str, str]] = []
    for list_type, category, name in template:
        if rng.random() >= keep:
            continue
        if rng.random() < variant:
            name = replace_chars(name, rng) if rng.random() < 0.5 else reword(name, rng)
        chosen.append((list_type, category, name))
    for _ in range(round(len(template) * own)):
        # a town's own item: about one of its places, in the same phrase
        # parts as the template, so it competes with template items for
        # matches as real local items do
        _, category, name = template_items(1, rng)[0]
        place = "".join(rng.sample(PLACE_CHARS, 2)) + rng.choice(PLACE_KINDS)
        chosen.append((rng.choices(LIST_TYPES, weights=(5, 4, 1))[0], category, place + name))
    issuer = f"示范县第{index + 1:04d}镇"
    lists: list[DutyList] = []
    for list_type in LIST_TYPES:
        rows = [row for row in chosen if row[0] == list_type]
        rows.sort(key=lambda row: list(CATEGORIES).index(row[1]))  # lists are printed by category
        items = [make_item(*row, rng) for row in rows]
        for seq, item in enumerate(items, start=1):
            item.seq = seq
        lists.append(DutyList(list_type=list_type, title=issuer + LIST_NAMES[list_type], items=items))
    digest = hashlib.sha256(issuer.encode()).hexdigest()
    return Document(
        source=Source(path=f"synthetic/{issuer}.json", sha256=digest, format="text", pages=0),
        issuer=issuer,
        lists=lists,
    )


def generate_corpus(n_towns: int, n_items: int, seed: int = 1) -> tuple[Document, list[Document]]:
    """``(reference, towns)``: the template as a document and ``n_towns`` copies of it."""
    rng = random.Random(seed)
    template = template_items(n_items, rng)
    reference = make_town(-1, template, random.Random(seed), keep=1.0, variant=0.0, own=0.0)
    reference.issuer = "示范县模板"
    reference.source = reference.source.model_copy(update={"path": "synthetic/示范县模板.json"})
    return reference, [make_town(i, template, rng) for i in range(n_towns)]


def write_corpus(out: Path, documents: list[Document]) -> None:
    """``out/<stem>/document.json`` for each document and a ``manifest.json``."""
    out.mkdir(parents=True, exist_ok=True)
    entries = []
    for doc in documents:
        stem = doc.issuer
        (out / stem).mkdir(exist_ok=True)
        (out / stem / "document.json").write_text(doc.model_dump_json(indent=2), encoding="utf-8")
        # the fields of a `duty-lists run` manifest entry that readers use
        entries.append({"path": doc.source.path, "stem": stem, "sha256": doc.source.sha256, "status": "ok"})
    (out / "manifest.json").write_text(json.dumps({"inputs": entries}, ensure_ascii=False, indent=2), "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--towns", type=int, default=1000)
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    reference, towns = generate_corpus(args.towns, args.items, args.seed)
    write_corpus(args.out, [reference, *towns])
    print(f"wrote {len(towns)} towns and the reference to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
