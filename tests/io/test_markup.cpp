// Text from the data in the markup landel writes: the shared escaping (landel/core/escape.h),
// the QGIS project and report.html (the browser-side checks are in
// tests/integration/test_report_no_script.py).
#include "landel/core/escape.h"
#include "landel/core/sha256.h"
#include "landel/io/crs.h"
#include "landel/io/error.h"
#include "landel/io/qgis_styles.h"
#include "landel/render/report.h"

#include <gtest/gtest.h>

#include <string>

using namespace landel;

namespace {

const std::string hostile = "<img src=x onerror=\"alert('x')\"></script><!--&amp;\u2028";

std::size_t count(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

} // namespace

TEST(Escape, MarkupLeavesNoMarkupCharacter)
{
    EXPECT_EQ(escape::markup("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
    EXPECT_EQ(escape::markup("line\nnext\ttab\rcr"), "line&#xa;next&#x9;tab&#xd;cr");
    // XML 1.0 cannot hold other C0 controls, not even as references.
    EXPECT_EQ(escape::markup(std::string("a\x01z", 3)), "a\xef\xbf\xbdz");
    EXPECT_EQ(escape::markup("Białowieża"), "Białowieża");
}

TEST(Escape, JsonString)
{
    EXPECT_EQ(escape::json_string("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\u000a\\u0001\"");
    EXPECT_EQ(escape::json_string(""), "\"\"");
}

TEST(Sha256, DigestBytes)
{
    const auto d = sha256("abc");
    EXPECT_EQ(d[0], 0xba);
    EXPECT_EQ(d[31], 0xad);
}

TEST(QgisProject, TitleIsText)
{
    io::initialise_gdal();
    const io::Crs rd = io::Crs::from_user_input("EPSG:28992", "test");
    const std::string qgs = io::qgis_project(hostile, rd, {});
    EXPECT_EQ(qgs.find("<img"), std::string::npos);
    EXPECT_EQ(qgs.find("<!--"), std::string::npos);
    EXPECT_NE(qgs.find("&lt;img src=x onerror=&quot;alert(&apos;x&apos;)&quot;&gt;"),
              std::string::npos);
}

TEST(Report, DataIsTextAndOnlyThePagesScriptsRun)
{
    render::Report r;
    r.title = r.subtitle = hostile;
    r.summary = { { hostile, hostile } };
    r.areas.headers = { hostile };
    r.areas.numeric = { false };
    r.areas.rows = { { hostile } };
    r.area_pngs = { { hostile, "png" } };
    r.notes = { hostile };
    r.legend = { { hostile, { 1, 2, 3 } } };
    r.areas_geojson = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                      "\"properties\":{\"id\":" +
                      escape::json_string(hostile) + "},\"geometry\":null}]}";
    const std::string page = render::report_html(r);
    EXPECT_EQ(page.find("<img src=x"), std::string::npos);
    EXPECT_EQ(page.find("<!--"), std::string::npos);
    EXPECT_EQ(count(page, "<script"), 4u); // the data block, Leaflet, the map, the sorting
    EXPECT_EQ(count(page, "</script>"), 4u);
    const std::string open = "<script type=\"application/json\" id=\"landel-data\">";
    const std::size_t from = page.find(open);
    ASSERT_NE(from, std::string::npos);
    const std::size_t begin = from + open.size();
    const std::string data = page.substr(begin, page.find("</script>", begin) - begin);
    EXPECT_EQ(data.find("\u2028"), std::string::npos); // a line break to older JavaScript
    EXPECT_NE(data.find("\\u2028"), std::string::npos);
    EXPECT_NE(page.find("\\u003cimg src=x onerror=\\\"alert('x')\\\"\\u003e\\u003c/script\\u003e"),
              std::string::npos);
    const std::size_t csp = page.find("Content-Security-Policy");
    const std::string policy = page.substr(csp, page.find('>', csp) - csp);
    EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(count(policy, "'sha256-"), 4u); // the style sheet and the three scripts
}

TEST(Report, WithoutTheMapOnlyTheSortingRunsAndChartsAreText)
{
    render::Report r;
    r.title = hostile;
    r.cautions = { hostile };
    r.charts_heading = r.charts_intro = hostile;
    render::ShareChart chart;
    chart.title = hostile;
    chart.shares = { { 2020, 1.0 } };
    chart.targets = { { 2030, 5.0, hostile } };
    r.charts = { chart };
    r.areas.headers = { hostile };
    r.areas.rows = { { hostile } };
    r.tables = { { hostile, r.areas } };
    r.notes = { hostile };
    r.interactive_map = false;
    const std::string page = render::report_html(r);
    EXPECT_EQ(page.find("<img src=x"), std::string::npos);
    EXPECT_EQ(page.find("<!--"), std::string::npos);
    EXPECT_EQ(count(page, "<script"), 1u); // the sorting only: no Leaflet, no data block
    EXPECT_EQ(page.find("landel-data"), std::string::npos);
    EXPECT_EQ(count(page, "<svg"), 1u);
    const std::size_t csp = page.find("Content-Security-Policy");
    const std::string policy = page.substr(csp, page.find('>', csp) - csp);
    EXPECT_EQ(count(policy, "'sha256-"), 2u); // the style sheet and the script
}
