#!/usr/bin/python3
"""The I/O floor: read and decompress every block of a raster through GDAL, nothing else.

No measurement can read a compressed raster faster than GDAL decodes it, so this is the
yardstick for the other tools' cells/s. Each thread opens its own dataset handle (GDAL
handles are not thread-safe) and reads a contiguous range of block rows, block by block
with band.ReadBlock. GDAL's Python bindings release the GIL inside the read, so Python
threads do decode in parallel.

The block cache is kept small and every block is read once, so each read is a real
decompression; the file itself is usually in the OS page cache (it was just written), so
this measures decoding rather than disk speed. Run it twice if in doubt.

--mode rows reads one whole row of blocks per call (band.ReadRaster) instead: the same
decoding with 1/157 of the Python calls, to check that per-block call overhead is small.

Usage: /usr/bin/python3 io_floor.py RASTER [--threads N] [--mode blocks|rows]
Prints one line: cells, seconds, cells/s (and, with --json, a JSON object instead).
"""

import argparse
import json
import sys
import threading
import time

from osgeo import gdal

gdal.UseExceptions()


def read_rows(path, first, last, mode, out, slot):
    """Decodes block rows [first, last) of band 1; stores the cell count in out[slot]."""
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    bw, bh = band.GetBlockSize()
    nbx = (ds.RasterXSize + bw - 1) // bw
    cells = 0
    for by in range(first, last):
        rows = min(bh, ds.RasterYSize - by * bh)
        if mode == "rows":
            band.ReadRaster(0, by * bh, ds.RasterXSize, rows)
        else:
            for bx in range(nbx):
                band.ReadBlock(bx, by)
        cells += rows * ds.RasterXSize
    out[slot] = cells


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("raster")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--mode", choices=["blocks", "rows"], default="blocks")
    ap.add_argument("--json", action="store_true", help="print a JSON object")
    args = ap.parse_args(argv)

    # Enough cache for each thread's block row in flight, not enough to keep the raster.
    gdal.SetCacheMax(64 * 1024 * 1024 * max(1, args.threads))
    ds = gdal.Open(args.raster)
    _, bh = ds.GetRasterBand(1).GetBlockSize()
    nby = (ds.RasterYSize + bh - 1) // bh
    ds = None

    n = max(1, min(args.threads, nby))
    bounds = [nby * k // n for k in range(n + 1)]
    counts = [0] * n
    start = time.perf_counter()
    workers = [threading.Thread(target=read_rows,
                                args=(args.raster, bounds[k], bounds[k + 1], args.mode,
                                      counts, k))
               for k in range(n)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    seconds = time.perf_counter() - start
    cells = sum(counts)
    result = dict(raster=args.raster, threads=n, mode=args.mode, cells=cells,
                  seconds=round(seconds, 3), cells_per_s=cells / seconds)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"io floor ({args.mode}, {n} thread{'s' if n > 1 else ''}): {cells} cells "
              f"in {seconds:.2f} s = {cells / seconds / 1e6:.1f} Mcells/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
