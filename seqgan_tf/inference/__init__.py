"""A trained run in use: samples from its generator (also under a temperature sweep: frontier), and its
export as a SavedModel."""
