#include "job/data_dir.h"

#include <cstdlib>

#include <unistd.h>

namespace landel::pipeline::detail {

namespace fs = std::filesystem;

fs::path shipped_data_dir(const std::string& sub, const std::string& probe)
{
    if (const char* env = std::getenv("LANDEL_DATA_DIR"); env && *env)
        return fs::path(env) / sub;
    char exe[4096];
    const ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        const fs::path installed =
          fs::path(exe).parent_path().parent_path() / "share" / "landel" / sub;
        if (fs::is_regular_file(installed / probe))
            return installed;
    }
    return fs::path(LANDEL_SOURCE_DATA_DIR) / sub;
}

} // namespace landel::pipeline::detail
