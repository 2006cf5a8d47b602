"""One jieba tokenizer for the whole process, its dictionary loaded by first character.

jieba's prefix dictionary has ~500,000 entries; unmarshalling all of them
costs ~0.6 s at every start, in the serial part of a batch, while a document
only ever looks up entries that begin with one of its own characters (a
Shahe-sized list uses ~1,200 distinct characters: 59 % of the entries).  So
the dictionary is kept as one marshalled shard per first character, built
once per user from jieba's own dictionary (:func:`_shards`) in the user's
cache folder (``~/.cache/duty-lists/jieba`` or ``$DUTY_LISTS_CACHE/jieba``,
never the shared temp folder: unmarshalling a file someone else put at a
predictable name is not safe), and a shard
is loaded into the tokenizer's plain ``FREQ`` dict the first time a text
containing that character is segmented.  jieba's lookups (``get_DAG``,
``calc``) only ever ask for substrings starting at some character of the
text, so the result is exactly what the eagerly loaded dictionary gives
(``tests/assembly/test_segmenter.py`` holds them equal).

Every user (wrap decisions, department names, matching) shares this one
instance.  It is a private ``jieba.Tokenizer`` — the global ``jieba`` is left
alone — with the department vocabulary of ``schema/data`` added, so that a
department name is one word wherever it is segmented.  Item matching (diff,
compare) asks for jieba's plain dictionary instead: a second instance, built
only in those commands.  HMM is off everywhere: unknown characters stay
single and segmentation depends on the dictionary alone, which keeps results
reproducible.
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from duty_lists.parsers.cache_dir import private_folder

_build_lock = threading.Lock()
#: Bump when the shard file's layout changes.
SHARD_FORMAT = 1


class ShardedTokenizer:
    """A jieba tokenizer whose dictionary is filled shard by shard as text arrives.

    Only :meth:`lcut` is offered: every entry point must pass through
    :meth:`ensure` before jieba looks anything up.
    """

    def __init__(self, total: float, shards: dict[str, bytes], words: list[tuple[str, int | None, str | None]]) -> None:
        import jieba

        self._shards = shards
        self._lock = threading.Lock()
        self._loaded: set[str] = set()
        self._jieba = jieba.Tokenizer()
        self._jieba.FREQ = {}
        self._jieba.total = total
        self._jieba.initialized = True  # the dictionary arrives through ensure(), not initialize()
        for word, freq, tag in words:
            # add_word without a frequency asks the dictionary for one
            # (suggest_freq cuts the word), so the word's shards come first.
            self.ensure(word)
            self._jieba.add_word(word, freq, tag)

    def ensure(self, text: str) -> None:
        """Load the shards of every character of ``text`` not loaded yet."""
        missing = set(text) - self._loaded
        if not missing:
            return
        with self._lock:
            freq = self._jieba.FREQ
            for char in sorted(missing - self._loaded):
                blob = self._shards.get(char)
                if blob is not None:
                    # No user word is overwritten: add_word loads the shards
                    # of its word's characters first, so a user word's
                    # first-character shard is never loaded after it.
                    freq.update(marshal.loads(blob))
                self._loaded.add(char)

    def lcut(self, text: str, HMM: bool = False) -> list[str]:
        self.ensure(text)
        return self._jieba.lcut(text, HMM=HMM)


def _shard_path() -> Path | None:
    """The shard file for the installed jieba dictionary, in the user's private cache
    folder; ``None`` when there is no such folder (then the shards live in memory only)."""
    import jieba

    folder = private_folder("jieba")
    if folder is None:
        return None
    source = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    stat = source.stat()
    key = hashlib.sha256(f"{SHARD_FORMAT}|{jieba.__version__}|{source}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    return folder / f"{key}.shards"


def _shards() -> tuple[float, dict[str, bytes]]:
    """jieba's prefix dictionary as ``(total, {first character: marshalled entries})``.

    Built from a fully initialised jieba tokenizer the first time (a second
    or two) and kept in the user's cache folder; written atomically (a
    private temporary file renamed into place), so concurrent workers at
    worst both build it and a reader never sees half a file.
    """
    path = _shard_path()
    if path is not None:
        try:
            total, shards = marshal.loads(path.read_bytes())
            return total, shards
        except (OSError, EOFError, ValueError, TypeError):
            pass
    import jieba

    # From the dictionary text, not Tokenizer.initialize(): that would read and
    # write jieba's own cache at a fixed name in the shared temp folder.
    reader = jieba.Tokenizer()
    freq, total = reader.gen_pfdict(reader.get_dict_file())
    grouped: dict[str, dict[str, int]] = {}
    for word, count in freq.items():
        grouped.setdefault(word[0], {})[word] = count
    shards = {char: marshal.dumps(entries) for char, entries in grouped.items()}
    if path is not None:
        _write_atomically(path, marshal.dumps((total, shards)))
    return total, shards


def _write_atomically(path: Path, data: bytes) -> None:
    """``data`` into ``path`` through a temporary file (mode 0600) renamed into place;
    an unwritable folder costs a rebuild next time, nothing else."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)


@lru_cache(maxsize=2)
def _build(with_departments: bool) -> ShardedTokenizer:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    total, shards = _shards()
    words: list[tuple[str, int | None, str | None]] = []
    if with_departments:
        from duty_lists.schema.departments.vocabulary import user_words

        words = user_words()
    return ShardedTokenizer(total, shards, words)


def tokenizer(with_departments: bool = True) -> Any:
    """The shared tokenizer; ``with_departments=False`` gives jieba's plain
    dictionary, for item matching, whose threshold was measured with it.

    The first build is not thread-safe in jieba (a Dask worker runs tasks in
    threads), hence the lock around it.
    """
    with _build_lock:
        return _build(with_departments)


def segment(text: str, with_departments: bool = True) -> list[str]:
    """jieba tokens of ``text``, dictionary only (HMM off)."""
    return tokenizer(with_departments).lcut(text, HMM=False) if text else []
