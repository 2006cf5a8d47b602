#!/usr/bin/env python3
"""Derive the golden dataset tests/golden/shahe.json from the raw Shahe text rendering.

This script is deliberately standalone: it imports NOTHING from the product
(parsers/, schema/, ingest/).  Only the standard library and jieba are used, so
the golden output is an independent implementation of the normalisation
contract described in tests/golden/README.md.

Usage (from the repository root):

    /tmp/venv/bin/python tests/golden/derive_shahe_golden.py            # writes shahe.json
    /tmp/venv/bin/python tests/golden/derive_shahe_golden.py --review   # also prints the review dump
    /tmp/venv/bin/python tests/golden/derive_shahe_golden.py --check    # verify shahe.json is up to date

Item-specific corrections live in OVERRIDES below, each with the reason the
general rule gets that item wrong.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import logging
import re
import sys
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
RAW = REPO / "raw" / "新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单.txt"
OUT = HERE / "shahe.json"

ISSUER = "新疆生产建设兵团第一师阿拉尔市五团沙河镇"
LIST_TYPES = {"基本履职事项清单": "basic", "配合履职事项清单": "cooperative", "收回履职事项清单": "reclaimed"}
EXPECTED_COUNTS = {"basic": 101, "cooperative": 86, "reclaimed": 80}

# --------------------------------------------------------------------------------------
# Character classes
# --------------------------------------------------------------------------------------


def is_cjk(ch: str) -> bool:
    """CJK ideographs and CJK / full-width punctuation (incl. curly quotes, ①-⑳, …, —, ·)."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK symbols & punctuation (、。《》…), kana, ideographs
        or 0xF900 <= o <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= o <= 0xFE4F  # CJK compatibility forms
        or 0xFF00 <= o <= 0xFFEF  # full-width forms （）：；，！？
        or 0x2018 <= o <= 0x201F  # ‘ ’ “ ”
        or 0x2460 <= o <= 0x2473  # ① … ⑳
        or ch in "…—·"
        or 0x20000 <= o <= 0x3FFFF  # CJK extension planes
    )


SENTENCE_END = "。；;！？!?"  # a gap after one of these is a real separator
COLONS = "：:"
# Step markers: 1. 1． 1、 （1） (1) ①…⑳ 一、 （一）
MARKER_RE = re.compile(
    r"(?:\d{1,2}[.．、](?!\d)"
    r"|[（(]\d{1,2}[）)]"
    r"|[①-⑳]"
    r"|[一二三四五六七八九十]{1,3}、"
    r"|（[一二三四五六七八九十]{1,3}）)"
)
CN_MARKER_RE = re.compile(r"(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）)")
# Labels: 工作方式： or a department heading (run of CJK, possibly 、-joined, ending in a
# department suffix, optional parenthetical alias, then a colon).
DEPT_SUFFIX = r"(?:局|部|委|会|院|队|中心|办|室|所|站|联|厅|处|政府)"
LABEL_RE = re.compile(r"(?:工作方式|[\u4e00-\u9fff、]*" + DEPT_SUFFIX + r"(?:（[\u4e00-\u9fff、]+）)?)[：:]")
# Punctuation that ends "the text since the last punctuation" for the heading rule.
# 、 is deliberately NOT in this set (see README: `二、地名命名、更名报批` is a heading).
HEADING_RESET = "。；;！？!?：:，,"

BLOCK_TAG_RE = re.compile(r"<\s*/?\s*(?:p|ol|ul|li|br|div)\b[^>]*>", re.I)
ANY_TAG_RE = re.compile(r"<[^>]*>")
HARD = "\x00"

# --------------------------------------------------------------------------------------
# Rule 1: HTML
# --------------------------------------------------------------------------------------


def html_segments(cell: str) -> list[str]:
    """Rule 1: block tags are hard breaks, other tags vanish, entities unescaped."""
    s = BLOCK_TAG_RE.sub(HARD, cell)
    s = ANY_TAG_RE.sub("", s)
    s = html.unescape(s)
    return s.split(HARD)


# --------------------------------------------------------------------------------------
# Rule 2: one-phrase fields
# --------------------------------------------------------------------------------------


