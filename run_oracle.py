"""The synthetic oracle-LSTM experiment of the SeqGAN paper (Sec. 4, Table 1).

Kept short on purpose: flags -> Config -> seqgan_tf.training.trainer.train(config, workdir). Every
hyper-parameter is a flag named after the spec's term; defaults are the authors' code.

  python run_oracle.py --preset=smoke --workdir=runs/smoke
  python run_oracle.py --workdir=runs/paper            # the full schedule of the paper
  python run_oracle.py --preset=cpu --method=mle --seeds=1,2,3 --workdir=runs/cpu/mle   # a baseline, 3 seeds
Re-running the same command with the same --workdir resumes from the last checkpoint.
"""
import sys

from seqgan_tf.commands.oracle import main

if __name__ == "__main__":
    sys.exit(main())
