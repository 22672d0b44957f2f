"""SeqGAN on real data (paper Sec. 5): Chinese poems, Obama speeches, Nottingham melodies, COCO captions,
or any text file of yours.

Kept short on purpose: flags -> Config -> corpus -> seqgan_tf.training.trainer.train(config, workdir, task).
The schedule and model flags are run_oracle.py's; V, T and the discriminator's filter table follow
from the data.

  python run_text.py --dataset=poems --preset=smoke --data_dir=../shared/data --workdir=runs/poems-smoke
  python run_text.py --dataset=coco --workdir=runs/coco                 # the paper's schedule
  python run_text.py --dataset=custom --train_file=my.txt --tokenizer=word --max_len=40
Re-running the same command with the same --workdir resumes from the last checkpoint.
"""
import sys

from seqgan_tf.commands.text import main

if __name__ == "__main__":
    sys.exit(main())
