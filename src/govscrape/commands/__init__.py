"""Thin CLI commands: parse arguments, call a library function, print, return an exit status."""
