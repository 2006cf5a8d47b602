"""Render the HTML review report of a sample document and screenshot it with headless Chromium.

The report is read by people, so the only real test of its layout is to look
at it: do the Chinese glyphs render, do findings come first with the page
crop beside them, do the tables stay inside the page?  By default this parses
the LibreOffice export of the Shahe lists in ``raw/`` (embedded fonts, real
findings, rows with boxes) and renders its report with page crops; ``--sample``
renders instead a small built Document (both severities, a stated count that
disagrees, text with markup characters) that needs no PDF.  It writes
``report.html`` and ``report.png`` into the given directory and prints their
paths.

Run ``python tools/screenshot_report.py OUTDIR``.  Needs Chromium and a CJK
font (Debian: ``apt-get install chromium fonts-noto-cjk``); exits 2 without
Chromium.  ``--fontconfig FILE`` hands Chromium (only) a fontconfig file, e.g.
one naming a private folder of fonts unpacked with ``dpkg -x``, so nothing is
installed system-wide.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Run as a script from anywhere: the project root holds the packages.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from duty_lists.ingest.report.html import render_html
from duty_lists.schema.records import Document, DutyList, Finding, Item, Source, SourceRef

ROOT = Path(__file__).resolve().parent.parent
#: Embedded fonts: its crops show the glyphs the parser read, whatever fonts this machine has.
DEFAULT_PDF = next(iter(sorted((ROOT / "raw").glob("*LibreOffice导出*.pdf"))), None)

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")


def _items(spec: list[tuple[str, int]], first_page: int, per_page: int = 6) -> list[Item]:
    """Items numbered from 1, ``n`` per category, spread over pages like a printed table."""
    items: list[Item] = []
    for category, n in spec:
        for _ in range(n):
            seq = len(items) + 1
            page = first_page + (seq - 1) // per_page
            items.append(
                Item(
                    seq=seq,
                    category=category,
                    name=f"{category}相关工作事项（第 {seq} 项）",
                    pages=[page],
                    provenance=[SourceRef(page=page, row=(seq - 1) % per_page + 1)],
                )
            )
    return items


def sample_document() -> Document:
    basic = DutyList(
        list_type="basic",
        title="沙河镇基本履职事项清单",
        items=_items([("党的建设", 17), ("经济发展", 9), ("民生服务", 12), ("平安法治", 8), ("生态环保", 4)], 2),
        stated_count=52,
        stated_category_counts={"党的建设": 17, "经济发展": 9, "民生服务": 14, "平安法治": 8, "生态环保": 4},
        start_page=2,
    )
    cooperative = DutyList(
        list_type="cooperative",
        title="沙河镇配合履职事项清单",
        items=_items([("经济发展", 21), ("民生服务", 34), ("平安法治", 15), ("自然资源和规划建设管理", 11), ("其他", 2)], 12),
        start_page=12,
    )
    reclaimed = DutyList(
        list_type="reclaimed",
        title="沙河镇上级部门收回事项清单",
        items=_items([("民生服务", 2), ("生态环保", 1)], 55),
        start_page=55,
    )
    # Real rule codes with messages in their templates' wording, so the rule table shows registry titles.
    findings = [
        Finding(
            code="numbering.gap",
            severity="error",
            list_type="basic",
            seq=13,
            page=4,
            message="基本履职事项清单序号 12 之后是 14，缺少 13",
            text="14 民生服务 做好城乡居民基本养老保险参保登记、缴费及待遇资格认证等工作",
        ),
        Finding(
            code="count.mismatch",
            severity="error",
            list_type="basic",
            page=2,
            message="基本履职事项清单声明 52 项，实际列出 50 项",
        ),
        Finding(
            code="count.mismatch",
            severity="error",
            list_type="basic",
            page=5,
            message="基本履职事项清单类别「民生服务」声明 14 项，实际列出 12 项",
            text="三、民生服务（14项）",
        ),
        Finding(
            code="text.garbled",
            severity="warning",
            list_type="cooperative",
            seq=40,
            page=19,
            message="配合履职事项清单第 40 项「履职事项名称」含无法识别的字符 �",
            text="配合做好<b>网格化</b>管理 & 服务工作 <script>alert(1)</script> �",
        ),
        Finding(
            code="category.unknown",
            severity="warning",
            list_type="cooperative",
            seq=71,
            page=27,
            message="事项类别「其他」不在类别表中",
            text="其他",
        ),
        Finding(
            code="text.traditional",
            severity="warning",
            list_type="cooperative",
            seq=72,
            page=27,
            message="配合履职事项清单第 72 项「上级部门职责」含繁体字 務（简体：务）",
            text=(
                "学习贯彻习近平新时代中国特色社会主义思想，宣传和执行党的路线、方针、政策，"
                "坚决落实习近平总书记关于新疆和兵团工作重要讲话重要指示批示精神，"
                "完整准确全面贯彻新时代党的治疆方略和党中央对兵团的定位要求，"
                "执行上级党组织及本级党组织决议，坚定拥护“两个确立”、坚决做到“两个维護”"
            ),
        ),
        Finding(
            code="field.empty",
            severity="error",
            list_type="reclaimed",
            seq=3,
            page=55,
            message="上级部门收回事项清单第 3 项的「承接部门」为空",
        ),
    ]
    return Document(
        source=Source(
            path="raw/新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单.pdf",
            sha256="9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8",
            format="pdf",
            pages=81,
        ),
        issuer="新疆生产建设兵团第一师阿拉尔市五团沙河镇",
        lists=[basic, cooperative, reclaimed],
        findings=findings,
    )


def find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def sample_html(pdf: Path | None) -> str:
    """The report of ``pdf`` with page crops, or of the built sample document without one."""
    if pdf is None:
        return render_html(sample_document())
    from duty_lists.ingest.pipeline import process_file

    return render_html(process_file(pdf), pdf)


def screenshot(
    chromium: str, html_path: Path, png_path: Path, width: int, height: int, fontconfig: Path | None = None
) -> None:
    # A throwaway profile, and every background service off: the shot must not
    # depend on (or write to) the user's browser profile or the network.
    with tempfile.TemporaryDirectory(prefix="report-shot-") as profile:
        cmd = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            f"--screenshot={png_path}",
            f"--window-size={width},{height}",
            html_path.resolve().as_uri(),
        ]
        env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig.resolve())) if fontconfig else None
        subprocess.run(cmd, check=True, capture_output=True, timeout=180, env=env)
    if not png_path.is_file():
        raise RuntimeError(f"chromium ran but wrote no screenshot at {png_path}")
    _shrink(png_path)


def _shrink(png_path: Path) -> None:
    """64 colours are plenty for text, rules and highlights: a README image a third the size."""
    from PIL import Image

    with Image.open(png_path) as image:
        small = image.convert("RGB").quantize(64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(png_path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="directory for report.html and report.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1150)
    parser.add_argument("--pdf", type=Path, default=DEFAULT_PDF, help="the PDF whose report is shot (default: raw/'s export)")
    parser.add_argument("--sample", action="store_true", help="shoot the built sample document instead of a PDF")
    parser.add_argument("--fontconfig", type=Path, help="a fontconfig file for Chromium only (private fonts)")
    args = parser.parse_args(argv)

    chromium = find_chromium()
    if chromium is None:
        print("screenshot_report: chromium not found; install it with: apt-get install chromium fonts-noto-cjk")
        return 2
    args.outdir.mkdir(parents=True, exist_ok=True)
    html_path = args.outdir / "report.html"
    png_path = args.outdir / "report.png"
    html_path.write_text(sample_html(None if args.sample else args.pdf), encoding="utf-8")
    try:
        screenshot(chromium, html_path, png_path, args.width, args.height, args.fontconfig)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, RuntimeError) as exc:
        stderr = getattr(exc, "stderr", None) or b""
        print(f"screenshot_report: {exc}\n{stderr.decode(errors='replace')[-2000:]}", file=sys.stderr)
        return 1
    print(html_path)
    print(png_path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