def clean_phrase(text: str) -> str:
    """Rule 2: remove whitespace touching CJK, keep one space between Latin/digit tokens."""
    s = " ".join(html_segments(text))

    def gap(m: re.Match) -> str:
        before = s[m.start() - 1] if m.start() > 0 else ""
        after = s[m.end()] if m.end() < len(s) else ""
        if (before and is_cjk(before)) or (after and is_cjk(after)):
            return ""
        return " "

    return re.sub(r"\s+", gap, s).strip()


# --------------------------------------------------------------------------------------
# Rule 3: departments
# --------------------------------------------------------------------------------------


def departments(text: str) -> list[str]:
    out = []
    for seg in html_segments(text):
        for part in re.split(r"[、，,；;]", seg):
            p = clean_phrase(part).rstrip("：:").strip()
            if p:
                out.append(p)
    return out


# --------------------------------------------------------------------------------------
# Rule 4: steps
# --------------------------------------------------------------------------------------

GAP_LOG: list[dict] = []  # every soft-gap decision, for the review dump


def crosses_gap(left: str, right: str) -> str | None:
    """Return the jieba dictionary word spanning the join point of left+right, if any."""
    text = left + right
    pos = len(left)
    for word, start, end in jieba.tokenize(text, HMM=False):
        if start < pos < end:
            return word
    return None


def split_soft(seg: str, ctx: str) -> list[str]:
    """Decide every soft gap (whitespace run) inside one hard-break segment."""
    parts = re.split(r"(\s+)", seg)  # even indexes: text, odd: gaps
    pieces: list[str] = []
    cur = parts[0]
    for i in range(1, len(parts), 2):
        after_tok = parts[i + 1]  # text up to the next gap
        after = "".join(parts[i + 1 :]).lstrip()
        prev = cur[-1] if cur else ""
        nxt = after_tok[0] if after_tok else ""
        tail = re.split("[" + re.escape(HEADING_RESET) + "]", cur)[-1]
        if prev and prev in COLONS:
            decision = "real:colon+marker" if MARKER_RE.match(after) else "join:after-colon"
        elif prev and prev in SENTENCE_END:
            decision = "real:punct"
        elif MARKER_RE.match(after):
            decision = "real:marker"
        elif LABEL_RE.match(after):
            decision = "real:label"
        elif CN_MARKER_RE.match(tail):
            word = crosses_gap(tail, after_tok)
            decision = f"join:heading-but-jieba[{word}]" if word else "real:heading"
        elif (prev and is_cjk(prev)) or (nxt and is_cjk(nxt)):
            decision = "join:wrap"
        else:
            decision = "space:latin"
        GAP_LOG.append({"ctx": ctx, "left": cur[-14:], "right": after_tok[:14], "decision": decision})
        if decision.startswith("real"):
            pieces.append(cur)
            cur = after_tok
        elif decision.startswith("join"):
            cur += after_tok
        else:
            cur += " " + after_tok
    pieces.append(cur)
    return pieces


def split_inline_markers(piece: str) -> list[str]:
    """A step also starts at any step marker directly following 。；;！？!?："""
    cuts = [0]
    for i in range(1, len(piece)):
        if piece[i - 1] in SENTENCE_END + COLONS and MARKER_RE.match(piece, i):
            cuts.append(i)
    cuts.append(len(piece))
    return [piece[a:b] for a, b in itertools.pairwise(cuts)]


def finish_step(step: str) -> str:
    s = step.strip()
    while s and s[-1] in "；;，, \t":
        s = s[:-1].rstrip()
    return s


def steps(text: str, ctx: str = "") -> list[str]:
    out: list[str] = []
    for seg in html_segments(text):
        seg = seg.strip()
        if not seg:
            continue
        pieces: list[str] = []
        for p in split_soft(seg, ctx):
            pieces.extend(split_inline_markers(p))
        if not MARKER_RE.match(seg) and "；" in seg.rstrip("；; "):
            pieces = [q for p in pieces for q in p.split("；")]
        for p in pieces:
            s = finish_step(p)
            if s:
                out.append(s)
    return out


# --------------------------------------------------------------------------------------
# Rules 5 and 6
# --------------------------------------------------------------------------------------

RECLAIMED_RE = re.compile(r"承接部门[：:](?P<depts>.*?)工作方式[：:](?P<method>.*)$", re.S)
DISCONTINUED_RE = re.compile(r"不再开展|废止")


