"""The gap assessment engine: pure functions over the dataset's frames."""
