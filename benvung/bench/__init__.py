"""`benvung bench`: a seeded national-size data set, loaded into a fresh database, and the
figures that say whether benvung answers from live data fast enough (docs/performance.md)."""
