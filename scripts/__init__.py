"""`make bench` and its helpers: the synthetic data's measurements, run as scripts, not tests."""
