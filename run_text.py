"""Real-data SeqGAN runs (poems, Obama speeches, Nottingham music, COCO captions): not implemented yet."""
import sys

if __name__ == "__main__":
    print("error: run_text.py is not implemented yet (tracked in the real-data issue); "
          "use run_oracle.py for the synthetic experiment", file=sys.stderr)
    sys.exit(2)
