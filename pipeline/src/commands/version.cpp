#include "landel/pipeline/version.h"

namespace landel::pipeline {

const char* version()
{
    return LANDEL_VERSION; // from project(VERSION) in CMakeLists.txt
}

} // namespace landel::pipeline