def reclaimed_cell(cell: str, ctx: str) -> tuple[list[str], list[str], bool]:
    m = RECLAIMED_RE.search(cell)
    if m:
        return departments(m.group("depts")), steps(m.group("method"), ctx), False
    if "承接部门" not in cell and DISCONTINUED_RE.search(cell):
        return [], steps(cell, ctx), True
    raise ValueError(f"unrecognised reclaimed cell {ctx}: {cell!r}")


def remark(cell: str, ctx: str) -> str | None:
    st = steps(cell, ctx)
    return "\n".join(st) if st else None


# --------------------------------------------------------------------------------------
# OVERRIDES: item-specific corrections where a general rule gets it wrong.
# Key: (list_type, seq, field).  Each entry has a "reason" and either
#   "value": the full replacement value, or
#   "fix":   a function rule_output -> corrected value (used when only one or two steps of a
#            long list are wrong; the helpers assert the exact strings they touch).
# apply_overrides() asserts every override still changes something, so an override that the
# rules have made redundant fails loudly instead of silently lingering.
# --------------------------------------------------------------------------------------


def split_step(step: str, head: str):
    """Fix: the rule output contains `step`; split it into `head` and the remainder."""

    def fix(derived: list[str]) -> list[str]:
        assert step in derived and step.startswith(head), (step, derived)
        i = derived.index(step)
        return [*derived[:i], head, step[len(head) :], *derived[i + 1 :]]

    return fix


def rejoin_steps(*pairs: tuple[str, str]):
    """Fix: each (numbered step, fragment) pair was split at an internal ；- glue it back."""

    def fix(derived: list[str]) -> list[str]:
        out = list(derived)
        for head, frag in pairs:
            i = out.index(head)
            assert out[i + 1] == frag, (head, out[i + 1])
            out[i : i + 2] = [head + "；" + frag]
        return out

    return fix


