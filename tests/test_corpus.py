"""Every dataset path on tiny corpora the tests write: registry layouts, custom files, splits, T, bad input."""
import dataclasses

import numpy as np
import pytest
from test_music import write_midi

from seqgan_tf.config import PAPER_FILTER_SIZES, make_config
from seqgan_tf.data.corpus import check_vocabulary, fit_config, load_corpus, windows
from seqgan_tf.data.datasets import REGISTRY, SPECIALS, DataError, Vocabulary, filter_table

WORDS = "the a dog cat sits runs on under red big".split()


def sentence(rng, lo=3, hi=9):
    return " ".join(rng.choice(WORDS, size=rng.randint(lo, hi)))


def make_data_root(root, corrupt_midi=True):
    """A data directory with the registry's layout and tiny corpora in it."""
    rng = np.random.RandomState(0)
    text = root / "text"
    text.mkdir(parents=True)
    chars = list("春风花月夜山水云天人，。")
    (text / "chinese_poems.txt").write_text(
        "".join(" ".join(rng.choice(chars, 24)) + " \n" for _ in range(40)), encoding="utf-8")
    (text / "obama_speeches.txt").write_text(
        "".join(f"{sentence(rng, 8, 30).capitalize()}, {sentence(rng)}.\n" for _ in range(30)), encoding="utf-8")
    (text / "coco_captions_train.txt").write_text("".join(sentence(rng) + "\n" for _ in range(40)))
    (text / "coco_captions_test.txt").write_text("".join(sentence(rng) + "\n" for _ in range(10)))
    midi = root / "music" / "nottingham_melody"
    midi.mkdir(parents=True)
    for k in range(10):  # 70 steps of 0.4 s each: two sequences of 32 a tune
        write_midi(midi / f"tune{k}.mid", [(60 + (i * (k + 1)) % 12, 0.4 * i, 0.4 * i + 0.4) for i in range(70)])
    if corrupt_midi:
        (midi / "broken.mid").write_bytes(b"MThd not really")
    return root


@pytest.fixture(scope="module")
def data_root(tmp_path_factory):
    return make_data_root(tmp_path_factory.mktemp("data"))


def config_for(**kw):
    return make_config("smoke", **kw)


@pytest.mark.filterwarnings("ignore:skipping unreadable MIDI")
@pytest.mark.parametrize("name", ["poems", "obama", "coco", "nottingham"])
def test_every_registry_dataset_loads(data_root, name):
    corpus = load_corpus(config_for(dataset=name), data_root)
    spec = REGISTRY[name]
    assert corpus.vocab.tokens[:3] == SPECIALS
    assert corpus.train.ndim == 2 and corpus.train.shape[1] == corpus.seq_len == corpus.test.shape[1]
    assert len(corpus.train) > 0 and len(corpus.test) > 0 and len(corpus.references) == len(corpus.test)
    assert corpus.train.max() < len(corpus.vocab)
    if spec.end_token:  # coco: variable length, <eos> then <pad>
        assert corpus.seq_len == max(len(s.split()) for s in (data_root / spec.train_file).read_text().splitlines()) + 1
        assert np.all((corpus.train == 1).sum(axis=1) == 1)
        for row in corpus.train:
            end = list(row).index(1)
            assert np.all(row[end + 1:] == 0) and np.all(row[:end] > 2)
    else:  # fixed length: no <eos>, no <pad>
        assert corpus.seq_len == spec.seq_len and corpus.train.min() > 2


def test_poems_are_24_characters_with_punctuation(data_root):
    corpus = load_corpus(config_for(dataset="poems"), data_root)
    assert corpus.seq_len == 24 and "，" in corpus.vocab.tokens
    assert len(corpus.train) + len(corpus.test) == 40 and len(corpus.test) == 4  # 10 % held out


