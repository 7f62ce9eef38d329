/// @file label_polygons.cpp
/// Raster to polygons by crack following: the boundary of a label's cells is traced along the
/// cell edges ("cracks") with the label's cells on the right, corner to corner, the classic
/// contour following of Rosenfeld & Kak (Digital Picture Processing, 2nd ed., 1982, ch. 11)
/// on the lattice of cell corners, as GDAL's Polygonize also does in its own way.
///
/// Where a label's cells meet at a corner only (a pinch), the trace turns so as to keep them
/// apart (4-connectivity), and a ring that then passes a pinch twice is cut there into two
/// simple loops: so each loop is simple, every shell bounds one group of side-joined cells and
/// every hole one group of other cells, which is what valid OGC geometry asks. A loop's sign
/// (shoelace) tells a shell from a hole; a hole belongs to the innermost shell around the cell
/// beside it.
///
/// In parallel: the starts of the rings (the first cell of each run of cells whose top edge is
/// a boundary) are found in bands of rows, grouped per label by a stable counting sort, and
/// the labels are traced independently. A label marks only its own cells' top edges as traced,
/// so no two tasks write the same byte.

#include "landel/analysis/delineation/label_polygons.h"

#include "landel/core/error.h"
#include "landel/parallel/for_each_index.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

namespace landel::analysis {

namespace {

/// Directions on the lattice of cell corners, rows counted down: a right turn is +1.
constexpr int East = 0;
constexpr std::int64_t kStepRow[4] = { 0, 1, 0, -1 };
constexpr std::int64_t kStepCol[4] = { 1, 0, -1, 0 };
/// The cell ahead and to the right of a corner, heading in each direction (row, column offsets
/// from the corner); the cell ahead and to the left is the one to the right of direction - 1.
constexpr std::int64_t kRightRow[4] = { 0, 0, -1, -1 };
constexpr std::int64_t kRightCol[4] = { 0, -1, -1, 0 };

struct Corner
{
    std::int64_t row = 0, col = 0;
    bool operator==(const Corner& o) const { return row == o.row && col == o.col; }
};

/// A closed loop of corners (first not repeated) in the order traced, and twice its area,
/// positive for a shell: traced with the label on the right, a shell runs clockwise in map
/// coordinates and a hole counter-clockwise.
struct Loop
{
    std::vector<Corner> corners;
    std::int64_t area2 = 0;
    std::int64_t row_min = 0, row_max = 0, col_min = 0, col_max = 0;
};

class LabelGrid
{
public:
    explicit LabelGrid(const Raster<std::int32_t>& labels)
      : m_rows(std::int64_t(labels.rows()))
      , m_cols(std::int64_t(labels.cols()))
      , m_stride(m_cols)
      , m_values(labels.values().data())
      , m_mask(labels.mask().empty() ? nullptr : labels.mask().data())
    {
    }

    /// A tile with the ring of cells around it, (rows + 2) × (cols + 2) values.
    LabelGrid(std::size_t rows, std::size_t cols, const std::vector<std::int32_t>& with_ring)
      : m_rows(std::int64_t(rows))
      , m_cols(std::int64_t(cols))
      , m_stride(m_cols + 2)
      , m_values(with_ring.data() + m_stride + 1)
      , m_ring(true)
    {
    }

    std::int64_t rows() const { return m_rows; }
    std::int64_t cols() const { return m_cols; }

    /// The label of a cell; 0 off the grid (or the tile) or outside the mask.
    std::int32_t at(std::int64_t row, std::int64_t col) const
    {
        if (row < 0 || col < 0 || row >= m_rows || col >= m_cols)
            return 0;
        if (m_mask && !m_mask[std::size_t(row * m_cols + col)])
            return 0;
        return m_values[row * m_stride + col];
    }

    /// The label of a cell as a neighbour sees it: of a tile, its ring's cells too.
    std::int32_t across(std::int64_t row, std::int64_t col) const
    {
        if (m_ring && row >= -1 && col >= -1 && row <= m_rows && col <= m_cols)
            return m_values[row * m_stride + col];
        return at(row, col);
    }

