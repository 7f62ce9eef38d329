#include "landel/render/share_chart.h"

#include "landel/core/escape.h"
#include "landel/core/text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace landel::render {

namespace {

using escape::markup;

/// Round-off allowed when a bound is compared with a multiple of the step: 2.5 × 3 must count
/// as 7.5, not as a hair above it.
constexpr double step_slack = 1e-9;

/// The axis of @p step over [lo, hi]: the bounds rounded out to multiples of it.
ChartAxis rounded_out(double lo, double hi, double step)
{
    ChartAxis a;
    a.step = step;
    a.lo = std::floor(lo / step + step_slack) * step;
    a.hi = std::ceil(hi / step - step_slack) * step;
    if (a.hi <= a.lo)
        a.hi = a.lo + step;
    return a;
}

/// The smallest step of @p mantissas × 10^k (k >= @p min_exponent) that spans [lo, hi] in at
/// most @p max_intervals steps.
ChartAxis smallest_step(double lo,
                        double hi,
                        int max_intervals,
                        const std::vector<double>& mantissas,
                        int min_exponent)
{
    max_intervals = std::max(1, max_intervals);
    if (!std::isfinite(lo) || !std::isfinite(hi))
        return ChartAxis{};
    if (!(hi > lo))
        hi = lo + 1.0;
    // Steps below span / max_intervals cannot do; start one decade under it.
    const double least = (hi - lo) / max_intervals;
    int exponent = std::max(min_exponent, int(std::floor(std::log10(least))) - 1);
    for (;; ++exponent)
        for (double m : mantissas) {
            const ChartAxis a = rounded_out(lo, hi, m * std::pow(10.0, exponent));
            if ((a.hi - a.lo) / a.step <= max_intervals + step_slack)
                return a;
        }
}

std::string num(double v, int decimals = 2)
{
    return fixed_decimals(v, decimals);
}

/// A tick label: at most 6 significant digits, no trailing zeros ("2.5", "10").
std::string label(double v)
{
    char text[64];
    std::snprintf(text, sizeof text, "%g", std::abs(v) < 1e-12 ? 0.0 : v);
    return text;
}

std::string status_words(const std::string& status)
{
    if (status.empty())
        return "no path";
    return status == "on_track" ? "on track" : status;
}

const char* share_colour = "#2f5d3a";
const char* path_colours[] = { "#b35806", "#542788", "#1f78b4", "#c51b7d" };

/// The layout, in SVG user units.
constexpr double width = 460, left = 56, right = 16, top = 12, plot_height = 180, axis_band = 38,
                 legend_line = 16;

struct Frame
{
    ChartAxis x, y;
    double x0 = left, x1 = width - right, y0 = top + plot_height, y1 = top;
    double px(double year) const { return x.at(year, x0, x1); }
    double py(double share) const { return y.at(share, y0, y1); }
};

Frame frame_of(const ShareChart& c)
{
    int first = 0, last = 0;
    double top_share = 0.0;
    bool any = false;
    const auto take = [&](int year, double share) {
        first = any ? std::min(first, year) : year;
        last = any ? std::max(last, year) : year;
        top_share = std::max(top_share, share);
        any = true;
    };
    for (int year : c.years)
        take(year, 0.0);
    for (const ChartPoint& p : c.shares)
        take(p.year, p.share_pct);
    if (c.base)
        take(c.base->year, c.base->share_pct);
    for (const ChartTarget& t : c.targets)
        take(t.year, t.share_pct);
    Frame f;
    f.x = year_axis(first, last, 8);
    f.y = value_axis(0.0, top_share, 5);
    return f;
}

void axes(std::ostringstream& s, const Frame& f)
{
    s << "<g class=\"axes\" font-size=\"11\" fill=\"#444\">";
    for (double v : f.y.ticks()) {
        const std::string y = num(f.py(v));
        s << "<line x1=\"" << num(f.x0) << "\" y1=\"" << y << "\" x2=\"" << num(f.x1) << "\" y2=\""
          << y << "\" stroke=\"#e2e2e2\"/>"
          << "<text x=\"" << num(f.x0 - 6) << "\" y=\"" << num(f.py(v) + 4)
          << "\" text-anchor=\"end\">" << label(v) << "</text>";
    }
    for (double v : f.x.ticks()) {
        const std::string x = num(f.px(v));
        s << "<line x1=\"" << x << "\" y1=\"" << num(f.y0) << "\" x2=\"" << x << "\" y2=\""
          << num(f.y0 + 4) << "\" stroke=\"#444\"/>"
          << "<text class=\"year-tick\" x=\"" << x << "\" y=\"" << num(f.y0 + 16)
          << "\" text-anchor=\"middle\">" << label(v) << "</text>";
    }
    s << "<line x1=\"" << num(f.x0) << "\" y1=\"" << num(f.y0) << "\" x2=\"" << num(f.x1)
      << "\" y2=\"" << num(f.y0) << "\" stroke=\"#444\"/>"
      << "<line x1=\"" << num(f.x0) << "\" y1=\"" << num(f.y0) << "\" x2=\"" << num(f.x0)
      << "\" y2=\"" << num(f.y1) << "\" stroke=\"#444\"/>"
      << "<text x=\"" << num((f.x0 + f.x1) / 2) << "\" y=\"" << num(f.y0 + 32)
      << "\" text-anchor=\"middle\">year</text>"
      << "<text transform=\"translate(14 " << num((f.y0 + f.y1) / 2)
      << ") rotate(-90)\" text-anchor=\"middle\">share of rural land (%)</text></g>";
}

/// Per milestone the path from the base share, and the milestone's marker.
void paths(std::ostringstream& s, const ShareChart& c, const Frame& f)
{
    for (std::size_t k = 0; k < c.targets.size(); ++k) {
        const ChartTarget& t = c.targets[k];
        const char* colour = path_colours[k % (sizeof path_colours / sizeof *path_colours)];
        const std::string tx = num(f.px(t.year)), ty = num(f.py(t.share_pct));
        if (c.base)
            s << "<line class=\"target-path\" data-milestone=\"" << t.year << "\" data-status=\""
              << markup(t.status) << "\" x1=\"" << num(f.px(c.base->year)) << "\" y1=\""
              << num(f.py(c.base->share_pct)) << "\" x2=\"" << tx << "\" y2=\"" << ty
              << "\" stroke=\"" << colour << "\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>";
        s << "<rect class=\"target\" x=\"" << num(f.px(t.year) - 4) << "\" y=\""
          << num(f.py(t.share_pct) - 4) << "\" width=\"8\" height=\"8\" fill=\"" << colour
          << "\"><title>" << t.year << " target: " << label(t.share_pct) << " %</title></rect>";
    }
}

void shares(std::ostringstream& s, const ShareChart& c, const Frame& f)
{
    if (c.shares.size() > 1) {
        s << "<polyline class=\"share-line\" fill=\"none\" stroke=\"" << share_colour
          << "\" stroke-width=\"2\" points=\"";
        for (std::size_t k = 0; k < c.shares.size(); ++k)
            s << (k ? " " : "") << num(f.px(c.shares[k].year)) << ","
              << num(f.py(c.shares[k].share_pct));
        s << "\"/>";
    }
    for (const ChartPoint& p : c.shares)
        s << "<circle class=\"share-point\" data-year=\"" << p.year << "\" data-share=\""
          << num(p.share_pct, 6) << "\" cx=\"" << num(f.px(p.year)) << "\" cy=\""
          << num(f.py(p.share_pct)) << "\" r=\"4\" fill=\"" << share_colour << "\"><title>"
          << p.year << ": " << num(p.share_pct, 2) << " %</title></circle>";
}

void legend(std::ostringstream& s, const ShareChart& c, const Frame& f)
{
    double y = f.y0 + axis_band + 12;
    s << "<g class=\"legend\" font-size=\"11\" fill=\"#222\">";
    s << "<circle cx=\"" << num(f.x0 + 8) << "\" cy=\"" << num(y - 4) << "\" r=\"4\" fill=\""
      << share_colour << "\"/><text x=\"" << num(f.x0 + 20) << "\" y=\"" << num(y) << "\">"
      << (c.shares.empty() ? "share per year: none (no rural land)" : "share per year")
      << "</text>";
    for (std::size_t k = 0; k < c.targets.size(); ++k) {
        const ChartTarget& t = c.targets[k];
        y += legend_line;
        const char* colour = path_colours[k % (sizeof path_colours / sizeof *path_colours)];
        s << "<line x1=\"" << num(f.x0) << "\" y1=\"" << num(y - 4) << "\" x2=\"" << num(f.x0 + 16)
          << "\" y2=\"" << num(y - 4) << "\" stroke=\"" << colour
          << "\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text class=\"target-status\" x=\""
          << num(f.x0 + 20) << "\" y=\"" << num(y) << "\">path to " << t.year << " ("
          << label(t.share_pct) << " %): " << markup(status_words(t.status)) << "</text>";
    }
    s << "</g>";
}

} // namespace