OVERRIDES: dict[tuple[str, int, str], dict] = {
    # 上级部门职责 ends with `…进行执法。 。`: a stray full stop printed on its own.
    # Rule 4 turns it into a step consisting of just "。" (not empty, so not dropped).
    ("cooperative", 7, "superior_duties"): {
        "reason": "stray lone '。' in the source cell becomes a bogus step; dropped",
        "value": [
            "1.对企业及团镇上报的报表数据进行数据核查",
            "2.对数据存在异常的企业按照执法检查程序进行执法。",
        ],
    },
    # <p>二、农机操作人员安全检查 团镇按照职责…</p>: heading rule applies, but jieba finds
    # the word 检查团 ("inspection team") across the gap, so the rule joins heading and body.
    # The parallel heading in superior_duties and 一、农机事故统计 both split.
    ("cooperative", 35, "town_duties"): {
        "reason": "jieba word 检查团 spuriously crosses the heading gap (检查|团镇); heading must split",
        "fix": split_step(
            "二、农机操作人员安全检查团镇按照职责对本行政区域或者管理区域内农机操作人员安全进行监督检查，"
            "协助师市农业农村局或者按照授权依法履行农机操作人员安全生产监督管理职责。",
            "二、农机操作人员安全检查",
        ),
    },
    # <p>一、旅游市场主体和业态培训 师市下发…</p>: jieba finds 培训师 ("trainer") across
    # the gap (培训|师市), so the heading rule joins heading and body.
    ("cooperative", 69, "superior_duties"): {
        "reason": "jieba word 培训师 spuriously crosses the heading gap (培训|师市); heading must split",
        "fix": split_step(
            "一、旅游市场主体和业态培训师市下发旅游市场主体和业态培训的通知。",
            "一、旅游市场主体和业态培训",
        ),
    },
    # 工作方式 starts with the unnumbered heading 人力资源服务许可履职流程：, so the segment has
    # "no step marker at its start" and the ；-split fires inside the numbered steps （二） and
    # （四）, tearing off their second clauses as fake unnumbered steps.
    ("reclaimed", 9, "working_method"): {
        "reason": "；-split (meant for unnumbered text) fires inside numbered steps （二）/（四） because the "
        "segment opens with an unnumbered heading; clauses re-joined",
        "fix": rejoin_steps(
            (
                "（二）受理，师市人力资源社会保障行政部门进行程序性审查，材料齐全且符合法定形式的，予以受理",
                "材料不齐全或者不符合法定形式的，当场或者5日内一次性告知申请人补正",
            ),
            (
                "（四）决定，师市人力资源社会保障行政部门自受理之日起20日内作出行政许可决定，20日内不能作出决定的，"
                "经本行政机关负责人批准，可以延长10日，并应当将延长期限的理由告知申请人。作出准予行政许可决定，"
                "向申请人颁发人力资源服务许可证",
                "作出不予行政许可决定的，说明理由，并告知申请人享有依法申请行政复议或者提起行政诉讼的权利",
            ),
        ),
    },
    # 工作方式 starts with the unnumbered heading 依法受理的, so the ；-split fires inside
    # numbered steps 2. and 6.  (Same text as reclaimed #46.)
    ("reclaimed", 37, "working_method"): {
        "reason": "；-split fires inside numbered steps 2./6. because the segment opens with the unnumbered "
        "heading 依法受理的; clauses re-joined",
        "fix": rejoin_steps(
            (
                "2.资料齐全制发受理通知书",
                "材料不齐全或不符合法定形式的，一次性告知申请人补正材料，申请人按照要求提交全部补正材料的，予以受理",
            ),
            ("6.决定同意的，批前公示，核发用地规划许可证，批后公示", "决定不同意的，制发不予许可决定书"),
        ),
    },
    ("reclaimed", 46, "working_method"): {
        "reason": "same as reclaimed #37 (identical 工作方式 text): ；-split inside numbered steps 2./6.",
        "fix": rejoin_steps(
            (
                "2.资料齐全制发受理通知书",
                "材料不齐全或不符合法定形式的，一次性告知申请人补正材料，申请人按照要求提交全部补正材料的，予以受理",
            ),
            ("6.决定同意的，批前公示，核发用地规划许可证，批后公示", "决定不同意的，制发不予许可决定书"),
        ),
    },
    # 工作方式 has three unnumbered sub-headings (林业有害生物监测 / 检疫 / 防治). 检疫 is
    # followed by `1.` so it splits; 监测 and 防治 are followed by plain text and no marker,
    # so the wrap-artefact rule glues heading onto body.
    ("reclaimed", 38, "working_method"): {
        "reason": "unnumbered sub-headings 林业有害生物监测/防治 are glued to their bodies by the wrap rule",
        "value": [
            "林业有害生物监测",
            "根据国家和兵团文件，师市设立国家级林业有害生物测报点1个，兵团级测报点2个，"
            "师市负责指导监督测报点完成林业有害生物监测工作，及时发布监测信息，制定防治预案。",
            "林业有害生物检疫",
            "1.负责师市林业有害生物检疫工作，开展产地检疫、现地核实、复检、植物检疫证书的核发",
            "2.查处违反植物检疫条例行政案件。",
            "林业有害生物防治",
            "指导团场开展林业和草原病虫害防治工作，提供技术服务指导咨询，协助开展病虫害鉴定与风险评估。",
        ],
    },
    # `2.建设单位申请环评 建设单位提交材料。…`: numbered heading (parallel to
    # `1.需办理环评…填写登记表项目 (1)…` and `3.师市生态环境局审批流程 (1)受理…`) followed by
    # unnumbered body; the heading rule covers only 一、/（一） markers, so the wrap rule
    # glues 环评|建设单位.
    ("reclaimed", 39, "working_method"): {
        "reason": "arabic-numbered heading 2.建设单位申请环评 glued to its body (heading rule is 一、/（一） only)",
        "fix": split_step(
            "2.建设单位申请环评建设单位提交材料。在政务平台上提交环境影响报告书（表）及相关材料，需保密的项目可通过现场递交。",
            "2.建设单位申请环评",
        ),
    },
}

# --------------------------------------------------------------------------------------
# Document parsing
# --------------------------------------------------------------------------------------


def new_item(seq: int, category: str, name: str) -> dict:
    return {
        "seq": seq,
        "category": category,
        "name": name,
        "remark": None,
        "superior_departments": [],
        "superior_duties": [],
        "town_duties": [],
        "receiving_departments": [],
        "working_method": [],
        "discontinued": False,
    }


