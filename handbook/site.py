"""Files the interviewer site serves that do not come from docs/: the notebooks."""

# Notebooks (jupytext percent format) live in snippets/notebooks/ and appear at notebooks/<name>/ on the site.
NOTEBOOK_DIR = "snippets"
NOTEBOOKS = ["notebooks/drift_detection.py", "notebooks/ab_test_sizing.py"]
