"""Facts: what one trial's rules need to know about one patient, each with its provenance."""