def parse(text: str) -> dict:
    lists: list[dict] = []
    current: dict | None = None
    for lineno, line in enumerate(text.split("\n"), 1):
        if "\t" not in line:
            title = clean_phrase(line)
            for suffix, lt in LIST_TYPES.items():
                if title.endswith(suffix):
                    current = {"list_type": lt, "title": title, "items": []}
                    lists.append(current)
            continue
        cells = line.split("\t")
        if cells[0].strip() == "序号":  # Rule 7: repeated header
            continue
        assert current is not None, f"row before any title at line {lineno}"
        lt = current["list_type"]
        width = {"basic": 4, "cooperative": 7, "reclaimed": 5}[lt]
        assert len(cells) == width, (lineno, len(cells))
        seq = int(cells[0].strip())
        ctx = f"{lt}#{seq}"
        item = new_item(seq, clean_phrase(cells[1]), clean_phrase(cells[2]))
        if lt == "cooperative":
            item["superior_departments"] = departments(cells[3])
            item["superior_duties"] = steps(cells[4], ctx + ".superior_duties")
            item["town_duties"] = steps(cells[5], ctx + ".town_duties")
        elif lt == "reclaimed":
            rd, wm, disc = reclaimed_cell(cells[3], ctx + ".working_method")
            item["receiving_departments"], item["working_method"], item["discontinued"] = rd, wm, disc
        item["remark"] = remark(cells[-1], ctx + ".remark")
        current["items"].append(item)
    return {"issuer": ISSUER, "lists": lists}


def apply_overrides(doc: dict) -> None:
    index = {(lst["list_type"], it["seq"]): it for lst in doc["lists"] for it in lst["items"]}
    for key, ov in OVERRIDES.items():
        lt, seq, field = key
        item = index[(lt, seq)]
        derived = item[field]
        value = ov["fix"](derived) if "fix" in ov else ov["value"]
        assert value != derived, f"stale override {key}: rules already produce the override value"
        item[field] = value


# --------------------------------------------------------------------------------------
# Known checks
# --------------------------------------------------------------------------------------


def check(doc: dict) -> None:
    lists = {lst["list_type"]: lst for lst in doc["lists"]}
    assert [lst["list_type"] for lst in doc["lists"]] == ["basic", "cooperative", "reclaimed"]
    for lt, n in EXPECTED_COUNTS.items():
        items = lists[lt]["items"]
        assert len(items) == n, (lt, len(items))
        assert [it["seq"] for it in items] == list(range(1, n + 1)), lt
    coop3 = lists["cooperative"]["items"][2]
    assert len(coop3["superior_duties"]) == 9, coop3["superior_duties"]
    assert len(coop3["town_duties"]) == 6, coop3["town_duties"]
    rec1 = lists["reclaimed"]["items"][0]
    assert rec1["receiving_departments"] == ["师市农业农村局"], rec1
    assert len(rec1["working_method"]) == 3, rec1["working_method"]
    rec3 = lists["reclaimed"]["items"][2]
    assert rec3["discontinued"] is True and rec3["receiving_departments"] == [], rec3
    assert rec3["working_method"] == ["法条废止，此项工作已不再开展。"], rec3
    b15 = lists["basic"]["items"][14]["name"]
    assert "服務" in b15 and "管理工作" in b15 and " " not in b15, b15
    # General invariants.
    for lst in doc["lists"]:
        assert " " not in lst["title"] and lst["title"].startswith(ISSUER)
        for it in lst["items"]:
            for f in ("category", "name"):
                assert it[f] and not re.search(r"\s", it[f]), (lst["list_type"], it["seq"], f)
            for f in ("superior_departments", "receiving_departments"):
                for d in it[f]:
                    assert d and not re.search(r"[\s<>、，,；;：:]", d), (lst["list_type"], it["seq"], d)
            for f in ("superior_duties", "town_duties", "working_method"):
                for s in it[f]:
                    assert s and "<" not in s and s[-1] not in "；;，,", (lst["list_type"], it["seq"], s)
                    assert re.search(r"[\u4e00-\u9fffA-Za-z0-9]", s), ("punctuation-only step", it["seq"], s)
                    assert not re.search(r"\s", s), ("whitespace left in step", it["seq"], s)
            if lst["list_type"] != "cooperative":
                assert not (it["superior_departments"] or it["superior_duties"] or it["town_duties"])
            else:
                assert it["superior_departments"] and it["superior_duties"] and it["town_duties"], it["seq"]
            if lst["list_type"] != "reclaimed":
                assert not (it["receiving_departments"] or it["working_method"] or it["discontinued"])
            else:
                assert it["working_method"]
                assert bool(it["receiving_departments"]) != it["discontinued"], it["seq"]