def test_obama_is_cut_into_windows_of_32_tokens(data_root):
    corpus = load_corpus(config_for(dataset="obama"), data_root)
    assert corpus.seq_len == 32 and "," in corpus.vocab.tokens and "." in corpus.vocab.tokens  # punctuation split off
    assert windows([["a", "b"], ["c", "d", "e"]], 2) == [["a", "b"], ["c", "d"]]


def test_nottingham_splits_whole_tunes_and_counts_unreadable_files(data_root):
    with pytest.warns(UserWarning, match="broken.mid"):
        corpus = load_corpus(config_for(dataset="nottingham"), data_root)
    assert corpus.music and corpus.seq_len == 32
    assert (len(corpus.train), len(corpus.test)) == (18, 2)  # 9 tunes and 1 tune, two sequences each
    assert any("skipped 1 unreadable MIDI file(s) of 11" in n for n in corpus.notes)
    assert set(corpus.vocab.tokens[3:]) <= {str(k) for k in range(1, 89)} | {"rest"}


def test_no_readable_midi_file_is_an_error(tmp_path):
    (tmp_path / "music" / "nottingham_melody").mkdir(parents=True)
    (tmp_path / "music" / "nottingham_melody" / "x.mid").write_bytes(b"junk")
    with pytest.warns(UserWarning), pytest.raises(DataError, match="none of the 1 MIDI files"):
        load_corpus(config_for(dataset="nottingham"), tmp_path)


def write_lines(path, lines):
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_custom_corpus_t_split_tokenizers_and_vocabulary(tmp_path):
    rng = np.random.RandomState(1)
    lines = [sentence(rng) for _ in range(50)]
    train = write_lines(tmp_path / "train.txt", lines)
    corpus = load_corpus(config_for(dataset="custom", train_file=str(train)))
    assert corpus.seq_len == max(len(x.split()) for x in lines) + 1  # the longest line + <eos>
    assert (len(corpus.train), len(corpus.test)) == (45, 5)  # deterministic 10 % held out
    again = load_corpus(config_for(dataset="custom", train_file=str(train)))
    np.testing.assert_array_equal(corpus.test, again.test)
    assert corpus.spec.bleu_orders == (2, 3, 4)
    chars = load_corpus(config_for(dataset="custom", train_file=str(train), tokenizer="char"))
    assert set(chars.vocab.tokens[3:]) <= set("".join(WORDS))
    test = write_lines(tmp_path / "test.txt", ["the zebra sits on a dog"])
    given = load_corpus(config_for(dataset="custom", train_file=str(train), test_file=str(test)))
    assert len(given.train) == 50 and given.references == [["the", "zebra", "sits", "on", "a", "dog"]]
    assert "zebra" not in given.vocab.tokens  # built from the training split only
    assert given.vocab.decode(given.test[0]) == ["the", "<unk>", "sits", "on", "a", "dog"]


def test_vocabulary_is_sorted_by_frequency_then_token():
    vocab = Vocabulary.build([["b", "a", "c"], ["c", "b"], ["c"]])
    assert vocab.tokens == SPECIALS + ("c", "b", "a")


@pytest.mark.parametrize("mode, kept", [("truncate", 4), ("drop", 3)])
def test_long_lines_are_truncated_or_dropped_with_a_count(tmp_path, mode, kept):
    lines = ["a b", "a b c", "b c a", "c a b c a b c a b"]
    train = write_lines(tmp_path / "train.txt", lines)
    test = write_lines(tmp_path / "test.txt", ["a b c d e f", "a b c d"])
    corpus = load_corpus(config_for(dataset="custom", train_file=str(train), test_file=str(test), max_len=5,
                                    long_lines=mode))
    assert corpus.seq_len == 5 and len(corpus.train) == kept and len(corpus.test) == kept - 2
    assert f"1 training and 1 test line(s) longer than T = 5 {mode}" in "\n".join(corpus.notes)


