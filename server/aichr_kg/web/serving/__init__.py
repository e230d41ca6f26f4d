"""The serving layer, apart from HTTP: the build being served (swapped whole on a reload, each request
pinned to one), where builds come from, and the values and answers kept per build, made ahead or on first use."""
