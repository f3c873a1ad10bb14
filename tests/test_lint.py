"""ruff passes on the package, the tests and the snippets (the code-review file is flawed on purpose and excluded)."""

import subprocess
import sys

from tests.helpers import ROOT


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "handbook", "tests", "snippets", "bench"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
