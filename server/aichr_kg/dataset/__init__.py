"""Read models of the served dataset that the pages use: descriptions, labels, the ontology, shapes, statistics."""
