; Every list and map that spans lines can be folded.
[
  (list)
  (map)
] @fold
