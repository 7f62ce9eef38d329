#pragma once
/// @file share_chart.h
/// A chart of one area's element share per year against its target paths, as inline SVG for
/// report.html: the measured shares as points joined by a line, and per milestone the straight
/// path from the baseline share to the milestone's share, ending in a marker at the milestone,
/// with the milestone's status in the legend. Plain SVG written here (no script, no library);
/// every piece of text is escaped.

#include <optional>
#include <string>
#include <vector>

namespace landel::render {

/// A chart axis: the range [lo, hi], both ends on ticks, and the step between ticks.
struct ChartAxis
{
    double lo = 0.0, hi = 1.0, step = 1.0;

    /// lo, lo + step, ..., hi.
    std::vector<double> ticks() const;
    /// Where @p v lies on a line drawn from @p from (at lo) to @p to (at hi).
    double at(double v, double from, double to) const;
};

/// An axis holding [@p lo, @p hi] in at most @p max_intervals steps: the smallest step of
/// 1, 2, 2.5 or 5 × 10^k that does, with lo and hi rounded out to multiples of it. An empty
/// range (hi <= lo) is taken as [lo, lo + 1]; @p max_intervals under 1 as 1.
ChartAxis value_axis(double lo, double hi, int max_intervals);

/// The same for years: whole steps of 1, 2 or 5 × 10^k.
ChartAxis year_axis(int first, int last, int max_intervals);

/// A share (percent of the year's own rural land) in a year.
struct ChartPoint
{
    int year = 0;
    double share_pct = 0.0;
};

/// A milestone and the status of the last year on the path to it.
struct ChartTarget
{
    int year = 0;
    double share_pct = 0.0;
    std::string status; ///< "met", "on_track", "behind"; empty: no path
};

struct ShareChart
{
    std::string title;              ///< e.g. "A1 De Polder"
    std::vector<int> years;         ///< the runs' years: the time axis spans them all
    std::vector<ChartPoint> shares; ///< the runs' shares by year (years with rural land only)
    std::optional<ChartPoint> base; ///< where the paths start; none: no paths drawn
    std::vector<ChartTarget> targets;
};

/// The chart as an <svg> element: class "share-chart"; each measured share a <circle
/// class="share-point" data-year data-share> (share in percent, 6 decimals); each path a
/// <line class="target-path" data-milestone data-status>; each milestone a <rect
/// class="target">.
std::string share_chart_svg(const ShareChart& chart);

} // namespace landel::render