std::vector<double> ChartAxis::ticks() const
{
    std::vector<double> out;
    const long n = std::lround((hi - lo) / step);
    for (long k = 0; k <= n; ++k)
        out.push_back(lo + double(k) * step);
    return out;
}

double ChartAxis::at(double v, double from, double to) const
{
    return from + (v - lo) / (hi - lo) * (to - from);
}

ChartAxis value_axis(double lo, double hi, int max_intervals)
{
    return smallest_step(lo, hi, max_intervals, { 1.0, 2.0, 2.5, 5.0 }, -12);
}

ChartAxis year_axis(int first, int last, int max_intervals)
{
    return smallest_step(first, last, max_intervals, { 1.0, 2.0, 5.0 }, 0);
}

std::string share_chart_svg(const ShareChart& c)
{
    const Frame f = frame_of(c);
    const double height = top + plot_height + axis_band + legend_line * (1 + c.targets.size());
    std::ostringstream s;
    s << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"share-chart\" width=\"" << num(width)
      << "\" height=\"" << num(height) << "\" viewBox=\"0 0 " << num(width) << " " << num(height)
      << "\" role=\"img\" aria-label=\"" << markup(c.title) << "\" font-family=\"DejaVu "
      << "Sans, Arial, sans-serif\"><title>" << markup(c.title) << "</title>";
    axes(s, f);
    paths(s, c, f);
    shares(s, c, f);
    legend(s, c, f);
    s << "</svg>";
    return s.str();
}

} // namespace landel::render
