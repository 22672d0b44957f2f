"""A trained run in use: samples from its generator, and its export as a SavedModel."""