    /// Whether the cell's top edge starts a run of top edges on the label's boundary: the
    /// traces begin there, and every ring has one.
    bool starts_top_run(std::int64_t row, std::int64_t col) const
    {
        const std::int32_t label = at(row, col);
        if (label <= 0 || at(row - 1, col) == label)
            return false;
        return !(at(row, col - 1) == label && at(row - 1, col - 1) != label);
    }

private:
    std::int64_t m_rows, m_cols, m_stride;
    const std::int32_t* m_values;
    const std::uint8_t* m_mask = nullptr;
    bool m_ring = false;
};

struct RingStart
{
    std::int32_t label = 0;
    std::size_t cell = 0;
};

/// Step 1: the ring starts in row-major order, grouped per label (index = label).
std::vector<std::vector<std::size_t>> ring_starts(const LabelGrid& grid)
{
    constexpr std::int64_t band_rows = 64;
    const std::size_t bands = std::size_t((grid.rows() + band_rows - 1) / band_rows);
    std::vector<std::vector<RingStart>> found(bands);
    parallel::for_each_index(bands, [&](std::size_t b) {
        const std::int64_t end = std::min(grid.rows(), std::int64_t(b + 1) * band_rows);
        for (std::int64_t r = std::int64_t(b) * band_rows; r < end; ++r)
            for (std::int64_t c = 0; c < grid.cols(); ++c)
                if (grid.starts_top_run(r, c))
                    found[b].push_back({ grid.at(r, c), std::size_t(r * grid.cols() + c) });
    });
    std::int32_t max_label = 0;
    for (const auto& band : found)
        for (const RingStart& s : band)
            max_label = std::max(max_label, s.label);
    std::vector<std::vector<std::size_t>> per_label(std::size_t(max_label) + 1);
    for (const auto& band : found)
        for (const RingStart& s : band)
            per_label[std::size_t(s.label)].push_back(s.cell);
    return per_label;
}

/// Traces one label's rings and cuts them into simple loops.
class LabelTracer
{
public:
    LabelTracer(const LabelGrid& grid, std::int32_t label, std::vector<std::uint8_t>& traced_top)
      : m_grid(grid)
      , m_label(label)
      , m_traced_top(traced_top)
    {
    }

    /// Step 2: every ring through the given starts (the cells whose top edge begins one).
    void trace_from(const std::vector<std::size_t>& starts)
    {
        for (std::size_t cell : starts) {
            if (m_traced_top[cell])
                continue;
            const auto row = std::int64_t(cell) / m_grid.cols();
            trace_ring({ row, std::int64_t(cell) - row * m_grid.cols() });
            cut_into_loops();
        }
    }

    std::vector<Loop>& shells() { return m_shells; }
    std::vector<Loop>& holes() { return m_holes; }

private:
    bool mine(std::int64_t row, std::int64_t col) const { return m_grid.at(row, col) == m_label; }

    /// Whether, going straight through @p at, the cell on the left changes label: a vertex
    /// there too makes both sides of every border share their vertices.
    bool neighbour_changes(const Corner& at, int heading) const
    {
        const int left = (heading + 3) & 3, back = (heading + 2) & 3;
        return m_grid.across(at.row + kRightRow[left], at.col + kRightCol[left]) !=
               m_grid.across(at.row + kRightRow[back], at.col + kRightCol[back]);
    }

    /// Follows the boundary from @p start eastwards along the top edge of the cell below it,
    /// keeping the label's cells on the right, and keeps the corners where it turns.
    void trace_ring(Corner start)
    {
        m_corners.clear();
        m_pinch.clear();
        Corner at = start;
        int heading = East;
        do {
            if (heading == East)
                m_traced_top[std::size_t(at.row * m_grid.cols() + at.col)] = 1;
            at.row += kStepRow[heading];
            at.col += kStepCol[heading];
            const int left = (heading + 3) & 3;
            const bool right_in = mine(at.row + kRightRow[heading], at.col + kRightCol[heading]);
            const bool left_in = mine(at.row + kRightRow[left], at.col + kRightCol[left]);
            // Nothing ahead on the right: turn right, even when the cell ahead on the left is
            // the label's (a pinch: the two cells meet at this corner only and stay apart).
            const int next = !right_in ? (heading + 1) & 3 : left_in ? left : heading;
            if (next != heading || neighbour_changes(at, heading)) {
                m_corners.push_back(at);
                m_pinch.push_back(!right_in && left_in);
            }
            heading = next;
        } while (!(at == start && heading == East));
    }

