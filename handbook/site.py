"""Files the interviewer site serves that do not come from docs/: the notebooks."""

# Notebooks live in snippets/notebooks/ and appear at notebooks/<name>/ on the site. Each is a jupytext percent .py
# (the file you edit) and, beside it, the .ipynb with its executed outputs that `make notebooks` writes from it and
# the site renders (handbook/notebooks.py). Listed here by their .ipynb.
NOTEBOOK_DIR = "snippets"
NOTEBOOKS = ["notebooks/drift_detection.ipynb", "notebooks/ab_test_sizing.ipynb"]
