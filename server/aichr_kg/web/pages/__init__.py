"""The linked-data pages: Cool-URI dereferencing, resource and class pages, the ontology, VoID, search."""
