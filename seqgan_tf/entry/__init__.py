"""The console scripts' mains (`seqgan-oracle`, `seqgan-text`); run_oracle.py and run_text.py call them."""
