"""Corpora: reading, splitting, vocabulary, encoding, filter tables, and fetch over local HTTP."""
import hashlib
import http.server
import threading

import numpy as np
import pytest

from seqgan_tf.commands.fetch import main
from seqgan_tf.config import PAPER_FILTER_SIZES, PAPER_NUM_FILTERS
from seqgan_tf.data.datasets import (
    DataError,
    Source,
    Vocabulary,
    encode_corpus,
    fetch,
    filter_table,
    held_out_split,
    read_lines,
    tokenize,
)


def test_read_lines_skips_blank_lines_and_names_bad_bytes(tmp_path):
    p = tmp_path / "c.txt"
    p.write_bytes("a b\n\n  \nc d\r\n".encode())
    assert read_lines(p) == ["a b", "c d"]
    p.write_bytes(b"fine\nalso fine\nbad \xff byte\n")
    with pytest.raises(DataError, match=r"c.txt:3: not valid UTF-8"):
        read_lines(p)
    p.write_bytes(b"\n \n")
    with pytest.raises(DataError, match="empty or all blank"):
        read_lines(p)


def test_tokenizers():
    assert tokenize("a  cat sat", "word") == ["a", "cat", "sat"]
    assert tokenize("床前 明月", "char") == ["床", "前", "明", "月"]
    assert tokenize("Yes, we can't -- self-made. (2008)", "punct") == [
        "Yes", ",", "we", "can't", "--", "self-made", ".", "(", "2008", ")"]
    with pytest.raises(DataError, match="--tokenizer=bpe"):
        tokenize("x", "bpe")


def test_held_out_split_is_deterministic_and_disjoint():
    lines = [f"line {i}" for i in range(50)]
    train, test = held_out_split(lines)
    assert (train, test) == held_out_split(lines)
    assert len(test) == 5 and set(train) | set(test) == set(lines) and not set(train) & set(test)
    with pytest.raises(DataError):
        held_out_split(["only one"])


def test_held_out_lines_are_drawn_from_the_whole_file():
    # A corpus in some order (by date, by author) still gets a test split from all of it, not its tail.
    lines = [f"line {i}" for i in range(200)]
    _, test = held_out_split(lines)
    where = sorted(lines.index(x) for x in test)
    assert len(where) == 20 and where[0] < 100 <= where[-1] and where != list(range(180, 200))


def test_vocabulary_order_encode_decode_and_roundtrip(tmp_path):
    vocab = Vocabulary.build([["b", "a", "b"], ["c", "a", "b"]])
    assert vocab.tokens == ("<pad>", "<eos>", "<unk>", "b", "a", "c")  # frequency, then token
    assert vocab.encode(["a", "zzz"]) == [4, 2]
    assert vocab.decode([3, 4, 1, 5, 5]) == ["b", "a"]  # stops at <eos>
    assert vocab.decode([3, 0, 4]) == ["b", "a"]  # padding dropped
    vocab.save(tmp_path / "vocab.json")
    assert Vocabulary.load(tmp_path / "vocab.json") == vocab
    (tmp_path / "bad.json").write_text('{"tokens": ["x"]}')
    with pytest.raises(DataError, match="not a seqgan_tf vocabulary"):
        Vocabulary.load(tmp_path / "bad.json")
    (tmp_path / "bad.json").write_text('{"tokens": ["<pad>", "<eos>", "<unk>", 7]}')
    with pytest.raises(DataError, match="not a seqgan_tf vocabulary"):
        Vocabulary.load(tmp_path / "bad.json")
    for text in ('["<pad>"]', "{", '{"tokens": 3}'):  # JSON but no object, not JSON, tokens not a list
        (tmp_path / "bad.json").write_text(text)
        with pytest.raises(DataError, match="bad.json: unreadable vocabulary"):
            Vocabulary.load(tmp_path / "bad.json")


