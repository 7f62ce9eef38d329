#include "landel/pipeline/pieces.h"
#include "commands/piece_copies.h"

#include "job/finish.h"
#include "job/frame.h"
#include "job/output_target.h"
#include "job/progress.h"
#include "landel/analysis/measurement/merged_measurement.h"
#include "landel/core/error.h"
#include "landel/core/z_order.h"
#include "landel/geometry/ops.h"
#include "landel/io/indexed_copy.h"
#include "landel/pipeline/version.h"
#include "stages/bid_stage.h"
#include "stages/dataset_checks.h"
#include "stages/inputs.h"
#include "stages/measurement.h"
#include "stages/monitoring_outputs.h"
#include "stages/partial_result.h"
#include "stages/patch_verdicts.h"
#include "stages/prepared_areas.h"
#include "stages/run_outputs.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <set>

namespace landel::pipeline {

namespace fs = std::filesystem;

namespace {

/// The summary of several pieces' reports on one source. Feature and repair counts are
/// merged by feature id (ids_merged); patches are judged on the whole source by every piece,
/// so their counts are any piece's; a raster's cells come from the merged raster sums.
void merge_report(analysis::SourceReport& into, const analysis::SourceReport& r)
{
    into.patches = std::max(into.patches, r.patches);
    into.dropped_patches = std::max(into.dropped_patches, r.dropped_patches);
    into.dropped_patch_ha = std::max(into.dropped_patch_ha, r.dropped_patch_ha);
    into.inside_rural_land = into.inside_rural_land || r.inside_rural_land;
}

void merge_reports(std::vector<analysis::SourceReport>& into,
                   const std::vector<analysis::SourceReport>& add)
{
    if (into.empty()) {
        into = add;
        return;
    }
    for (std::size_t i = 0; i < into.size() && i < add.size(); ++i)
        merge_report(into[i], add[i]);
}

/// The ids of the features of each vector source a piece read (@p read, per source) and, of
/// those, repaired (at the positions its @p reports name).
std::vector<detail::SourceIds> ids_of(std::vector<std::vector<std::int64_t>> read,
                                      const std::vector<analysis::SourceReport>& reports)
{
    std::vector<detail::SourceIds> out(read.size());
    for (std::size_t s = 0; s < read.size(); ++s) {
        if (s < reports.size())
            for (std::size_t at : reports[s].repaired_at)
                out[s].repaired.push_back(read[s][at]);
        out[s].read = std::move(read[s]);
    }
    return out;
}

/// The features of each source read by any piece, by id: pieces of nearby areas read some
/// features alike, and each feature counts once, so the counts are the whole run's.
struct MergedIds
{
    std::vector<std::vector<std::int64_t>> read, repaired;

    void add(const std::vector<detail::SourceIds>& piece)
    {
        read.resize(std::max(read.size(), piece.size()));
        repaired.resize(read.size());
        for (std::size_t s = 0; s < piece.size(); ++s) {
            read[s].insert(read[s].end(), piece[s].read.begin(), piece[s].read.end());
            repaired[s].insert(
              repaired[s].end(), piece[s].repaired.begin(), piece[s].repaired.end());
        }
    }

    /// Sets the reports' feature and repair counts to the distinct ids.
    void count_into(std::vector<analysis::SourceReport>& reports)
    {
        for (std::size_t s = 0; s < reports.size() && s < read.size(); ++s) {
            reports[s].features = distinct(read[s]);
            reports[s].repaired = distinct(repaired[s]);
            reports[s].repaired_at.clear(); // positions in one piece's features only
        }
    }

