#include "stages/patch_verdicts.h"

#include "landel/core/error.h"
#include "landel/pipeline/version.h"
#include "stages/landel_bytes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>

namespace landel::pipeline::detail {

using nlohmann::json;

namespace {

std::shared_ptr<const SourcePatches> source_of(const analysis::JudgedPatches* judged,
                                               const analysis::SourceReport& report,
                                               const std::vector<std::int64_t>& fids)
{
    if (!judged)
        return nullptr;
    std::vector<std::size_t> order(std::min(fids.size(), judged->over_limit.size()));
    std::iota(order.begin(), order.end(), std::size_t(0));
    std::sort(
      order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return fids[a] < fids[b]; });
    auto out = std::make_shared<SourcePatches>();
    for (std::size_t i : order) {
        out->fids.push_back(fids[i]);
        out->first_part.push_back(out->over_limit.size());
        for (bool over : judged->over_limit[i])
            out->over_limit.push_back(over ? 1 : 0);
    }
    out->first_part.push_back(out->over_limit.size());
    for (std::size_t at : report.repaired_at)
        out->repaired.push_back(fids[at]);
    out->patches = judged->patches;
    out->over = judged->over;
    out->over_ha = judged->over_ha;
    return out;
}

json to_json(const std::vector<std::shared_ptr<const SourcePatches>>& sources)
{
    json out = json::array();
    for (const auto& s : sources) {
        if (!s) {
            out.push_back(nullptr);
            continue;
        }
        out.push_back({ { "fids", s->fids },
                        { "first_part", s->first_part },
                        { "over_limit", json::binary(s->over_limit) },
                        { "repaired", s->repaired },
                        { "patches", s->patches },
                        { "over", s->over },
                        { "over_ha", s->over_ha } });
    }
    return out;
}

std::vector<std::shared_ptr<const SourcePatches>> from_json(const json& j)
{
    std::vector<std::shared_ptr<const SourcePatches>> out;
    for (const json& s : j) {
        if (s.is_null()) {
            out.push_back(nullptr);
            continue;
        }
        auto p = std::make_shared<SourcePatches>();
        p->fids = s.at("fids").get<std::vector<std::int64_t>>();
        p->first_part = s.at("first_part").get<std::vector<std::size_t>>();
        const auto& bits = s.at("over_limit").get_binary();
        p->over_limit.assign(bits.begin(), bits.end());
        if (p->first_part.size() != p->fids.size() + 1 ||
            p->first_part.back() != p->over_limit.size())
            throw Error("patch verdicts of landel that do not add up");
        p->repaired = s.at("repaired").get<std::vector<std::int64_t>>();
        p->patches = s.at("patches").get<std::size_t>();
        p->over = s.at("over").get<std::size_t>();
        p->over_ha = s.at("over_ha").get<double>();
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace

std::shared_ptr<const analysis::JudgedPatches> SourcePatches::for_features(
  const std::vector<std::int64_t>& fids,
  const std::string& label) const
{
    auto out = std::make_shared<analysis::JudgedPatches>();
    out->over_limit.reserve(fids.size());
    for (std::int64_t fid : fids) {
        const auto it = std::lower_bound(this->fids.begin(), this->fids.end(), fid);
        if (it == this->fids.end() || *it != fid)
            throw Error(label + ": feature " + std::to_string(fid) +
                        " was not there when the patches were judged; judge them again");
        const std::size_t k = std::size_t(it - this->fids.begin());
        out->over_limit.emplace_back(over_limit.begin() + std::ptrdiff_t(first_part[k]),
                                     over_limit.begin() + std::ptrdiff_t(first_part[k + 1]));
    }
    out->patches = patches;
    out->over = over;
    out->over_ha = over_ha;
    return out;
}

PatchVerdicts verdicts_of(const analysis::PatchJudgement& judgement,
                          const std::vector<std::vector<std::int64_t>>& mask_fids,
                          const std::vector<std::vector<std::int64_t>>& element_fids)
{
    PatchVerdicts out;
    for (std::size_t s = 0; s < judgement.masks.size(); ++s)
        out.masks.push_back(
          source_of(judgement.masks[s].get(), judgement.mask_reports[s], mask_fids.at(s)));
    for (std::size_t s = 0; s < judgement.elements.size(); ++s)
        out.elements.push_back(
          source_of(judgement.elements[s].get(), judgement.element_reports[s], element_fids.at(s)));
    return out;
}

std::string to_bytes(const PatchVerdicts& verdicts)
{
    const json j{ { "landel_patches", version() },
                  { "masks", to_json(verdicts.masks) },
                  { "elements", to_json(verdicts.elements) } };
    return cbor_bytes(j);
}

PatchVerdicts patch_verdicts_from_bytes(const std::string& bytes)
{
    const json j = tagged_object(
      bytes, "landel_patches", "patch verdicts", "judge and measure with the same landel");
    try {
        PatchVerdicts v;
        v.masks = from_json(j.at("masks"));
        v.elements = from_json(j.at("elements"));
        return v;
    } catch (const json::exception& e) {
        throw Error(std::string("patch verdicts of landel that cannot be read: ") + e.what());
    }
}

} // namespace landel::pipeline::detail
