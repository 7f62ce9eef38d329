#include "stages/prepared_areas.h"

#include "landel/core/error.h"
#include "landel/pipeline/version.h"
#include "stages/landel_bytes.h"

#include <nlohmann/json.hpp>

namespace landel::pipeline::detail {

using nlohmann::json;

std::string to_bytes(const PreparedAreas& p)
{
    json areas = json::array();
    for (const analysis::AreaFeature& a : p.delineated.areas)
        areas.push_back(
          { { "id", a.id },
            { "name", a.name },
            { "class", a.cls },
            { "wkb", json::binary(std::vector<std::uint8_t>(a.wkb.begin(), a.wkb.end())) } });
    json files = json::array();
    for (const std::filesystem::path& f : p.files)
        files.push_back(f.string());
    json transforms = json::array();
    for (const TransformRecord& t : p.transforms)
        transforms.push_back({ t.source, t.from_crs, t.pipeline });
    const json j = {
        { "landel_prepared_areas", version() }, { "areas", areas }, { "label", p.delineated.label },
        { "notes", p.delineated.notes },        { "files", files }, { "transforms", transforms }
    };
    return cbor_bytes(j);
}

PreparedAreas prepared_areas_from_bytes(const std::string& bytes)
{
    const json j = tagged_object(bytes,
                                 "landel_prepared_areas",
                                 "areas delineated for pieces",
                                 "delineate and measure the pieces with the same landel");
    PreparedAreas p;
    try {
        for (const json& a : j.at("areas")) {
            analysis::AreaFeature f;
            f.id = a.at("id").get<std::string>();
            f.name = a.at("name").get<std::string>();
            f.cls = a.at("class").get<std::string>();
            const auto& wkb = a.at("wkb").get_binary();
            f.wkb.assign(wkb.begin(), wkb.end());
            p.delineated.areas.push_back(std::move(f));
        }
        p.delineated.label = j.at("label").get<std::string>();
        p.delineated.notes = j.at("notes").get<std::vector<std::string>>();
        for (const json& f : j.at("files"))
            p.files.emplace_back(f.get<std::string>());
        for (const json& t : j.at("transforms"))
            p.transforms.push_back({ t.at(0).get<std::string>(),
                                     t.at(1).get<std::string>(),
                                     t.at(2).get<std::string>() });
    } catch (const json::exception& e) {
        throw Error(std::string("areas delineated by landel for pieces are damaged: ") + e.what());
    }
    return p;
}

} // namespace landel::pipeline::detail
