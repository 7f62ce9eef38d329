#include "landel/io/geotiff_writer.h"

#include "gdal_errors.h"
#include "landel/io/error.h"

#include <cpl_conv.h>
#include <gdal_priv.h>

#include <cassert>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <locale>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

namespace landel::io {

namespace {

[[noreturn]] void fail(const std::filesystem::path& path,
                       const std::string& what,
                       const GdalErrorCollector& errors)
{
    throw IoError("cannot write '" + path.string() + "': " + what +
                  (errors.failed() ? ": " + errors.failure() : std::string()));
}

/// A file written under a temporary name beside its destination, so that readers (and QGIS,
/// which may have the previous run's output open) never see a half-written file and a failed
/// write leaves the previous one intact. commit() renames it into place; without a commit (an
/// exception was thrown) the destructor removes it, so no temporary is left behind.
class PartialFile
{
public:
    explicit PartialFile(std::filesystem::path destination)
      : m_destination(std::move(destination))
      , m_partial(m_destination.string() + ".partial")
    {
    }
    ~PartialFile()
    {
        if (!m_committed) {
            std::error_code ignored;
            std::filesystem::remove(m_partial, ignored);
        }
    }
    PartialFile(const PartialFile&) = delete;
    PartialFile& operator=(const PartialFile&) = delete;

    const std::filesystem::path& path() const { return m_partial; }

