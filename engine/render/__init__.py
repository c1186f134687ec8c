"""Renderers: each reads finished results and writes one format; none evaluates anything."""