    /// Cuts the ring at each corner it passes twice (a pinch) into simple loops: when the walk
    /// comes back to an open pinch, the corners since its first visit close a loop.
    void cut_into_loops()
    {
        struct OpenPinch
        {
            Corner corner;
            std::size_t position;
        };
        std::vector<Corner> walk;
        std::vector<OpenPinch> open;
        for (std::size_t k = 0; k < m_corners.size(); ++k) {
            const Corner& v = m_corners[k];
            if (m_pinch[k]) {
                auto it = std::find_if(
                  open.begin(), open.end(), [&](const OpenPinch& p) { return p.corner == v; });
                if (it != open.end()) {
                    const std::size_t from = it->position;
                    add_loop(std::vector<Corner>(walk.begin() + std::ptrdiff_t(from), walk.end()));
                    walk.resize(from + 1);
                    open.erase(
                      std::remove_if(open.begin(),
                                     open.end(),
                                     [&](const OpenPinch& p) { return p.position >= from; }),
                      open.end());
                    continue;
                }
                open.push_back({ v, walk.size() });
            }
            walk.push_back(v);
        }
        add_loop(std::move(walk));
    }

    void add_loop(std::vector<Corner> corners)
    {
        Loop loop;
        loop.row_min = loop.row_max = corners.front().row;
        loop.col_min = loop.col_max = corners.front().col;
        for (std::size_t i = 0; i < corners.size(); ++i) {
            const Corner& a = corners[i];
            const Corner& b = corners[(i + 1) % corners.size()];
            // Minus the shoelace sum with x = col and y = -row (clockwise is positive).
            loop.area2 += b.row * a.col - a.row * b.col;
            loop.row_min = std::min(loop.row_min, a.row);
            loop.row_max = std::max(loop.row_max, a.row);
            loop.col_min = std::min(loop.col_min, a.col);
            loop.col_max = std::max(loop.col_max, a.col);
        }
        loop.corners = std::move(corners);
        (loop.area2 > 0 ? m_shells : m_holes).push_back(std::move(loop));
    }

