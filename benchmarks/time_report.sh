# Sourced by the benchmark scripts: figures from a `/usr/bin/time -v -o FILE` report.

# Wall-clock seconds, 2 decimals; the report says "Elapsed (wall clock) time (h:mm:ss or
# m:ss): 1:02.03".
wall_seconds() { awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
                 for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.2f", s}' "$1"; }

# Peak resident memory in MiB (the report gives KiB).
peak_mib() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$1"; }
