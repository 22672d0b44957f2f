"""The networks: the one LSTM (generator, rollout, oracle) and the CNN + highway discriminator."""