    void commit()
    {
        std::error_code ec;
        // Replaces an existing destination in one step on POSIX and Windows alike.
        std::filesystem::rename(m_partial, m_destination, ec);
        if (ec)
            throw IoError("cannot write '" + m_destination.string() + "': cannot move '" +
                          m_partial.string() + "' into place: " + ec.message());
        m_committed = true;
    }

private:
    std::filesystem::path m_destination;
    std::filesystem::path m_partial;
    bool m_committed = false;
};

/// Options of GDAL's COG driver (checked against the GDAL 3.6 driver documentation).
const char* const cog_options[] = {
    "COMPRESS=DEFLATE",
    // YES selects the floating-point predictor (3) for Float32 bands: byte planes of
    // neighbouring shares differ little, which roughly halves the DEFLATE output.
    "PREDICTOR=YES",
    // Smaller than the default 512 so that a QGIS map tile reads less it does not show.
    "BLOCKSIZE=256",
    "OVERVIEWS=AUTO",
    // A zoomed-out pixel shows the mean share of the cells under it; GDAL skips nodata cells.
    "RESAMPLING=AVERAGE",
    // Compressed sizes are unknown in advance; a national grid at fine cells may pass 4 GB.
    "BIGTIFF=IF_SAFER",
    nullptr,
};

} // namespace

void write_float_geotiff(const std::filesystem::path& path,
                         const Raster<float>& raster,
                         const Crs& crs,
                         float nodata,
                         const std::string& band_description)
{
    initialise_gdal();
    GdalErrorCollector errors;
    const Grid& grid = raster.grid();
    if (grid.empty())
        fail(path, "the raster has no cells", errors);
    const int cols = static_cast<int>(raster.cols()), rows = static_cast<int>(raster.rows());

    // The MEM band reads the cells in place; only a masked raster needs a copy, with nodata
    // written into its invalid cells.
    const std::vector<float>& values = raster.values();
    const std::vector<std::uint8_t>& mask = raster.mask();
    assert(mask.empty() || mask.size() == values.size());
    std::vector<float> with_nodata;
    const float* cells = values.data();
    if (!mask.empty()) {
        with_nodata.resize(values.size());
        for (std::size_t i = 0; i < values.size(); ++i)
            with_nodata[i] = mask[i] ? values[i] : nodata;
        cells = with_nodata.data();
    }

    GDALDriver* mem_driver = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* cog_driver = GetGDALDriverManager()->GetDriverByName("COG");
    if (!mem_driver || !cog_driver)
        fail(path, "GDAL lacks the MEM or COG driver", errors);
    GDALDatasetUniquePtr memory(mem_driver->Create("", cols, rows, 0, GDT_Float32, nullptr));
    if (!memory)
        fail(path, "cannot create an in-memory raster", errors);
    // CPLPrintPointer does not terminate the string: the zeroed buffer does.
    char pointer_text[64] = {};
    // The band is only read (by CreateCopy below), so handing GDAL a non-const pointer is safe.
    CPLPrintPointer(pointer_text, const_cast<float*>(cells), sizeof pointer_text - 1);
    const std::string data_pointer = std::string("DATAPOINTER=") + pointer_text;
    const char* band_options[] = { data_pointer.c_str(), nullptr };
    if (memory->AddBand(GDT_Float32, const_cast<char**>(band_options)) != CE_None)
        fail(path, "cannot wrap the cells in an in-memory band", errors);

    double geotransform[6] = { grid.extent().xmin, grid.dx(), 0.0,
                               grid.extent().ymax, 0.0,       -grid.dy() };
    GDALRasterBand* band = memory->GetRasterBand(1);
    if (memory->SetGeoTransform(geotransform) != CE_None ||
        memory->SetSpatialRef(&crs.srs()) != CE_None || band->SetNoDataValue(nodata) != CE_None)
        fail(path, "cannot set the georeferencing or nodata value", errors);
    band->SetDescription(band_description.c_str());

    PartialFile partial(path);
    GDALDatasetUniquePtr written(cog_driver->CreateCopy(partial.path().string().c_str(),
                                                        memory.get(),
                                                        FALSE,
                                                        const_cast<char**>(cog_options),
                                                        nullptr,
                                                        nullptr));
    if (!written)
        fail(path, "GDAL's COG driver failed", errors);
    // Closing flushes the last blocks; write errors (a full disk) surface here as GDAL errors.
    written.reset();
    if (errors.failed())
        fail(path, "writing failed", errors);
    partial.commit();
}

void write_share_qml(const std::filesystem::path& path, double max_share)
{
    if (!(max_share > 0.0) || !std::isfinite(max_share))
        max_share = 1.0;

    struct Stop
    {
        double at; ///< fraction of max_share
        int red, green, blue;
    };
    // Sequential yellow-green: pale at 0 so that empty land recedes, dark green at the maximum.
    const Stop stops[] = {
        { 0.00, 255, 255, 229 }, { 0.25, 217, 240, 163 }, { 0.50, 120, 198, 121 },
        { 0.75, 35, 132, 67 },   { 1.00, 0, 69, 41 },
    };
    const auto hex = [](const Stop& s) {
        char text[8];
        std::snprintf(text, sizeof text, "#%02x%02x%02x", s.red, s.green, s.blue);
        return std::string(text);
    };
    const auto rgba = [](const Stop& s) {
        return std::to_string(s.red) + "," + std::to_string(s.green) + "," +
               std::to_string(s.blue) + ",255";
    };

    std::ostringstream number; // QGIS reads numbers with '.' whatever the user's locale
    number.imbue(std::locale::classic());
    const auto format = [&number](double value, int digits) {
        number.str("");
        number.precision(digits);
        number << value;
        return number.str();
    };
    const std::string max_text = format(max_share, 10);

    std::string gradient_stops;
    for (std::size_t i = 1; i + 1 < std::size(stops); ++i)
        gradient_stops +=
          (gradient_stops.empty() ? "" : ":") + format(stops[i].at, 4) + ";" + rgba(stops[i]);

    std::ostringstream qml;
    qml << "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        << "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">\n"
        << "  <pipe>\n"
        // An empty nodataColor draws nodata cells (the band's nodata value) transparent.
        << "    <rasterrenderer type=\"singlebandpseudocolor\" band=\"1\" opacity=\"1\""
        << " alphaBand=\"-1\" nodataColor=\"\" classificationMin=\"0\" classificationMax=\""
        << max_text << "\">\n"
        << "      <rasterTransparency/>\n"
        // Limits "None": QGIS keeps these classes instead of stretching to the data on load.
        << "      <minMaxOrigin>\n"
        << "        <limits>None</limits>\n"
        << "        <extent>WholeRaster</extent>\n"
        << "        <statAccuracy>Estimated</statAccuracy>\n"
        << "        <cumulativeCutLower>0.02</cumulativeCutLower>\n"
        << "        <cumulativeCutUpper>0.98</cumulativeCutUpper>\n"
        << "        <stdDevFactor>2</stdDevFactor>\n"
        << "      </minMaxOrigin>\n"
        << "      <rastershader>\n"
        << "        <colorrampshader colorRampType=\"INTERPOLATED\" classificationMode=\"1\""
        << " clip=\"0\" minimumValue=\"0\" maximumValue=\"" << max_text
        << "\">\n"
        // The source ramp makes QGIS's "Classify" button keep these colours.
        << "          <colorramp type=\"gradient\" name=\"[source]\">\n"
        << "            <prop k=\"color1\" v=\"" << rgba(stops[0]) << "\"/>\n"
        << "            <prop k=\"color2\" v=\"" << rgba(stops[std::size(stops) - 1]) << "\"/>\n"
        << "            <prop k=\"discrete\" v=\"0\"/>\n"
        << "            <prop k=\"rampType\" v=\"gradient\"/>\n"
        << "            <prop k=\"stops\" v=\"" << gradient_stops << "\"/>\n"
        << "          </colorramp>\n";
    for (const Stop& s : stops) {
        const double value = s.at * max_share;
        qml << "          <item value=\"" << format(value, 10) << "\" color=\"" << hex(s)
            << "\" alpha=\"255\" label=\"" << format(100.0 * value, 4) << "%\"/>\n";
    }
    qml << "        </colorrampshader>\n"
        << "      </rastershader>\n"
        << "    </rasterrenderer>\n"
        << "  </pipe>\n"
        << "</qgis>\n";

    PartialFile partial(path);
    {
        std::ofstream out(partial.path(), std::ios::binary);
        if (!out)
            throw IoError("cannot write '" + path.string() + "': cannot create '" +
                          partial.path().string() + "'");
        out << qml.str();
        out.flush();
        if (!out)
            throw IoError("cannot write '" + path.string() + "' (disk full?)");
    }
    partial.commit();
}

} // namespace landel::io
