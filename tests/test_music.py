"""Nottingham melodies: keys every 0.4 s, rests, cutting, unreadable files; and the pitch MSE."""
import numpy as np
import pretty_midi
import pytest

from seqgan_tf.data.datasets import DataError, fetch
from seqgan_tf.data.music import REST, key_tokens, melody_keys, read_melodies, token_keys
from seqgan_tf.evaluation import pitch_mse


def write_midi(path, notes):
    pm = pretty_midi.PrettyMIDI()
    inst = pretty_midi.Instrument(program=0)
    inst.notes = [pretty_midi.Note(velocity=90, pitch=p, start=s, end=e) for p, s, e in notes]
    pm.instruments.append(inst)
    pm.write(str(path))
    return path


def test_keys_every_step_highest_note_and_rests(tmp_path):
    # t = 0.0, 0.4, 0.8, 1.2, 1.6: C4 (60) alone, C4 + E4 (64) together, silence, A0 (21), C8 (108).
    path = write_midi(tmp_path / "a.mid", [(60, 0.0, 0.8), (64, 0.35, 0.7), (21, 1.1, 1.3), (108, 1.5, 1.7)])
    keys = melody_keys(pretty_midi.PrettyMIDI(str(path)))
    assert keys.tolist() == [40, 44, 0, 1, 88]
    assert key_tokens(keys) == ["40", "44", REST, "1", "88"]
    assert token_keys(["40", REST, "<eos>"]).tolist() == [40, 0, 0]


@pytest.mark.parametrize("step", [-1, 1])
def test_a_note_ending_on_a_step_gives_way_to_the_note_starting_there(tmp_path, step):
    # Legato lines, each note 0.4 s (176 ticks at pretty-midi's 220 ticks per beat and 120 bpm): at every
    # step the note that starts there sounds, not the one that ends there, falling or rising.
    pitches = [70 + step * i for i in range(10)]
    path = write_midi(tmp_path / "legato.mid", [(p, 0.4 * i, 0.4 * i + 0.4) for i, p in enumerate(pitches)])
    assert melody_keys(pretty_midi.PrettyMIDI(str(path))).tolist() == [p - 20 for p in pitches]


def test_read_melodies_cuts_sequences_and_skips_unreadable_files(tmp_path):
    write_midi(tmp_path / "t1.mid", [(60 + i % 5, 0.4 * i, 0.4 * i + 0.4) for i in range(10)])  # 10 steps
    write_midi(tmp_path / "t2.mid", [(70, 0.0, 1.6)])  # 4 steps
    (tmp_path / "broken.mid").write_bytes(b"MThd not really a midi file")
    with pytest.warns(UserWarning, match="broken.mid"):
        tunes, skipped = read_melodies(tmp_path, seq_len=4)
    assert [name for name, _ in tunes] == ["t1.mid", "t2.mid"]
    assert [len(seqs) for _, seqs in tunes] == [2, 1]  # 10 steps -> 2 sequences of 4, tail dropped
    assert tunes[1][1] == [["50", "50", "50", "50"]]
    assert len(skipped) == 1 and skipped[0].startswith("broken.mid")


def test_read_melodies_fails_when_nothing_is_left(tmp_path):
    (tmp_path / "x.mid").write_bytes(b"garbage")
    with pytest.warns(UserWarning), pytest.raises(DataError, match="none of the 1 MIDI files.*1 unreadable"):
        read_melodies(tmp_path, seq_len=4)
    with pytest.raises(DataError, match="no .mid files"):
        read_melodies(tmp_path / "empty_dir_that_does_not_exist", seq_len=4)


def test_pitch_mse_is_the_closest_reference_over_shared_note_positions():
    refs = np.array([[40, 40, 0, 40], [50, 52, 54, 56]])
    gen = np.array([[41, 40, 60, 43],   # vs ref0: positions 0,1,3 -> (1 + 0 + 9) / 3; vs ref1: much larger
                    [50, 52, 54, 56],   # exact copy of ref1 -> 0
                    [0, 0, 0, 0]])      # all rests: no shared note position -> left out
    assert abs(pitch_mse(gen, refs) - (10 / 3 + 0.0) / 2) < 1e-12
    assert pitch_mse(gen, refs, chunk=1) == pitch_mse(gen, refs)


def test_nottingham_fetch_says_it_is_not_available(tmp_path):
    with pytest.raises(DataError, match="no download source"):
        fetch("nottingham", tmp_path)
