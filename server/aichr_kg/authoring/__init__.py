"""Helping contributors write data the shapes accept: what a class must carry, and a Turtle skeleton of it."""
