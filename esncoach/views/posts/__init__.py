"""Practice posts: the workbench, editor, anchored feedback, revisions, prompts and post settings."""