@pytest.mark.parametrize("content, message", [
    (b"", "no sentences (the file is empty or all blank)"),
    (b"  \n\n \n", "no sentences (the file is empty or all blank)"),
    (b"good line\nbad \xff byte\n", "train.txt:2: not valid UTF-8"),
])
def test_bad_corpus_files(tmp_path, content, message):
    (tmp_path / "train.txt").write_bytes(content)
    with pytest.raises(DataError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_corpus(config_for(dataset="custom", train_file=str(tmp_path / "train.txt")))


def test_test_split_without_ngrams_of_the_bleu_order_is_an_error(tmp_path):
    train = write_lines(tmp_path / "train.txt", ["a b c d e"] * 20)
    test = write_lines(tmp_path / "test.txt", ["a b", "c"])
    with pytest.raises(DataError, match="test.txt: no test sentence has 4 tokens"):
        load_corpus(config_for(dataset="custom", train_file=str(train), test_file=str(test)))


@pytest.mark.parametrize("train_lines, max_len, message", [
    (["a b c d e"] * 20, 3, r"test.txt: no test sentence keeps 4 tokens when cut to T = 3 \(--max_len=3\), so BLEU-4 "
                            r"has no n-grams to match; expected --max_len >= 5"),
    (["a b c"] * 20, 0, r"test.txt: no test sentence keeps 4 tokens when cut to T = 4 \(the longest training line "
                        r"\+ <eos>\), .*expected a training line of 4 tokens or more"),
])
def test_a_cut_to_t_that_leaves_no_bleu_ngrams_names_its_cause(tmp_path, train_lines, max_len, message):
    train = write_lines(tmp_path / "train.txt", train_lines)
    test = write_lines(tmp_path / "test.txt", ["a b c d e f", "c"])
    with pytest.raises(DataError, match=message):
        load_corpus(config_for(dataset="custom", train_file=str(train), test_file=str(test), max_len=max_len))


def test_fit_config_sets_v_t_eos_filters_and_num_samples(data_root):
    coco = load_corpus(config_for(dataset="coco"), data_root)
    config = fit_config(make_config("paper", dataset="coco", batch_size=8), coco)
    assert ((config.vocab_size, config.seq_len, config.eos_token, config.start_token)
            == (len(coco.vocab), coco.seq_len, 1, 0))
    assert (config.dis_filter_sizes, config.dis_num_filters) == filter_table(coco.seq_len)
    assert config.num_samples == 40  # every training sequence, in whole batches
    kept = fit_config(make_config("paper", dataset="coco", batch_size=8, num_samples=16), coco, keep={"num_samples"})
    assert kept.num_samples == 16
    poems = fit_config(make_config("paper", dataset="poems", batch_size=8),
                       load_corpus(config_for(dataset="poems"), data_root))
    assert poems.eos_token == -1 and poems.dis_filter_sizes[:10] == PAPER_FILTER_SIZES[:10]
    with pytest.raises(DataError, match="fewer than one batch"):
        fit_config(make_config("paper", dataset="coco", batch_size=64), coco)


def test_a_workdir_vocabulary_that_does_not_match_the_data_is_an_error(tmp_path):
    Vocabulary(SPECIALS + ("a", "b")).save(tmp_path / "vocab.json")
    check_vocabulary(tmp_path, Vocabulary(SPECIALS + ("a", "b")))
    with pytest.raises(DataError, match=r"vocab.json: the run's vocabulary \(5 tokens\) does not match the data "
                                        r"\(5 tokens; first difference at id 3\)"):
        check_vocabulary(tmp_path, dataclasses.replace(Vocabulary(SPECIALS + ("b", "a"))))


def test_a_split_with_no_line_that_fits_names_the_file(tmp_path):
    train = write_lines(tmp_path / "train.txt", ["a b", "b c"])
    test = write_lines(tmp_path / "test.txt", ["a b c d e f"])
    with pytest.raises(DataError, match="test.txt: no sequence fits T = 3"):
        load_corpus(config_for(dataset="custom", train_file=str(train), test_file=str(test), long_lines="drop"))
