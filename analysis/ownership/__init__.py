"""Language-agnostic ownership IR, dataflow and checkers. Knows no source language."""
