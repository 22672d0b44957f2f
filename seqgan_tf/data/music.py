"""Nottingham melodies as token sequences (paper Sec. 5): the melody's pitch every 0.4 s on 88 piano keys.

Key k = MIDI pitch - 20 (A0 = 21 -> 1, C8 = 108 -> 88); a step where no note sounds is the token
"rest"; where several notes sound, the highest is the melody. Tokens are strings ("1".."88", "rest")
so that the vocabulary of `datasets.py` serves music as it serves text. Read with pretty-midi.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from seqgan_tf.data.datasets import DataError

STEP_SECONDS = 0.4
LOWEST_PITCH, KEYS = 21, 88
REST = "rest"


def melody_keys(midi, step: float = STEP_SECONDS) -> np.ndarray:
    """Piano key (1..88, 0 = rest) sounding at t = 0, step, 2 step, ... < the end. -> (steps,) int."""
    notes = [n for inst in midi.instruments if not inst.is_drum for n in inst.notes]
    times = np.arange(0.0, midi.get_end_time(), step)  # (S,)
    if not notes:
        return np.zeros(len(times), dtype=np.int64)
    start, end, pitch = (np.array([getattr(n, a) for n in notes]) for a in ("start", "end", "pitch"))
    sounding = (times[:, None] >= start) & (times[:, None] < end)  # (S, notes)
    top = np.where(sounding, pitch, -1).max(axis=1)  # (S,) highest sounding pitch, -1 = none
    keys = np.clip(top - LOWEST_PITCH + 1, 1, KEYS)
    return np.where(top >= 0, keys, 0)


def key_tokens(keys) -> list[str]:
    return [str(int(k)) if k else REST for k in keys]


def token_keys(tokens) -> np.ndarray:
    """The inverse of key_tokens; any non-key token (rest, <eos>, <unk>) -> 0."""
    return np.array([int(t) if t.isdigit() else 0 for t in tokens], dtype=np.int64)


def read_melodies(directory: str | Path, seq_len: int,
                  step: float = STEP_SECONDS) -> tuple[list[tuple[str, list[list[str]]]], list[str]]:
    """Every *.mid of `directory` (name order) cut into sequences of seq_len tokens (a shorter tail is
    dropped). Returns ([(file name, sequences)], skipped) where skipped lists 'name: reason' of files
    that could not be read (each also a warning). DataError when none is left.
    """
    import pretty_midi

    files = sorted(Path(directory).glob("*.mid"))
    if not files:
        raise DataError(f"{directory}: no .mid files")
    tunes, skipped = [], []
    for path in files:
        try:
            tokens = key_tokens(melody_keys(pretty_midi.PrettyMIDI(str(path)), step))
        except Exception as e:  # pretty-midi/mido raise many types for corrupt files
            skipped.append(f"{path.name}: {type(e).__name__}: {e}")
            warnings.warn(f"skipping unreadable MIDI file {path}: {e}", stacklevel=2)
            continue
        tunes.append((path.name, [tokens[i:i + seq_len] for i in range(0, len(tokens) - seq_len + 1, seq_len)]))
    if not any(seqs for _, seqs in tunes):
        raise DataError(f"{directory}: none of the {len(files)} MIDI files gave a sequence of {seq_len} steps "
                        f"({len(skipped)} unreadable)")
    return tunes, skipped
