"""C with AgeRun's ownership conventions (docs/c.md): parsing, callee summaries, lowering to the
ownership IR, lints and the front-end adapter."""