def test_encode_corpus_ends_with_eos_then_pads_and_counts_long_lines():
    vocab = Vocabulary.build([["a", "b", "c", "d"]])
    rows, cut = encode_corpus([["a"], ["a", "b", "c", "d"]], vocab, seq_len=4)
    ia, ib, ic = vocab.encode(["a", "b", "c"])
    np.testing.assert_array_equal(rows, [[ia, 1, 0, 0], [ia, ib, ic, 1]])
    assert cut == 1
    rows, dropped = encode_corpus([["a"], ["a", "b", "c", "d"]], vocab, seq_len=4, long_lines="drop")
    assert rows.shape == (1, 4) and dropped == 1
    rows, cut = encode_corpus([["a", "b", "c", "d"], ["b"]], vocab, seq_len=4, end_token=False)  # fixed length
    np.testing.assert_array_equal(rows, [vocab.encode(["a", "b", "c", "d"]), [ib, 0, 0, 0]])
    assert cut == 0
    with pytest.raises(DataError, match="no sequence fits"):
        encode_corpus([["a", "b", "c", "d"]], vocab, seq_len=3, long_lines="drop")


def test_filter_table_rule_reproduces_the_paper_tables():
    assert filter_table(20) == (PAPER_FILTER_SIZES, PAPER_NUM_FILTERS)
    sizes, counts = filter_table(32)
    assert sizes == tuple(range(1, 11)) + (16, 24, 32) and counts[-3:] == (160, 160, 160)
    assert filter_table(6) == ((1, 2, 3, 4, 5, 6), (100, 200, 200, 200, 200, 100))


class Handler(http.server.BaseHTTPRequestHandler):
    files: dict = {}

    def do_GET(self):  # noqa: N802
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        if self.path.startswith("/cut"):
            self.send_response(200)
            self.send_header("Content-Length", str(len(body) * 2))  # promises more than it sends
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def registry(base, files, *, sha=None, drop_blank=False):
    from seqgan_tf.data.datasets import DatasetSpec
    data = b"".join(Handler.files[f] for f in files)
    if drop_blank:
        data = b"".join(ln for ln in data.splitlines(keepends=True) if ln.strip())
    source = Source(tuple(base + f for f in files), sha or hashlib.sha256(data).hexdigest(), drop_blank)
    return {"tiny": DatasetSpec("tiny", "text/tiny.txt", sources=(("text/tiny.txt", source),))}


def test_fetch_downloads_checks_and_writes_atomically(server, tmp_path):
    Handler.files = {"/a.txt": b"one two\n\n", "/b.txt": b"three\n"}
    reg = registry(server, ["/a.txt", "/b.txt"], drop_blank=True)
    (message,) = fetch("tiny", tmp_path, reg)
    assert "downloaded" in message and "sha256 ok" in message
    assert (tmp_path / "text" / "tiny.txt").read_bytes() == b"one two\nthree\n"
    assert "already present" in fetch("tiny", tmp_path, reg)[0]
    assert [p.name for p in (tmp_path / "text").iterdir()] == ["tiny.txt"]  # no temp files left


def test_fetch_checksum_mismatch_writes_nothing(server, tmp_path):
    Handler.files = {"/a.txt": b"tampered\n"}
    with pytest.raises(DataError, match="sha256 mismatch.*nothing written"):
        fetch("tiny", tmp_path, registry(server, ["/a.txt"], sha="0" * 64))
    assert not (tmp_path / "text").exists()


def test_fetch_interrupted_download_writes_nothing(server, tmp_path):
    Handler.files = {"/cut.txt": b"half of the file\n"}
    with pytest.raises(DataError, match="interrupted|download failed"):
        fetch("tiny", tmp_path, registry(server, ["/cut.txt"]))
    assert not (tmp_path / "text").exists()


def test_fetch_command_line_errors(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("SEQGAN_DATA_DIR", raising=False)
    assert main(["fetch", "poems"]) == 2
    assert "--data_dir" in capsys.readouterr().err
    assert main(["fetch", "nope", f"--data_dir={tmp_path}"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: unknown dataset 'nope'") and "\n" not in err
