#include "stages/dataset_checks.h"

#include "landel/io/dataset_contents.h"

#include <cstdio>

namespace landel::pipeline::detail {

std::string download_date(const DatasetConfig& dataset, io::LayerCache* cache)
{
    std::string latest;
    for (const SourceConfig& layer : dataset.dated_layers) {
        io::VectorRequest r = vector_request(layer);
        r.cache = cache;
        latest = std::max(latest, io::greatest_text(r, dataset.date_fields));
    }
    return latest.substr(0, 10);
}

std::string check_as_of(const Config& config, RunLog& log, io::LayerCache* cache)
{
    if (!config.dataset || !config.dataset->as_of)
        return "";
    const DatasetConfig& d = *config.dataset;
    const std::string date = download_date(d, cache);
    log.info("dataset: '" + d.path.string() + "' dates from " + date +
             " (its latest registration or publication)");
    if (!date.empty() && *d.as_of > date)
        throw ConfigError(config.where(d.line) + ": dataset.as_of " + *d.as_of +
                          " is after the download's own date " + date +
                          " (its latest registration); a later state is not in it");
    return date;
}

void check_coverage(const Config& config, const io::Crs& crs, LoadedInputs& inputs, RunLog& log)
{
    if (!config.dataset || config.dataset->coverage.empty())
        return;
    const DatasetConfig& d = *config.dataset;
    analysis::MeasureRequest request;
    request.areas_label = inputs.request.areas_label;
    request.areas = inputs.request.areas;
    request.study_area_wkb = inputs.request.study_area_wkb;
    request.types = { "surface" };
    request.milestones = inputs.request.milestones; // (unused, but measure() needs them)
    request.density_cell_m = 0.0;
    analysis::ElementSource surfaces;
    surfaces.label = "dataset surfaces";
    for (const SourceConfig& layer : d.coverage) {
        io::VectorRequest r = vector_request(layer);
        r.cache = inputs.layer_cache.get();
        io::VectorSource source(r, crs);
        for (io::VectorFeature& f : source.read()) {
            analysis::ElementFeature e;
            e.wkb = std::move(f.wkb);
            e.fid = f.fid;
            surfaces.features.push_back(std::move(e));
        }
    }
    request.sources.push_back(std::move(surfaces));
    const analysis::MeasureResult covered = analysis::measure(request);
    std::string low;
    std::size_t low_count = 0;
    for (const analysis::AreaMeasure& a : covered.areas) {
        const double share = a.area_ha > 0.0 ? a.type_ha[0] / a.area_ha : 0.0;
        inputs.coverage.emplace_back(a.id, share);
        if (share < d.coverage_min_share) {
            char text[64];
            std::snprintf(text, sizeof text, " %.1f%%", 100.0 * share);
            low += (low.empty() ? "" : ", ") + a.id + text;
            ++low_count;
        }
    }
    if (low_count) {
        char limit[32];
        std::snprintf(limit, sizeof limit, "%.0f%%", 100.0 * d.coverage_min_share);
        log.warning(
          "dataset: the " + d.preset_name + " surfaces " +
          (d.as_of ? "registered on " + *d.as_of : std::string("of the download")) +
          " cover less than " + limit + " of " + std::to_string(low_count) +
          " area(s), so the registry (or the download's extent) was incomplete there: " + low);
    }
}

void warn_rural_definition(const Config& config, RunLog& log)
{
    if (config.dataset)
        for (const std::string& n : config.dataset->notes)
            log.info(n);
    for (const std::string& w : config.rural.warnings)
        log.warning(w);
}

} // namespace landel::pipeline::detail
