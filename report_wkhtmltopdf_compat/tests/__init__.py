from . import test_bidi_runs
