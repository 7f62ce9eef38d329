#pragma once
/// @file resample.h
/// How a raster in another CRS than the run reaches the run CRS.

namespace landel {

/// Not at all (an error naming both CRSs), or warped onto the run CRS with nearest neighbour
/// (class codes) or bilinear interpolation (elevations).
enum class Resample
{
    None,
    Nearest,
    Bilinear
};

/// The config's spelling ("none" for Resample::None).
inline const char* to_string(Resample r)
{
    switch (r) {
        case Resample::Nearest:
            return "nearest";
        case Resample::Bilinear:
            return "bilinear";
        case Resample::None:
            break;
    }
    return "none";
}

} // namespace landel
