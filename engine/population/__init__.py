"""Screening a population: batch inputs and outputs, scale-out, and the population report."""
