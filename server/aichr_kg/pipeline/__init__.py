"""The build, in the order data flows: load Turtle, validate with SHACL, infer, write a release."""
