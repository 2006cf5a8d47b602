"""One jieba tokenizer for the whole process.

jieba's dictionary costs ~0.7 s and ~60 MB to load, so every user (wrap
decisions, department names, matching) shares this one instance, loaded on
first use only.  It is a private ``jieba.Tokenizer`` — the global ``jieba``
is left alone — with the department vocabulary of ``schema/data`` added, so
that a department name is one word wherever it is segmented.  Item matching
(diff, compare) asks for jieba's plain dictionary instead: a second instance,
built only in those commands.  HMM is off
everywhere: unknown characters stay single and segmentation depends on the
dictionary alone, which keeps results reproducible.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

_lock = threading.Lock()


@lru_cache(maxsize=2)
def _build(with_departments: bool) -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    if with_departments:
        from .departments import user_words

        for word, freq, tag in user_words():
            tokenizer.add_word(word, freq, tag)
    return tokenizer


def tokenizer(with_departments: bool = True) -> Any:
    """The shared tokenizer; ``with_departments=False`` gives jieba's plain
    dictionary, for item matching, whose threshold was measured with it.

    jieba's lazy initialisation is not thread-safe (a Dask worker runs tasks
    in threads), hence the lock around the first build.
    """
    with _lock:
        return _build(with_departments)


def segment(text: str, with_departments: bool = True) -> list[str]:
    """jieba tokens of ``text``, dictionary only (HMM off)."""
    return tokenizer(with_departments).lcut(text, HMM=False) if text else []
