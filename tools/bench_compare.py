"""Time ``duty-lists compare`` on a synthetic corpus: ``bench_compare(n_towns, n_items)``.

    python tools/bench_compare.py --towns 1000 --items 250

The target: 1,000 towns × 250 items in under a minute on one core.  Corpus
generation (:mod:`gen_corpus`) is timed apart from the comparison; the
comparison's time includes jieba's start-up and every item's features, as a
real run pays them too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tools"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from duty_lists.ingest.analysis import matching  # noqa: E402
from duty_lists.ingest.analysis.compare import compare_towns  # noqa: E402
from gen_corpus import generate_corpus  # noqa: E402


def bench_compare(n_towns: int = 1000, n_items: int = 250, seed: int = 1) -> dict[str, float | int]:
    """Generate a corpus, compare it without and with the reference; seconds and sizes."""
    start = time.perf_counter()
    reference, towns = generate_corpus(n_towns, n_items, seed)
    generated = time.perf_counter()
    # a cold feature cache, as in a fresh process: texts repeat across towns,
    # and the cache is part of what makes the comparison fast
    matching.features.cache_clear()
    cpu = time.process_time()
    result = compare_towns(towns)
    grouped, grouped_cpu = time.perf_counter(), time.process_time()
    matching.features.cache_clear()
    with_reference = compare_towns(towns, reference)
    referenced, referenced_cpu = time.perf_counter(), time.process_time()
    covered = sum(len(c.covered) for c in with_reference.coverage)
    expected = len(with_reference.reference_items) * n_towns
    return {
        "n_towns": n_towns,
        "n_items": n_items,
        "total_items": sum(len(lst.items) for doc in towns for lst in doc.lists),
        "groups": len(result.groups),
        "shared_groups": len(result.shared()),
        "generate_s": round(generated - start, 2),
        "compare_s": round(grouped - generated, 2),
        "compare_with_reference_s": round(referenced - grouped, 2),
        # CPU seconds of this process: the wall-clock figures above grow on
        # a machine shared with other jobs, these do not
        "compare_cpu_s": round(grouped_cpu - cpu, 2),
        "compare_with_reference_cpu_s": round(referenced_cpu - grouped_cpu, 2),
        "reference_coverage": round(covered / expected, 4) if expected else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--towns", type=int, default=1000)
    parser.add_argument("--items", type=int, default=250)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    figures = bench_compare(args.towns, args.items, args.seed)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
