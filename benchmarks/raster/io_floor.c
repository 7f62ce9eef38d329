/*
 * The I/O floor in C: read and decompress every block of band 1 through GDAL, nothing else.
 *
 * Same job as io_floor.py, without Python's per-call cost. With libdeflate a 256 x 256
 * Byte block of this case decodes in ~20 us, and a Python ReadBlock call (allocating and
 * copying a fresh 64 KiB bytes object) adds several us to that, enough to flatter every
 * tool's "ratio to the floor". This is what run_benchmark.sh reports as the floor.
 *
 * Each thread opens its own dataset (GDAL handles are not thread-safe) and decodes a
 * contiguous range of block rows into one reused buffer with GDALReadBlock, which goes
 * straight to the driver, bypassing the block cache.
 *
 * Build: cc -O2 -o io_floor io_floor.c $(gdal-config --cflags) $(gdal-config --libs) -lpthread
 * Usage: io_floor RASTER [THREADS]
 * Prints: cells=<n> seconds=<s> cells_per_s=<r> threads=<t>
 */
#include <cpl_conv.h>
#include <gdal.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct job
{
    const char* path;
    int first_row, last_row; /* block rows [first, last) */
    long long cells;
    int failed;
};

static void* decode_rows(void* arg)
{
    struct job* job = arg;
    GDALDatasetH ds = GDALOpen(job->path, GA_ReadOnly);
    if (!ds) {
        job->failed = 1;
        return NULL;
    }
    GDALRasterBandH band = GDALGetRasterBand(ds, 1);
    int bw, bh;
    GDALGetBlockSize(band, &bw, &bh);
    const int width = GDALGetRasterXSize(ds), height = GDALGetRasterYSize(ds);
    const int nbx = (width + bw - 1) / bw;
    void* buf = CPLMalloc((size_t)bw * bh * GDALGetDataTypeSizeBytes(GDALGetRasterDataType(band)));
    for (int by = job->first_row; by < job->last_row && !job->failed; ++by) {
        for (int bx = 0; bx < nbx; ++bx)
            if (GDALReadBlock(band, bx, by, buf) != CE_None) {
                job->failed = 1;
                break;
            }
        const int rows = height - by * bh < bh ? height - by * bh : bh;
        job->cells += (long long)rows * width;
    }
    CPLFree(buf);
    GDALClose(ds);
    return NULL;
}

int main(int argc, char** argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s RASTER [THREADS]\n", argv[0]);
        return 2;
    }
    const char* path = argv[1];
    int threads = argc == 3 ? atoi(argv[2]) : 1;
    if (threads < 1)
        threads = 1;

    GDALAllRegister();
    GDALDatasetH ds = GDALOpen(path, GA_ReadOnly);
    if (!ds)
        return 1;
    int bw, bh;
    GDALGetBlockSize(GDALGetRasterBand(ds, 1), &bw, &bh);
    const int nby = (GDALGetRasterYSize(ds) + bh - 1) / bh;
    GDALClose(ds);
    if (threads > nby)
        threads = nby;

    struct job* jobs = calloc((size_t)threads, sizeof *jobs);
    pthread_t* tids = calloc((size_t)threads, sizeof *tids);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int k = 0; k < threads; ++k) {
        jobs[k].path = path;
        jobs[k].first_row = (int)((long long)nby * k / threads);
        jobs[k].last_row = (int)((long long)nby * (k + 1) / threads);
        pthread_create(&tids[k], NULL, decode_rows, &jobs[k]);
    }
    long long cells = 0;
    int failed = 0;
    for (int k = 0; k < threads; ++k) {
        pthread_join(tids[k], NULL);
        cells += jobs[k].cells;
        failed |= jobs[k].failed;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (failed) {
        fprintf(stderr, "io_floor: reading %s failed\n", path);
        return 1;
    }
    const double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    printf("cells=%lld seconds=%.3f cells_per_s=%.0f threads=%d\n", cells, s, cells / s, threads);
    free(jobs);
    free(tids);
    return 0;
}
