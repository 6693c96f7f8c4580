"""Use cases shared by the window and the command line; they return plain values."""