def squash(text: str) -> str:
    """Source/output text with tags, whitespace and the separators steps may drop removed."""
    return re.sub(r"[\s；;，,]", "", ANY_TAG_RE.sub("", html.unescape(text)))


# Fields whose override deliberately drops printed characters (so the content check skips them).
CONTENT_CHECK_EXEMPT = {("cooperative", 7, "superior_duties")}  # the stray lone '。'


def content_check(doc: dict, raw_text: str) -> None:
    """No printed character is lost or invented: the steps of every cell, concatenated, equal the
    cell text once tags, whitespace and ；;，, (the only characters steps may drop) are removed."""
    cols = {"cooperative": {"superior_duties": 4, "town_duties": 5}, "reclaimed": {"working_method": 3}}
    index = {(lst["list_type"], it["seq"]): it for lst in doc["lists"] for it in lst["items"]}
    lt = None
    for line in raw_text.split("\n"):
        if "\t" not in line:
            t = clean_phrase(line)
            lt = next((x for suf, x in LIST_TYPES.items() if t.endswith(suf)), lt)
            continue
        c = line.split("\t")
        if c[0] == "序号":
            continue
        assert lt is not None, f"a row before any list title: {line!r}"
        it = index[(lt, int(c[0]))]
        assert squash(it["name"]) == squash(c[2]) and squash(it["category"]) == squash(c[1])
        for field, col in cols.get(lt, {}).items():
            if (lt, it["seq"], field) in CONTENT_CHECK_EXEMPT:
                continue
            src = c[col]
            if lt == "reclaimed" and "工作方式" in src:
                src = re.split(r"工作方式[：:]", src, maxsplit=1)[1]
            assert squash("".join(it[field])) == squash(src), (lt, it["seq"], field)
        if lt == "cooperative":
            assert squash("".join(it["superior_departments"])) == re.sub(r"[、：:]", "", squash(c[3])), it["seq"]


def render(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def review_dump(doc: dict, raw_text: str) -> None:
    """Print every item whose source had HTML or a CJK-adjacent space, plus all departments."""
    rows = {}
    lt = None
    for line in raw_text.split("\n"):
        if "\t" not in line:
            t = clean_phrase(line)
            for suffix, x in LIST_TYPES.items():
                if t.endswith(suffix):
                    lt = x
            continue
        c = line.split("\t")
        if c[0] != "序号":
            rows[(lt, int(c[0]))] = c
    print("=== GAP DECISIONS (non-trivial) ===")
    for g in GAP_LOG:
        if g["decision"] not in ("real:punct", "real:marker", "real:colon+marker"):
            print(f"{g['ctx']:<34} {g['decision']:<28} …{g['left']}␣{g['right']}…")
    for lst in doc["lists"]:
        print(f"\n##### {lst['list_type']}  {lst['title']}")
        for it in lst["items"]:
            src = rows[(lst["list_type"], it["seq"])]
            flagged = any("<" in c or re.search(r"\S\s+\S", c.strip()) for c in src[1:])
            if not flagged:
                continue
            print(f"\n--- {lst['list_type']} #{it['seq']} [{it['category']}] {it['name']}")
            for f in ("superior_departments", "receiving_departments"):
                if it[f]:
                    print(f"  {f}: {it[f]}")
            for f in ("superior_duties", "town_duties", "working_method"):
                if it[f]:
                    print(f"  {f}:")
                    for s in it[f]:
                        print(f"    | {s}")
            if it["discontinued"]:
                print("  discontinued: True")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--review", action="store_true", help="print the review dump")
    ap.add_argument("--check", action="store_true", help="fail if shahe.json differs from a fresh derivation")
    args = ap.parse_args()
    raw_text = RAW.read_text(encoding="utf-8")
    doc = parse(raw_text)
    apply_overrides(doc)
    check(doc)
    content_check(doc, raw_text)
    out = render(doc)
    if args.check:
        if OUT.read_text(encoding="utf-8") != out:
            print("shahe.json is out of date", file=sys.stderr)
            return 1
        print("shahe.json up to date")
    else:
        OUT.write_text(out, encoding="utf-8")
        counts = {lst["list_type"]: len(lst["items"]) for lst in doc["lists"]}
        print(f"wrote {OUT.relative_to(REPO)}: {counts}")
    if args.review:
        review_dump(doc, raw_text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
