"""The X07 front-end: both source forms, the module structure, signatures and lowering to the ownership IR."""
