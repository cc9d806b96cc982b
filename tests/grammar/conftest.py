import sys
from pathlib import Path

# The grammar tests import their helpers (corpus_runner, ...) as plain modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))
