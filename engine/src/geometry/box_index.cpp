#include "landel/geometry/box_index.h"

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include <algorithm>
#include <iterator>
#include <utility>

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace landel::geometry {

namespace {
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BBox = bg::model::box<BPoint>;
using Value = std::pair<BBox, std::size_t>;

BBox to_bbox(const Box& b)
{
    return BBox(BPoint(b.xmin, b.ymin), BPoint(b.xmax, b.ymax));
}
} // namespace

struct BoxIndex::Tree
{
    bgi::rtree<Value, bgi::rstar<16>> rtree;
};

BoxIndex::BoxIndex(const std::vector<Box>& boxes)
{
    std::vector<Value> values;
    values.reserve(boxes.size());
    for (std::size_t i = 0; i < boxes.size(); ++i)
        if (!boxes[i].empty())
            values.emplace_back(to_bbox(boxes[i]), i);
    // The range constructor bulk-loads with the packing algorithm.
    m_tree = std::make_unique<Tree>(Tree{ bgi::rtree<Value, bgi::rstar<16>>(values) });
}

BoxIndex::~BoxIndex() = default;
BoxIndex::BoxIndex(BoxIndex&&) noexcept = default;
BoxIndex& BoxIndex::operator=(BoxIndex&&) noexcept = default;

std::vector<std::size_t> BoxIndex::query(const Box& box) const
{
    std::vector<std::size_t> ids;
    if (box.empty())
        return ids;
    m_tree->rtree.query(
      bgi::intersects(to_bbox(box)),
      boost::make_function_output_iterator([&ids](const Value& v) { ids.push_back(v.second); }));
    std::sort(ids.begin(), ids.end());
    return ids;
}

std::size_t BoxIndex::count(const Box& box) const
{
    std::size_t n = 0;
    if (box.empty())
        return n;
    m_tree->rtree.query(bgi::intersects(to_bbox(box)),
                        boost::make_function_output_iterator([&n](const Value&) { ++n; }));
    return n;
}

} // namespace landel::geometry
