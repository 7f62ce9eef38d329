// The share chart of report.html (render/share_chart.h): the axes' steps and ranges against a
// brute-force search over the nice steps, and the SVG's points and markers against linear
// maps recovered from the drawing itself.

#include "landel/render/share_chart.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <string>
#include <vector>

namespace landel::render {
namespace {

/// Every step of @p mantissas × 10^k for k in [lo_exp, hi_exp], ascending.
std::vector<double> nice_steps(const std::vector<double>& mantissas, int lo_exp, int hi_exp)
{
    std::vector<double> out;
    for (int e = lo_exp; e <= hi_exp; ++e)
        for (double m : mantissas)
            out.push_back(m * std::pow(10.0, e));
    return out;
}

/// How many steps of @p s an axis needs to hold [lo, hi] with both ends on multiples of s;
/// a bound within 1e-9 of a multiple counts as on it.
long intervals(double lo, double hi, double s)
{
    const double a = std::floor(lo / s + 1e-9), b = std::ceil(hi / s - 1e-9);
    return std::max(1L, long(std::llround(b - a)));
}

double brute_force_step(double lo, double hi, int max, const std::vector<double>& steps)
{
    for (double s : steps)
        if (intervals(lo, hi, s) <= max)
            return s;
    return 0.0;
}

bool multiple_of(double v, double s)
{
    return std::abs(v / s - std::round(v / s)) < 1e-6;
}

TEST(ChartAxis, ValueAxisIsTheSmallestNiceStepThatFits)
{
    const std::vector<double> steps = nice_steps({ 1.0, 2.0, 2.5, 5.0 }, -6, 6);
    const double his[] = { 0.003, 0.5, 1.0, 2.9, 3.27, 6.06, 7.3, 10.0, 12.5, 47.0, 99.9, 250 };
    for (double lo : { 0.0, 0.25, 1.0 })
        for (double hi : his)
            for (int max : { 1, 3, 5, 8 }) {
                if (hi <= lo)
                    continue;
                const ChartAxis a = value_axis(lo, hi, max);
                EXPECT_NEAR(a.step, brute_force_step(lo, hi, max, steps), 1e-12 * hi)
                  << lo << " " << hi << " " << max;
                EXPECT_LE(a.lo, lo + 1e-9);
                EXPECT_GE(a.hi, hi - 1e-9);
                EXPECT_TRUE(multiple_of(a.lo, a.step) && multiple_of(a.hi, a.step));
                EXPECT_LE(a.ticks().size(), std::size_t(max) + 1);
            }
}

TEST(ChartAxis, HandDerivedCases)
{
    // 0..7.3 in at most 5 steps: 1 needs 8, 2 needs 4 (0..8).
    ChartAxis a = value_axis(0.0, 7.3, 5);
    EXPECT_DOUBLE_EQ(a.step, 2.0);
    EXPECT_DOUBLE_EQ(a.hi, 8.0);
    EXPECT_EQ(a.ticks(), (std::vector<double>{ 0, 2, 4, 6, 8 }));
    // 10 is a multiple of 2: no extra step above it.
    a = value_axis(0.0, 10.0, 5);
    EXPECT_DOUBLE_EQ(a.step, 2.0);
    EXPECT_DOUBLE_EQ(a.hi, 10.0);
    // 7.5 = 3 × 2.5 exactly, despite binary round-off.
    a = value_axis(0.0, 7.5, 3);
    EXPECT_DOUBLE_EQ(a.step, 2.5);
    EXPECT_DOUBLE_EQ(a.hi, 7.5);
    // Nothing to show (all shares 0): [0, 1] in steps of 0.2.
    a = value_axis(0.0, 0.0, 5);
    EXPECT_DOUBLE_EQ(a.hi, 1.0);
    EXPECT_NEAR(a.step, 0.2, 1e-15);
}

TEST(ChartAxis, YearAxisHasWholeYearSteps)
{
    ChartAxis a = year_axis(2020, 2050, 8); // 1 and 2 need 30 and 15 steps, 5 needs 6
    EXPECT_EQ(a.ticks(), (std::vector<double>{ 2020, 2025, 2030, 2035, 2040, 2045, 2050 }));
    a = year_axis(2018, 2030, 8);
    EXPECT_DOUBLE_EQ(a.step, 2.0);
    EXPECT_DOUBLE_EQ(a.lo, 2018.0);
    a = year_axis(2021, 2050, 8); // 5 rounds out to 2020..2050
    EXPECT_DOUBLE_EQ(a.step, 5.0);
    EXPECT_DOUBLE_EQ(a.lo, 2020.0);
    a = year_axis(2024, 2024, 8);
    EXPECT_DOUBLE_EQ(a.lo, 2024.0);
    EXPECT_DOUBLE_EQ(a.hi, 2025.0);
    const std::vector<double> steps = nice_steps({ 1.0, 2.0, 5.0 }, 0, 4);
    for (int first : { 1990, 2018, 2020, 2023 })
        for (int last : { 2024, 2030, 2050, 2100 })
            for (int max : { 2, 6, 8 }) {
                a = year_axis(first, last, max);
                EXPECT_EQ(a.step, brute_force_step(first, last, max, steps));
                EXPECT_TRUE(a.lo <= first && a.hi >= last && std::floor(a.step) == a.step);
            }
}

TEST(ChartAxis, AtMapsTheRangeLinearly)
{
    const ChartAxis a{ 0.0, 10.0, 2.0 };
    EXPECT_DOUBLE_EQ(a.at(0.0, 200.0, 20.0), 200.0);
    EXPECT_DOUBLE_EQ(a.at(10.0, 200.0, 20.0), 20.0);
    EXPECT_DOUBLE_EQ(a.at(2.5, 200.0, 20.0), 155.0);
}

struct Mark
{
    double x, y, year, share;
};

/// The measured points of an SVG: position and the data attributes.
std::vector<Mark> points(const std::string& svg)
{
    std::vector<Mark> out;
    const std::regex re("<circle class=\"share-point\" data-year=\"(\\d+)\" data-share=\"([0-9.]+)"
                        "\" cx=\"([0-9.-]+)\" cy=\"([0-9.-]+)\"");
    for (std::sregex_iterator m(svg.begin(), svg.end(), re), end; m != end; ++m)
        out.push_back(
          { std::stod((*m)[3]), std::stod((*m)[4]), std::stod((*m)[1]), std::stod((*m)[2]) });
    return out;
}

TEST(ShareChart, PointsAndTargetsLieOnOneLinearScale)
{
    ShareChart c;
    c.title = "A2";
    c.years = { 2020, 2022, 2024 };
    c.shares = { { 2020, 1.0 }, { 2022, 2.0 }, { 2024, 3.0 } };
    c.base = ChartPoint{ 2020, 1.0 };
    c.targets = { { 2030, 5.0, "on_track" }, { 2050, 10.0, "behind" } };
    const std::string svg = share_chart_svg(c);
    const std::vector<Mark> p = points(svg);
    ASSERT_EQ(p.size(), 3u);
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_EQ(p[k].year, c.shares[k].year);
        EXPECT_NEAR(p[k].share, c.shares[k].share_pct, 1e-6);
    }
    // Pixels per year and per percent point, from the first and last point.
    const double per_year = (p[2].x - p[0].x) / (p[2].year - p[0].year);
    const double per_pct = (p[2].y - p[0].y) / (p[2].share - p[0].share);
    EXPECT_GT(per_year, 0.0);
    EXPECT_LT(per_pct, 0.0); // higher shares are drawn higher up
    EXPECT_NEAR(p[1].x, p[0].x + per_year * 2, 0.02);
    EXPECT_NEAR(p[1].y, p[0].y + per_pct * 1.0, 0.02);
    // Each milestone's square is centred on its year and share; each path starts at the base.
    const std::regex rect("<rect class=\"target\" x=\"([0-9.-]+)\" y=\"([0-9.-]+)\" width=\"8\"");
    std::size_t k = 0;
    for (std::sregex_iterator m(svg.begin(), svg.end(), rect), end; m != end; ++m, ++k) {
        ASSERT_LT(k, c.targets.size());
        const ChartTarget& t = c.targets[k];
        EXPECT_NEAR(std::stod((*m)[1]) + 4, p[0].x + per_year * (t.year - 2020), 0.05);
        EXPECT_NEAR(std::stod((*m)[2]) + 4, p[0].y + per_pct * (t.share_pct - 1.0), 0.05);
    }
    EXPECT_EQ(k, c.targets.size());
    const std::regex path("<line class=\"target-path\" data-milestone=\"(\\d+)\" "
                          "data-status=\"([a-z_]*)\" x1=\"([0-9.-]+)\" y1=\"([0-9.-]+)\"");
    std::vector<std::string> statuses;
    for (std::sregex_iterator m(svg.begin(), svg.end(), path), end; m != end; ++m) {
        statuses.push_back((*m)[2]);
        EXPECT_NEAR(std::stod((*m)[3]), p[0].x, 0.01);
        EXPECT_NEAR(std::stod((*m)[4]), p[0].y, 0.01);
    }
    EXPECT_EQ(statuses, (std::vector<std::string>{ "on_track", "behind" }));
    EXPECT_NE(svg.find("path to 2030 (5 %): on track"), std::string::npos);
}

TEST(ShareChart, TextIsEscapedAndNoRuralLandHasNoPoints)
{
    ShareChart c;
    c.title = "<script>alert('x')</script> & \"A5\"";
    c.years = { 2020, 2024 };
    c.targets = { { 2030, 5.0, "" } };
    const std::string svg = share_chart_svg(c);
    EXPECT_EQ(svg.find("<script"), std::string::npos);
    EXPECT_NE(svg.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;A5&quot;"),
              std::string::npos);
    EXPECT_TRUE(points(svg).empty());
    EXPECT_EQ(svg.find("target-path"), std::string::npos); // no base: no path
    EXPECT_NE(svg.find("path to 2030 (5 %): no path"), std::string::npos);
    // The time axis spans the runs' years although no share was measured.
    EXPECT_NE(svg.find(">2020</text>"), std::string::npos);
}

} // namespace
} // namespace landel::render
