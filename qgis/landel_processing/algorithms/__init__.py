"""landel's Processing algorithms, one per file."""
