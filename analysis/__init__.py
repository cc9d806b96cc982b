"""Pure analysis core: front-ends, semantics, ownership IR and checkers. Speaks no protocol."""