    static std::size_t distinct(std::vector<std::int64_t>& ids)
    {
        std::sort(ids.begin(), ids.end());
        return std::size_t(std::unique(ids.begin(), ids.end()) - ids.begin());
    }
};

template<class T>
void append_once(std::vector<T>& into, const std::vector<T>& add)
{
    for (const T& x : add)
        if (std::find(into.begin(), into.end(), x) == into.end())
            into.push_back(x);
}

/// Removes the warnings starting with @p prefix (and, when given, ending with @p suffix) and
/// puts @p replacement (unless empty) where the first of them stood, or at the end.
void replace_warnings(std::vector<std::string>& warnings,
                      const std::string& prefix,
                      const std::string& replacement,
                      const std::string& suffix = {})
{
    const auto starts = [&](const std::string& w) {
        return w.rfind(prefix, 0) == 0 && w.size() >= prefix.size() + suffix.size() &&
               w.compare(w.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    const std::size_t at =
      std::size_t(std::find_if(warnings.begin(), warnings.end(), starts) - warnings.begin());
    warnings.erase(std::remove_if(warnings.begin(), warnings.end(), starts), warnings.end());
    if (!replacement.empty())
        warnings.insert(warnings.begin() + std::ptrdiff_t(std::min(at, warnings.size())),
                        replacement);
}

/// The vector features a piece read near its areas (patch sources not judged beforehand:
/// whole), all sources.
std::size_t features_read(const detail::PartialResult& p)
{
    std::size_t n = 0;
    for (const auto* ids : { &p.mask_ids, &p.element_ids })
        for (const detail::SourceIds& s : *ids)
            n += s.read.size();
    return n;
}

/// The warnings on sources that count features, said again from the merged counts in place
/// of each piece's: repairs, and masks that select nothing.
void warn_as_merged(analysis::MeasureResult& result)
{
    for (const auto* reports : { &result.mask_reports, &result.element_reports })
        for (const analysis::SourceReport& r : *reports)
            replace_warnings(result.warnings,
                             r.label + ": ",
                             r.repaired ? analysis::repaired_warning(r) : "",
                             analysis::repaired_warning_tail);
    for (const analysis::SourceReport& r : result.mask_reports)
        replace_warnings(result.warnings,
                         r.label + ": selects no features",
                         r.features == 0 ? r.label + analysis::mask_selects_nothing_tail : "");
}

/// The analysis cells a piece's raster pass read: its chunks' (each raster reads them all).
std::uint64_t raster_cells(const analysis::RasterPassSums& sums)
{
    std::uint64_t cells = 0;
    for (const analysis::ChunkCells& c : sums.chunks)
        cells += c.read.empty() ? 0 : c.read.front();
    return cells;
}

/// "Selects no element" is about the whole run: kept only when every piece found nothing.
void keep_what_every_piece_found_empty(std::map<std::string, std::size_t>& warning_count,
                                       std::size_t pieces,
                                       std::vector<std::string>& warnings)
{
    warnings.erase(std::remove_if(warnings.begin(),
                                  warnings.end(),
                                  [&](const std::string& w) {
                                      return w.find("selects no element") != std::string::npos &&
                                             warning_count[w] < pieces;
                                  }),
                   warnings.end());
}

/// A source whose patches were judged on the whole source was read whole, once, for every
/// piece: its features and repairs are the whole source's, as in landel run.
void count_as_whole(const std::vector<std::shared_ptr<const detail::SourcePatches>>& judged,
                    std::vector<detail::SourceIds>& ids)
{
    for (std::size_t s = 0; s < judged.size() && s < ids.size(); ++s) {
        if (!judged[s])
            continue;
        ids[s].read = judged[s]->fids;
        ids[s].repaired = judged[s]->repaired;
    }
}

} // namespace

std::string judge_patches(const Config& config, const std::vector<LayerCopy>& copies)
{
    const auto has_rule = [&] {
        for (const MaskConfig& m : config.masks)
            if (!m.raster() && m.min_patch_ha)
                return true;
        for (const ElementConfig& e : config.elements)
            if (!e.raster() && e.max_patch_ha)
                return true;
        return false;
    };
    if (!has_rule())
        return {};
    RunLog log;
    const io::Crs crs = detail::run_crs(config);
    AreaScope scope;
    scope.patch_sources_only = true;
    const detail::LoadedInputs inputs =
      detail::load_inputs(config, crs, log, true, {}, scope, detail::by_source(copies));
    std::vector<std::vector<std::int64_t>> element_fids;
    for (const analysis::ElementSource& src : inputs.request.sources) {
        element_fids.emplace_back();
        for (const analysis::ElementFeature& f : src.features)
            element_fids.back().push_back(f.fid);
    }
    const analysis::PatchJudgement judged = analysis::judge_patches(inputs.request);
    return detail::to_bytes(detail::verdicts_of(judged, inputs.mask_fids, element_fids));
}

fs::path copies_folder(const Config& config, const std::optional<fs::path>& out)
{
    const fs::path output = fs::absolute(detail::output_target(config, out).path);
    return output.parent_path() / ".landel-cache";
}

std::vector<LayerCopy> index_sources(const Config& config, const fs::path& folder, bool verify)
{
    std::vector<LayerCopy> copies;
    for (const io::VectorRequest& request : detail::vector_inputs(config)) {
        const std::string key = io::layer_key(request);
        if (std::any_of(
              copies.begin(), copies.end(), [&](const LayerCopy& c) { return c.source == key; }))
            continue; // one copy for every source reading the layer (a preset's rows)
        const std::string named = "'" + request.path.string() + "'" +
                                  (request.layer.empty() ? "" : " layer '" + request.layer + "'");
        if (auto copy = io::indexed_copy(request, folder, version(), verify))
            copies.push_back({ key, named, copy->path, copy->files, copy->reused });
    }
    return copies;
}

std::string delineate_for_pieces(const Config& config, const Progress& progress)
{
    if (config.areas.method == AreasMethod::Given)
        return {};
    RunLog log;
    const io::Crs crs = detail::run_crs(config);
    detail::LoadedInputs inputs = detail::load_areas_only(config, crs, log, progress);
    detail::PreparedAreas prepared;
    prepared.delineated.areas = std::move(inputs.request.areas);
    prepared.delineated.label = inputs.request.areas_label;
    prepared.delineated.notes = std::move(inputs.delineation_notes);
    prepared.files = std::move(inputs.files);
    prepared.transforms = std::move(inputs.transforms);
    return detail::to_bytes(prepared);
}

std::vector<std::vector<std::size_t>> plan_pieces(const Config& config,
                                                  std::size_t pieces,
                                                  const std::string& delineated)
{
    if (pieces == 0)
        throw Error("plan_pieces: ask for at least one piece");
    RunLog log;
    const io::Crs crs = detail::run_crs(config);
    AreaScope scope;
    scope.delineated_areas = delineated;
    const detail::LoadedInputs inputs = detail::load_areas_only(config, crs, log, {}, scope);
    const auto& areas = inputs.request.areas;
    geometry::GeosContext ctx;
    std::vector<double> cx(areas.size()), cy(areas.size());
    Box all;
    for (std::size_t i = 0; i < areas.size(); ++i) {
        const Box b = geometry::envelope(ctx, geometry::from_wkb(ctx, areas[i].wkb).get());
        cx[i] = 0.5 * (b.xmin + b.xmax);
        cy[i] = 0.5 * (b.ymin + b.ymax);
        all.expand(b);
    }
    std::vector<std::pair<std::uint64_t, std::size_t>> keyed;
    for (std::size_t i = 0; i < areas.size(); ++i)
        keyed.emplace_back(z_order_key(cx[i], cy[i], all), i);
    std::sort(keyed.begin(), keyed.end());
    const std::size_t n = std::min(pieces, std::max<std::size_t>(areas.size(), 1));
    std::vector<std::vector<std::size_t>> plan(n);
    for (std::size_t k = 0; k < keyed.size(); ++k)
        plan[k * n / keyed.size()].push_back(keyed[k].second);
    for (auto& piece : plan)
        std::sort(piece.begin(), piece.end());
    plan.erase(std::remove_if(plan.begin(), plan.end(), [](const auto& p) { return p.empty(); }),
               plan.end());
    return plan;
}

std::string measure_piece(const Config& config,
                          const std::vector<std::size_t>& positions,
                          const Progress& progress,
                          const std::vector<LayerCopy>& copies,
                          const std::string& patches,
                          const std::string& delineated)
{
    if (positions.empty())
        throw Error("measure_piece: a piece needs at least one area");
    RunLog log;
    const io::Crs crs = detail::run_crs(config);
    AreaScope scope;
    scope.piece_areas = positions;
    scope.delineated_areas = delineated;
    const auto start = std::chrono::steady_clock::now();
    detail::PartialResult p;
    std::optional<detail::PatchVerdicts> verdicts;
    if (!patches.empty())
        verdicts = detail::patch_verdicts_from_bytes(patches);
    p.inputs = detail::load_inputs(config,
                                   crs,
                                   log,
                                   true,
                                   detail::progress_slice(progress, 0.0, 0.2),
                                   scope,
                                   detail::by_source(copies),
                                   verdicts ? &*verdicts : nullptr);
    p.timings.emplace_back(
      "read", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    p.result = detail::measure_loaded(config,
                                      p.inputs,
                                      detail::progress_slice(progress, 0.2, 1.0),
                                      p.timings,
                                      detail::DensityRaster::LeaveToMerge);
    p.result.density = {};
    std::vector<std::vector<std::int64_t>> element_fids;
    for (const analysis::ElementSource& src : p.inputs.request.sources) {
        element_fids.emplace_back();
        for (const analysis::ElementFeature& f : src.features)
            element_fids.back().push_back(f.fid);
    }
    p.mask_ids = ids_of(std::move(p.inputs.mask_fids), p.result.mask_reports);
    p.element_ids = ids_of(std::move(element_fids), p.result.element_reports);
    p.features_read = features_read(p);
    if (verdicts) { // the sources judged whole count as read whole
        count_as_whole(verdicts->masks, p.mask_ids);
        count_as_whole(verdicts->elements, p.element_ids);
    }
    p.inputs.request = {};
    p.positions = positions;
    p.total_areas = p.inputs.areas_total; // so that the merge can tell a missing piece
    return detail::to_bytes(p);
}

RunOutcome merge_pieces(const Config& config,
                        const std::vector<std::string>& partials,
                        const RunOptions& options,
                        const std::vector<LayerCopy>& copies)
{
    return detail::run_as_job(config, options, [&](RunLog& log) {
        log.info(std::string("landel ") + version() + " merge of " +
                 std::to_string(partials.size()) + " pieces of " + config.file.string());
        if (partials.empty())
            throw Error("merge_pieces: no partial results");
        for (const LayerCopy& c : copies)
            log.info(c.label + ": the pieces read its indexed copy '" + c.copy.string() + "' (" +
                     (c.reused ? "made by an earlier run" : "made for this run") + ")");
        const detail::OutputTarget target = detail::output_target(config, options.out);
        const io::Crs crs = detail::run_crs(config);
        StagedFolder folder(
          target.path, target.as_given, options.overwrite, detail::config_paths(config));
        detail::BidSetup bid_setup = detail::load_bid_setup(config);

        analysis::MeasureResult result;
        detail::LoadedInputs inputs;
        std::map<std::string, double> timing_sums;
        std::vector<std::string> timing_order;
        std::vector<char> filled;
        std::map<std::string, std::size_t> warning_count;
        MergedIds mask_ids, element_ids;
        analysis::RasterPassSums raster_sums;
        std::size_t total = 0;
        for (std::size_t k = 0; k < partials.size(); ++k) {
            detail::PartialResult p = detail::partial_from_bytes(partials[k]);
            if (k == 0) {
                total = p.total_areas;
                result.areas.resize(total);
                filled.assign(total, 0);
                result.areas_report = p.result.areas_report;
                inputs.type_kinds = p.inputs.type_kinds;
                inputs.delineation_notes = p.inputs.delineation_notes;
                result.analysis_grid = p.result.analysis_grid;
                // A configured study area is read whole by every piece: any piece's is the
                // run's (without one, the union of all areas, made below).
                result.study_area_wkb = p.result.study_area_wkb;
                result.study_area_ha = p.result.study_area_ha;
            } else if (p.total_areas != total) {
                throw Error("merge_pieces: piece " + std::to_string(k) + " was planned on " +
                            std::to_string(p.total_areas) + " areas, the first on " +
                            std::to_string(total) + "; the inputs changed between pieces");
            }
            for (std::size_t i = 0; i < p.positions.size(); ++i) {
                const std::size_t at = p.positions[i];
                if (at >= total || filled[at])
                    throw Error("merge_pieces: area position " + std::to_string(at) +
                                " is measured twice or "
                                "does not exist; give each planned piece once");
                filled[at] = 1;
                result.areas[at] = std::move(p.result.areas[i]);
            }
            for (std::size_t t = 0; t < inputs.type_kinds.size() && t < p.inputs.type_kinds.size();
                 ++t)
                inputs.type_kinds[t] |= p.inputs.type_kinds[t];
            if (k > 0) { // the areas are split between the pieces: their counts add up
                result.areas_report.features += p.result.areas_report.features;
                result.areas_report.repaired += p.result.areas_report.repaired;
            }
            detail::LoadedInputs::PieceRead read{
                p.positions.size(), p.features_read, raster_cells(p.result.raster_sums), 0.0
            };
            for (const auto& [stage, s] : p.timings)
                if (stage == "read")
                    read.read_s = s;
            inputs.pieces.push_back(read);
            log.info("piece " + std::to_string(k + 1) + " of " + std::to_string(partials.size()) +
                     ": " + std::to_string(read.areas) + " areas, " +
                     std::to_string(read.features_read) + " vector features read" +
                     (read.raster_cells_read
                        ? ", " + std::to_string(read.raster_cells_read) + " raster cells"
                        : std::string()));
            mask_ids.add(p.mask_ids);
            element_ids.add(p.element_ids);
            merge_reports(result.mask_reports, p.result.mask_reports);
            merge_reports(result.element_reports, p.result.element_reports);
            merge_reports(result.raster_mask_reports, p.result.raster_mask_reports);
            merge_reports(result.raster_element_reports, p.result.raster_element_reports);
            raster_sums.add(p.result.raster_sums);
            append_once(result.raster_notes, p.result.raster_notes);
            for (const std::string& w : p.result.warnings)
                ++warning_count[w];
            append_once(result.warnings, p.result.warnings);
            append_once(inputs.files, p.inputs.files);
            for (const auto& t : p.inputs.transforms)
                if (std::none_of(inputs.transforms.begin(),
                                 inputs.transforms.end(),
                                 [&](const auto& x) { return x.source == t.source; }))
                    inputs.transforms.push_back(t);
            append_once(inputs.warped_rasters, p.inputs.warped_rasters);
            for (const auto& [stage, s] : p.timings) {
                if (!timing_sums.count(stage))
                    timing_order.push_back(stage);
                timing_sums[stage] += s; // CPU time over all pieces
            }
        }
        const auto missing = std::count(filled.begin(), filled.end(), char(0));
        if (missing > 0)
            throw Error("merge_pieces: " + std::to_string(missing) + " of " +
                        std::to_string(total) +
                        " areas are in no partial result; give every planned piece");
        mask_ids.count_into(result.mask_reports);
        element_ids.count_into(result.element_reports);
        warn_as_merged(result);

        keep_what_every_piece_found_empty(warning_count, partials.size(), result.warnings);
        // Warnings about areas that look across pieces: found again over all areas, in place
        // of what each piece found among its own.
        const std::string& label = result.areas_report.label;
        const analysis::MergedAreas merged(result);
        if (!config.study_area)
            std::tie(result.study_area_wkb, result.study_area_ha) = merged.union_of_areas();
        analysis::AreaOverlaps overlaps = merged.overlaps(label);
        replace_warnings(result.warnings,
                         label + ": areas outside the study area",
                         merged.outside_study_warning(label));
        replace_warnings(result.warnings, label + ": overlapping areas,", overlaps.warning);
        // Each piece counted the repairs of its own areas.
        replace_warnings(
          result.warnings,
          label + ": ",
          result.areas_report.repaired ? analysis::repaired_warning(result.areas_report) : "",
          analysis::repaired_warning_tail);
        // The density raster over all areas: a vector-only run's from the owned geometry, a
        // raster run's from the sums of the pieces' cell passes, which measured on the whole
        // run's grid and chunks (raster_pass_sums.h); with the cells each raster read.
        result.overlapping_areas = std::move(overlaps.pairs);
        if (result.analysis_grid.empty())
            result.density = merged.element_density(config.density_cell_m);
        else
            analysis::apply_raster_sums(raster_sums, result);
        std::vector<std::pair<std::string, double>> timings;
        for (const std::string& stage : timing_order)
            timings.emplace_back("pieces." + stage, timing_sums[stage]);
        // The coverage check of a [dataset] is not made in pieces (docs/presets.md).
        detail::warn_rural_definition(config, log);
        inputs.download_date = detail::check_as_of(config, log);
        detail::MeasuredRun measured{ crs,
                                      std::move(inputs),
                                      std::move(result),
                                      std::move(bid_setup),
                                      std::move(timings),
                                      detail::read_earlier_runs(config, log) };
        const RunOutcome totals = detail::write_run(config, measured, folder, options, log);
        return detail::finish_job(folder, log, options.progress, totals);
    });
}

} // namespace landel::pipeline
