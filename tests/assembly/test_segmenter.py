"""The shard-loaded tokenizer segments exactly as jieba with its whole dictionary does."""

from __future__ import annotations

import logging
from pathlib import Path

import jieba
import pytest
from duty_lists.schema.departments.vocabulary import user_words
from duty_lists.schema.text import segmenter

ROOT = Path(__file__).resolve().parents[2]
SHAHE = (ROOT / "raw/新疆生产建设兵团第一师阿拉尔市五团沙河镇履职事项清单.txt").read_text(encoding="utf-8")
TEXTS = [
    "师市市场监督管理局、师市市场监管局负责统计执法检查和统计违法违纪案件查处",
    "配合师市人力资源和社会保障局做好就业创业服务",
    "ABC 123 ＡＢＣ ① 𠀀 龘",  # no shard, full-width, supplementary plane
    "",
    SHAHE[:20000],
    SHAHE[20000:],
]


@pytest.fixture(scope="module")
def eager() -> dict[bool, jieba.Tokenizer]:
    jieba.setLogLevel(logging.WARNING)
    plain = jieba.Tokenizer()
    plain.initialize()
    departments = jieba.Tokenizer()
    departments.initialize()
    for word, freq, tag in user_words():
        departments.add_word(word, freq, tag)
    return {False: plain, True: departments}


@pytest.mark.parametrize("with_departments", [True, False])
def test_lazy_equals_eager(eager: dict[bool, jieba.Tokenizer], with_departments: bool) -> None:
    # a fresh tokenizer, texts in reverse order: which shards are loaded
    # when must not matter
    total, shards = segmenter._shards()
    words = user_words() if with_departments else []
    lazy = segmenter.ShardedTokenizer(total, shards, words)
    for text in reversed(TEXTS):
        assert lazy.lcut(text) == eager[with_departments].lcut(text, HMM=False), text[:30]


def test_department_words_are_words() -> None:
    """Guards the comparison above: the vocabulary really changes segmentation."""
    assert segmenter.segment("师市人社局") == ["师市", "人社", "局"]
    assert segmenter.segment("师市人社局", with_departments=False) == ["师", "市", "人", "社", "局"]


def test_only_the_texts_characters_are_loaded() -> None:
    total, shards = segmenter._shards()
    lazy = segmenter.ShardedTokenizer(total, shards, [])
    lazy.lcut("沙河镇")
    assert lazy._loaded == {"沙", "河", "镇"}
    assert all(word[0] in "沙河镇" for word in lazy._jieba.FREQ)


def test_a_corrupt_shard_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "shards"
    path.write_bytes(b"not marshal")
    monkeypatch.setattr(segmenter, "_shard_path", lambda: path)
    total, shards = segmenter._shards()
    assert total > 0 and "镇" in shards
    assert segmenter._shards()[1].keys() == shards.keys()  # read back from the rewritten file


def test_shards_live_in_the_users_private_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTY_LISTS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "shared"))
    (tmp_path / "shared").mkdir()
    total, shards = segmenter._shards()
    path = segmenter._shard_path()
    assert path is not None and path.parent == tmp_path / "cache" / "jieba" and path.is_file()
    assert path.parent.stat().st_mode & 0o777 == 0o700 and path.stat().st_mode & 0o077 == 0
    assert not list((tmp_path / "shared").iterdir()) and not list(path.parent.glob(".*.tmp"))
    assert segmenter._shards() == (total, shards)  # read back


def test_a_cache_folder_others_can_write_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DUTY_LISTS_CACHE", str(tmp_path))
    (tmp_path / "jieba").mkdir(mode=0o700)
    (tmp_path / "jieba").chmod(0o777)
    assert segmenter._shard_path() is None
    total, shards = segmenter._shards()  # built in memory, nothing read or written there
    assert total > 0 and "沙" in shards and not list((tmp_path / "jieba").iterdir())
