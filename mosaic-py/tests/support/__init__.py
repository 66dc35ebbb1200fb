"""What the tests start for real: Mosaic servers, a tracker, seeders, and
the small helpers around them."""