    const LabelGrid& m_grid;
    std::int32_t m_label;
    std::vector<std::uint8_t>& m_traced_top;
    std::vector<Corner> m_corners;
    std::vector<char> m_pinch;
    std::vector<Loop> m_shells, m_holes;
};

/// Whether the point (row, col) - a cell centre, never on a loop's edges - is inside @p loop
/// (a ray towards growing columns crosses its vertical edges an odd number of times).
bool contains(const Loop& loop, double row, double col)
{
    if (row < double(loop.row_min) || row > double(loop.row_max) || col < double(loop.col_min) ||
        col > double(loop.col_max))
        return false;
    bool inside = false;
    const std::vector<Corner>& v = loop.corners;
    for (std::size_t i = 0; i < v.size(); ++i) {
        const Corner& a = v[i];
        const Corner& b = v[(i + 1) % v.size()];
        if (a.col == b.col && double(a.col) > col && (double(a.row) < row) != (double(b.row) < row))
            inside = !inside;
    }
    return inside;
}

/// Step 3: per hole, the shell it lies in: the innermost shell around the label's cell to the
/// right of the hole's first edge (a shell can lie in another shell's hole).
std::vector<std::size_t> shells_of_holes(const std::vector<Loop>& shells,
                                         const std::vector<Loop>& holes)
{
    std::vector<std::size_t> owner(holes.size(), 0);
    if (shells.size() < 2)
        return owner;
    for (std::size_t h = 0; h < holes.size(); ++h) {
        const Corner& a = holes[h].corners[0];
        const Corner& b = holes[h].corners[1];
        const int heading = b.row == a.row ? (b.col > a.col ? 0 : 2) : (b.row > a.row ? 1 : 3);
        const double row = double(a.row + kRightRow[heading]) + 0.5;
        const double col = double(a.col + kRightCol[heading]) + 0.5;
        std::int64_t smallest = std::numeric_limits<std::int64_t>::max();
        for (std::size_t s = 0; s < shells.size(); ++s)
            if (shells[s].area2 < smallest && contains(shells[s], row, col)) {
                smallest = shells[s].area2;
                owner[h] = s;
            }
    }
    return owner;
}

/// Little-endian (NDR) WKB, written byte by byte so that it does not depend on the host.
class WkbWriter
{
public:
    void byte(std::uint8_t v) { m_out.push_back(char(v)); }
    void u32(std::uint32_t v)
    {
        for (int i = 0; i < 4; ++i)
            m_out.push_back(char((v >> (8 * i)) & 0xffu));
    }
    void f64(double d)
    {
        std::uint64_t v = 0;
        std::memcpy(&v, &d, sizeof v);
        for (int i = 0; i < 8; ++i)
            m_out.push_back(char((v >> (8 * i)) & 0xffu));
    }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

/// A ring, in the reverse of the order traced: shells counter-clockwise and holes clockwise,
/// the orientation of OGC Simple Features and GeoJSON.
/// Corners are counted from the tile's first row and column @p origin.
void write_ring(WkbWriter& w, const Grid& grid, const Corner& origin, const Loop& loop)
{
    const std::size_t n = loop.corners.size();
    w.u32(std::uint32_t(n + 1));
    for (std::size_t i = 0; i <= n; ++i) {
        const Corner& c = loop.corners[(n - i) % n];
        w.f64(grid.x_left(std::size_t(origin.col + c.col)));
        w.f64(grid.y_top(std::size_t(origin.row + c.row)));
    }
}

/// Step 4: the label's shells with their holes as WKB, a MultiPolygon when there are several.
std::string label_wkb(const Grid& grid,
                      const Corner& origin,
                      const std::vector<Loop>& shells,
                      const std::vector<Loop>& holes,
                      const std::vector<std::size_t>& owner)
{
    constexpr std::uint32_t wkb_polygon = 3, wkb_multipolygon = 6;
    WkbWriter w;
    if (shells.size() > 1) {
        w.byte(1);
        w.u32(wkb_multipolygon);
        w.u32(std::uint32_t(shells.size()));
    }
    for (std::size_t s = 0; s < shells.size(); ++s) {
        const auto own_holes = std::size_t(std::count(owner.begin(), owner.end(), s));
        w.byte(1);
        w.u32(wkb_polygon);
        w.u32(std::uint32_t(1 + own_holes));
        write_ring(w, grid, origin, shells[s]);
        for (std::size_t h = 0; h < holes.size(); ++h)
            if (owner[h] == s)
                write_ring(w, grid, origin, holes[h]);
    }
    return w.take();
}

} // namespace

namespace {

/// The polygons of @p grid's labels; its cell (r, c) is cell (origin + (r, c)) of @p geo.
std::vector<BasinPolygon> trace_labels(const LabelGrid& grid, const Grid& geo, const Corner& origin)
{
    const std::vector<std::vector<std::size_t>> starts = ring_starts(grid);
    std::vector<std::uint8_t> traced_top(std::size_t(grid.rows() * grid.cols()), 0);
    std::vector<std::string> wkb(starts.size());
    parallel::for_each_index(starts.size(), [&](std::size_t label) {
        if (starts[label].empty())
            return;
        LabelTracer tracer(grid, std::int32_t(label), traced_top);
        tracer.trace_from(starts[label]);
        const std::vector<std::size_t> owner = shells_of_holes(tracer.shells(), tracer.holes());
        wkb[label] = label_wkb(geo, origin, tracer.shells(), tracer.holes(), owner);
    });
    std::vector<BasinPolygon> out;
    for (std::size_t label = 1; label < wkb.size(); ++label)
        if (!wkb[label].empty())
            out.push_back({ std::int32_t(label), std::move(wkb[label]) });
    return out;
}

} // namespace

std::vector<BasinPolygon> label_polygons(const Raster<std::int32_t>& labels)
{
    return trace_labels(LabelGrid(labels), labels.grid(), {});
}

std::vector<BasinPolygon> label_polygons(const Grid& grid,
                                         const CellBox& tile,
                                         const std::vector<std::int32_t>& with_ring)
{
    if (with_ring.size() != (tile.rows() + 2) * (tile.cols() + 2) || tile.r1 > grid.rows() ||
        tile.c1 > grid.cols())
        throw InvalidArgument("label_polygons: " + std::to_string(with_ring.size()) +
                              " labels for a tile of " + std::to_string(tile.rows()) + " x " +
                              std::to_string(tile.cols()) + " cells and its ring");
    return trace_labels(LabelGrid(tile.rows(), tile.cols(), with_ring),
                        grid,
                        { std::int64_t(tile.r0), std::int64_t(tile.c0) });
}

} // namespace landel::analysis
