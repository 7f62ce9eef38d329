#include "stages/landel_bytes.h"

#include "landel/core/error.h"
#include "landel/pipeline/version.h"

#include <cstdint>
#include <vector>

namespace landel::pipeline::detail {

using nlohmann::json;

std::string cbor_bytes(const json& object)
{
    const std::vector<std::uint8_t> cbor = json::to_cbor(object);
    return std::string(cbor.begin(), cbor.end());
}

json tagged_object(const std::string& bytes,
                   const char* tag,
                   const std::string& what,
                   const std::string& advice)
{
    json j;
    try {
        j = json::from_cbor(std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
    } catch (const std::exception&) {
        throw Error("not " + what + " of landel (cannot decode it)");
    }
    if (!j.is_object() || !j.contains(tag) || !j.at(tag).is_string())
        throw Error("not " + what + " of landel");
    if (j.at(tag).get<std::string>() != version())
        throw Error(what + " of landel " + j.at(tag).get<std::string>() + ", not of " + version() +
                    ": " + advice);
    return j;
}

} // namespace landel::pipeline::detail
