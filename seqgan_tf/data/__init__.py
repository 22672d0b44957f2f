"""What a run trains on: the oracle and corpus tasks, corpora, the dataset registry, music."""
