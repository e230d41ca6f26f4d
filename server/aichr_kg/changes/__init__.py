"""What a change to the Turtle does to the graph: revisions read from git, compared as facts, described in words."""
