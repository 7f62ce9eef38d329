// Draining flats, in parallel: the method of Barnes, Lehman & Mulla (2014), "An efficient
// assignment of drainage direction over flat surfaces in raster digital elevation models",
// Computers & Geosciences 62, 128-135, doi:10.1016/j.cageo.2013.01.009, in three
// breadth-first passes over each flat:
// 1. label each flat (8-connected unresolved cells; neighbouring unresolved cells always have
//    one elevation, or the higher one would have a lower neighbour) and collect its high edges
//    (cells beside higher terrain) and its drain cells (cells beside a cell of the same
//    elevation that already drains: the flat's low edge);
// 2. away from higher terrain: distance a from the high edges, turned around per flat into
//    h - a (h: the flat's largest distance), high next to the rim, 0 far from it;
// 3. towards lower terrain: distance t from the low edge, combined as 2t + (h - a).
// Between neighbours in a flat both distances change by at most 1, so every cell has a
// neighbour with a combined value at least 1 lower (the one a step closer to the low edge):
// following the lowest neighbour never cycles and ends at the low edge.
//
// In parallel: the labelling runs in bands of rows, each flat's pieces in neighbouring bands
// joined afterwards (union-find over the band-local labels, the smallest label naming the
// flat), and the two distance passes run flat by flat: a flat's passes read and write its own
// cells only. Breadth-first distances do not depend on the order of the seeds, so the result
// is the same for any thread count.
#include "flats.h"

#include "landel/analysis/hydrology/hydrology.h"
#include "landel/core/error.h"
#include "landel/core/union_find.h"
#include "landel/parallel/for_each_index.h"

#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <limits>
#include <string>

namespace landel::analysis::hydrology::detail {

namespace {

using FlatId = std::uint32_t;
/// A cell index in the lists of edge cells, which are the drainer's largest: 32 bits.
using EdgeCell = std::uint32_t;

/// Rows of about this many cells are a band of the labelling and a block of the last pass.
constexpr std::size_t cells_per_band = 1 << 16;

/// Breadth-first distances stay far below this on any real DEM; the guard keeps 2t + h
/// within int32.
constexpr std::int32_t max_distance = 1 << 29;

/// What the labelling of one band of rows finds.
struct Band
{
    std::size_t row0, row1;
    FlatId flats = 0; ///< band-local labels 1..flats
    std::vector<EdgeCell> high_edges, drain_cells;
};

/// Per flat, its cells of one kind (high edges or drain cells), grouped by a counting sort.
struct SeedsByFlat
{
    std::vector<std::uint32_t> first; ///< per flat id: where its cells start in cells
    std::vector<EdgeCell> cells;
};

class FlatDrainer
{
public:
    FlatDrainer(const Raster<float>& filled, std::vector<std::uint8_t>& dir, std::size_t band_rows)
      : m_band_rows(band_rows != 0 ? band_rows
                                   : std::max<std::size_t>(cells_per_band / filled.cols(), 1))
      , m_rows(filled.rows())
      , m_cols(filled.cols())
      , m_z(filled.values())
      , m_mask(filled.mask())
      , m_dir(dir)
    {
    }

    void run(const Progress& progress)
    {
        const auto report = [&](double fraction) {
            report_progress(progress, fraction, "flow directions: flats");
        };
        const std::size_t band_rows = m_band_rows;
        std::vector<Band> bands;
        for (std::size_t r = 0; r < m_rows; r += band_rows)
            bands.push_back({ r, std::min(m_rows, r + band_rows), 0, {}, {} });

        // 1. The flats.
        m_label.assign(m_rows * m_cols, 0);
        parallel::for_each_index(bands.size(), [&](std::size_t b) { label_band(bands[b]); });
        const std::vector<FlatId> offset = band_offsets(bands);
        std::vector<FlatId> flat_of = join_bands(bands, offset);
        parallel::for_each_index(bands.size(), [&](std::size_t b) {
            for (std::size_t i = bands[b].row0 * m_cols; i < bands[b].row1 * m_cols; ++i)
                if (m_label[i] != 0)
                    m_label[i] = flat_of[m_label[i] + offset[b]];
        });
        std::vector<FlatId> flats;
        for (FlatId id = 1; id < flat_of.size(); ++id)
            if (flat_of[id] == id)
                flats.push_back(id);
        flat_of = {};
        const SeedsByFlat high = seeds_by_flat(bands, &Band::high_edges, offset.back());
        const SeedsByFlat low = seeds_by_flat(bands, &Band::drain_cells, offset.back());
        report(0.4);

        // 2.-3. The distances, flat by flat.
        m_gradient.assign(m_rows * m_cols, 0);
        tbb::enumerable_thread_specific<std::vector<std::size_t>> rings;
        parallel::for_each_index(
          flats.size(), [&](std::size_t k) { drain_flat(flats[k], high, low, rings.local()); }, 16);
        report(0.8);

        // Reads labels and gradients only, and writes only its own cells: rows in parallel.
        const std::size_t blocks = (m_rows + band_rows - 1) / band_rows;
        parallel::for_each_index(blocks, [&](std::size_t b) {
            const std::size_t row1 = std::min(m_rows, (b + 1) * band_rows);
            for (std::size_t r = b * band_rows; r < row1; ++r)
                for (std::size_t c = 0; c < m_cols; ++c)
                    if (m_label[r * m_cols + c] != 0)
                        m_dir[r * m_cols + c] = flat_direction(r, c);
        });
        report(1.0);
    }

private:
    static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();

