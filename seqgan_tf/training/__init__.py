"""Algorithm 1: the trainer, its losses, optimizers, distribution, checkpoints and stopping."""
