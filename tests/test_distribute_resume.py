"""tf.distribute end to end: a mirrored run stopped in the adversarial phase resumes exactly.

(A file of its own so that pytest-xdist's --dist loadfile can run it beside the two-worker test.)
"""
from conftest import HELPERS, run_helper


def test_mirrored_run_resumes_exactly(tmp_path):
    result = run_helper(HELPERS / "replicas.py", "resume", 2, tmp_path)
    assert result["replicas"] == 2
    assert result["stopped"] != result["straight"]  # stopped inside the adversarial phase
    assert result["resumed"] == result["straight"]
    assert result["weights"] == 0.0