    bool valid(std::size_t i) const { return m_mask.empty() || m_mask[i] != 0; }

    /// Neighbour @p d of (r, c), or npos when it lies off the grid.
    std::size_t neighbour(std::size_t r, std::size_t c, int d) const
    {
        const std::size_t nr = r + direction_row_offset[d]; // -1 wraps: caught below
        const std::size_t nc = c + direction_col_offset[d];
        return nr < m_rows && nc < m_cols ? nr * m_cols + nc : npos;
    }

    /// Step 1 in one band: band-local labels for the flats' pieces in it, depth first.
    void label_band(Band& band)
    {
        std::vector<std::size_t> stack;
        for (std::size_t start = band.row0 * m_cols; start < band.row1 * m_cols; ++start) {
            if (m_dir[start] != unresolved || m_label[start] != 0)
                continue;
            if (band.flats == std::numeric_limits<FlatId>::max())
                throw Error("flow directions: more than 2^32 flats");
            m_label[start] = ++band.flats;
            stack.push_back(start);
            while (!stack.empty()) {
                const std::size_t i = stack.back();
                stack.pop_back();
                visit_flat_cell(i, band, stack);
            }
        }
    }

    void visit_flat_cell(std::size_t i, Band& band, std::vector<std::size_t>& stack)
    {
        const std::size_t r = i / m_cols, c = i % m_cols;
        const float z = m_z[i];
        bool high_edge = false, drain = false;
        for (int d = 0; d < 8; ++d) {
            const std::size_t j = neighbour(r, c, d);
            if (j == npos || !valid(j))
                continue; // cannot happen: such a cell would be an outlet
            if (m_z[j] > z) {
                high_edge = true;
            } else if (m_dir[j] != unresolved) {
                drain = true; // no lower neighbour, so m_z[j] == z
            } else if (j >= band.row0 * m_cols && j < band.row1 * m_cols && m_label[j] == 0) {
                // (the band first: other bands' labels are being written meanwhile)
                m_label[j] = m_label[i];
                stack.push_back(j);
            }
        }
        if (high_edge)
            band.high_edges.push_back(EdgeCell(i));
        if (drain)
            band.drain_cells.push_back(EdgeCell(i));
    }

    /// Per band, the number added to its local labels to make them unique; the last entry is
    /// one past the largest label.
    static std::vector<FlatId> band_offsets(const std::vector<Band>& bands)
    {
        std::vector<FlatId> offset(bands.size() + 1, 0);
        for (std::size_t b = 0; b < bands.size(); ++b) {
            if (offset[b] > std::numeric_limits<FlatId>::max() - 1 - bands[b].flats)
                throw Error("flow directions: more than 2^32 flats");
            offset[b + 1] = offset[b] + bands[b].flats;
        }
        offset.back() += 1;
        return offset;
    }

    /// Joins the pieces of a flat that cross from one band into the next: per label (made
    /// unique by @p offset), the smallest label of its flat.
    std::vector<FlatId> join_bands(const std::vector<Band>& bands,
                                   const std::vector<FlatId>& offset) const
    {
        SmallestRootSets<FlatId> flats(offset.back());
        for (std::size_t b = 0; b + 1 < bands.size(); ++b) {
            const std::size_t r = bands[b].row1 - 1;
            for (std::size_t c = 0; c < m_cols; ++c) {
                const std::size_t i = r * m_cols + c;
                if (m_label[i] == 0)
                    continue;
                for (int d : { 1, 2, 3 }) { // south-east, south, south-west
                    const std::size_t j = neighbour(r, c, d);
                    if (j == npos || m_label[j] == 0)
                        continue;
                    flats.join(m_label[i] + offset[b], m_label[j] + offset[b + 1]);
                }
            }
        }
        return std::move(flats).roots();
    }

    /// The cells of @p which (high edges or drain cells) of every band, grouped by flat; each
    /// band's list is released once placed, so the cells are not held twice.
    SeedsByFlat seeds_by_flat(std::vector<Band>& bands,
                              std::vector<EdgeCell> Band::*which,
                              FlatId labels) const
    {
        SeedsByFlat out;
        // A counting sort: first[l] counts the cells of flats up to l, then, placing each cell
        // in front of those already placed, comes down to where flat l starts.
        out.first.assign(std::size_t(labels) + 1, 0);
        for (const Band& band : bands)
            for (EdgeCell i : band.*which)
                ++out.first[m_label[i]];
        for (std::size_t k = 1; k < out.first.size(); ++k) {
            if (out.first[k - 1] > std::numeric_limits<std::uint32_t>::max() - out.first[k])
                throw Error("flow directions: more than 2^32 cells on the edges of flats");
            out.first[k] += out.first[k - 1];
        }
        out.cells.resize(out.first.back());
        for (Band& band : bands) {
            for (EdgeCell i : band.*which)
                out.cells[--out.first[m_label[i]]] = i;
            band.*which = {};
        }
        return out;
    }

