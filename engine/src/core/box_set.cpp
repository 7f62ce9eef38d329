#include "landel/core/box_set.h"

#include <algorithm>
#include <cmath>

namespace landel {

BoxSet::BoxSet(const std::vector<Box>& boxes)
{
    double widths = 0.0, heights = 0.0;
    for (const Box& b : boxes) {
        if (b.empty())
            continue;
        m_boxes.push_back(b);
        m_envelope.expand(b);
        widths += b.width();
        heights += b.height();
    }
    if (m_boxes.empty())
        return;
    const double n = double(m_boxes.size());
    // Cells about as large as the boxes, but no more than about 4 per box: a set of a few
    // boxes far apart (areas in two provinces) must not make a huge grid.
    const double fewest = std::sqrt(m_envelope.width() * m_envelope.height() / (4.0 * n));
    m_cell = std::max({ widths / n, heights / n, fewest, 1e-9 });
    m_cols = std::int64_t(std::floor(m_envelope.width() / m_cell)) + 1;
    m_rows = std::int64_t(std::floor(m_envelope.height() / m_cell)) + 1;
    m_cells.resize(std::size_t(m_cols * m_rows));
    for (std::size_t i = 0; i < m_boxes.size(); ++i) {
        const Box& b = m_boxes[i];
        for (std::int64_t r = row(b.ymin); r <= row(b.ymax); ++r)
            for (std::int64_t c = column(b.xmin); c <= column(b.xmax); ++c)
                m_cells[std::size_t(r * m_cols + c)].push_back(std::uint32_t(i));
    }
}

std::int64_t BoxSet::column(double x) const
{
    return std::clamp(
      std::int64_t(std::floor((x - m_envelope.xmin) / m_cell)), std::int64_t(0), m_cols - 1);
}

std::int64_t BoxSet::row(double y) const
{
    return std::clamp(
      std::int64_t(std::floor((y - m_envelope.ymin) / m_cell)), std::int64_t(0), m_rows - 1);
}

bool BoxSet::meets(const Box& b, double by) const
{
    if (b.empty() || m_boxes.empty())
        return false;
    const Box q = grown(b, by);
    if (!q.intersects(m_envelope))
        return false;
    // Clamping keeps the cells on the envelope's border, which hold every box reaching it.
    for (std::int64_t r = row(q.ymin); r <= row(q.ymax); ++r)
        for (std::int64_t c = column(q.xmin); c <= column(q.xmax); ++c)
            for (std::uint32_t i : m_cells[std::size_t(r * m_cols + c)])
                if (m_boxes[i].intersects(q))
                    return true;
    return false;
}

} // namespace landel
