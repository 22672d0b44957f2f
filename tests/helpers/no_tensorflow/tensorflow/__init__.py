"""A `tensorflow` that fails on import: on PYTHONPATH, it shows that bad input is reported before TF starts."""
raise ImportError("tensorflow was imported before the input was checked (tests/helpers/no_tensorflow)")
