import subprocess
import sys


def test_architecture_nlp_imports_neither_flask_nor_sqlalchemy():
    code = ("import sys, nlp; bad = [m for m in sys.modules if m.split('.')[0] in "
            "('flask', 'sqlalchemy', 'participatie')]; print(bad); sys.exit(bool(bad))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