    /// Steps 2 and 3 for one flat. m_gradient holds -a after step 2 (0: not reached from a
    /// high edge), then 2t + (h - a) after step 3; cells step 3 never reaches (a flat with no
    /// way out, on a DEM that was not filled) keep a value <= 0.
    void drain_flat(FlatId flat,
                    const SeedsByFlat& high,
                    const SeedsByFlat& low,
                    std::vector<std::size_t>& ring)
    {
        std::int32_t height = 0;
        ring.assign(high.cells.begin() + std::ptrdiff_t(high.first[flat]),
                    high.cells.begin() + std::ptrdiff_t(high.first[flat + 1]));
        breadth_first(
          flat,
          ring,
          [&](std::size_t j) { return m_gradient[j] == 0; },
          [&](std::size_t i, std::int32_t a) {
              m_gradient[i] = -a;
              height = std::max(height, a);
          });
        ring.assign(low.cells.begin() + std::ptrdiff_t(low.first[flat]),
                    low.cells.begin() + std::ptrdiff_t(low.first[flat + 1]));
        breadth_first(
          flat,
          ring,
          [&](std::size_t j) { return m_gradient[j] <= 0; },
          [&](std::size_t i, std::int32_t t) {
              const std::int32_t a = -m_gradient[i];
              m_gradient[i] = 2 * t + (a > 0 ? height - a : 0);
          });
    }

    /// Breadth-first from @p seeds through the cells of @p flat: visit(cell, distance) marks
    /// the seeds at distance 1, then every cell for which is_new(cell) holds, one distance
    /// further per ring.
    template<class IsNew, class Visit>
    void breadth_first(FlatId flat,
                       std::vector<std::size_t>& seeds,
                       IsNew&& is_new,
                       Visit&& visit) const
    {
        std::vector<std::size_t> next;
        std::int32_t distance = 1;
        for (std::size_t i : seeds)
            visit(i, distance);
        while (!seeds.empty()) {
            if (++distance > max_distance)
                throw Error("flow directions: a flat is too long to drain");
            for (std::size_t i : seeds) {
                const std::size_t r = i / m_cols, c = i % m_cols;
                for (int d = 0; d < 8; ++d) {
                    const std::size_t j = neighbour(r, c, d);
                    if (j == npos || m_label[j] != flat || !is_new(j))
                        continue;
                    visit(j, distance);
                    next.push_back(j);
                }
            }
            seeds.swap(next);
            next.clear();
        }
    }

    /// The direction of flat cell (@p r, @p c): towards its neighbour in the flat with the
    /// lowest positive combined gradient, or the low edge itself; kOutlet for a flat with no
    /// way out (the DEM was not filled).
    std::uint8_t flat_direction(std::size_t r, std::size_t c) const
    {
        const std::size_t i = r * m_cols + c;
        if (m_gradient[i] <= 0)
            return kOutlet;
        std::int32_t lowest = m_gradient[i];
        int best = -1;
        for (int d = 0; d < 8; ++d) {
            const std::size_t j = neighbour(r, c, d);
            if (j == npos || !valid(j) || m_z[j] != m_z[i])
                continue;
            // A cell of the same elevation outside the flats is the low edge.
            const std::int32_t g = m_label[j] == 0 ? 0 : m_gradient[j];
            if (m_label[j] == 0 || (g > 0 && g < lowest)) {
                lowest = g;
                best = d;
                if (g == 0)
                    break;
            }
        }
        return std::uint8_t(best); // best >= 0: see the comment at the top
    }

    std::size_t m_band_rows, m_rows, m_cols;
    const std::vector<float>& m_z;
    const std::vector<std::uint8_t>& m_mask;
    std::vector<std::uint8_t>& m_dir;
    std::vector<FlatId> m_label;          ///< per cell: its flat, 0 = not part of a flat
    std::vector<std::int32_t> m_gradient; ///< per cell: see drain_flat()
};

} // namespace

bool drain_flats(const Raster<float>& filled,
                 std::vector<std::uint8_t>& dir,
                 const Progress& progress,
                 std::size_t band_rows)
{
    if (std::find(dir.begin(), dir.end(), unresolved) == dir.end())
        return false;
    if (dir.size() > std::numeric_limits<EdgeCell>::max())
        throw Error("flow directions: flats of a DEM of more than 2^32 cells cannot be drained "
                    "in memory");
    FlatDrainer(filled, dir, band_rows).run(progress);
    return true;
}

} // namespace landel::analysis::hydrology::detail
