"""The console commands: absl flags from the Config, one-line errors, one main per command."""
