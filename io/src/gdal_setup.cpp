#include "landel/io/error.h"

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>

#include <mutex>

namespace landel::io {

void initialise_gdal()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // Inputs are never touched: no persistent auxiliary metadata (.aux.xml) beside them.
        CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
        // Curves are linearised by landel itself (getLinearGeometry) with GDAL's defaults.
        GDALAllRegister();
    });
}

} // namespace landel::io
