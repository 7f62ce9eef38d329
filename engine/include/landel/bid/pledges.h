#pragma once
/// @file pledges.h
/// The gebiedsbod as the people of an area make it: pledges of participants (farmers,
/// collectives, water board, municipality) to build elements, where and by when, counted
/// against the areas' gaps (docs/bid.md, "Pledges: the gebiedsbod").
///
/// A pledge placed by a geometry is measured by the footprint rules of elements (a line a strip
/// and a point a disc of the catalogue's plan_width_m, a polygon itself), split over the areas
/// it crosses, and counts only where it adds element land: the part on masked land (not rural
/// land), on existing elements or on land an earlier pledge already took does not count. A
/// pledge given by area id and quantity alone counts its quantity's hectares (quantity ×
/// m2_per_unit) in that area, unchecked, since nothing says where it lies.

#include "landel/bid/catalogue.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace landel::bid {

struct Pledge
{
    std::string label; ///< names the pledge in messages, e.g. "'pledges.csv' feature 3"
    std::string participant;
    std::string area_id; ///< the area of a pledge without geometry; ignored with a geometry
    std::string type;    ///< a catalogue type
    std::optional<double> quantity; ///< in the type's unit; required without a geometry
    int year = 0;                   ///< by when it is built
    std::string funder, conditions;
    std::string geometry_wkb; ///< ISO WKB in the run CRS; empty: placed by area_id
};

/// The land of one area that pledges are counted against.
struct PledgeArea
{
    std::string id;
    std::string geometry_wkb;
    std::string rural_wkb;              ///< the rural land; "" when none is known (all land)
    std::vector<std::string> owned_wkb; ///< existing element land per type ("" none)
};

/// The part of one pledge in one area.
struct PledgePart
{
    std::size_t pledge = 0;      ///< position in the pledge list
    std::size_t area = 0;        ///< position in the area list
    bool placed = false;         ///< measured from a geometry (else taken from the quantity)
    double quantity = 0.0;       ///< plan units in this area (the geometry's, pro rata by area)
    double gross_ha = 0.0;       ///< the footprint in the area
    double on_masks_ha = 0.0;    ///< of it, land that is not rural land
    double on_elements_ha = 0.0; ///< of the rest, existing element land
    double on_pledges_ha = 0.0;  ///< of the rest, land earlier pledges took
    double counted_ha = 0.0;     ///< what it adds: gross minus the three above
};

struct PledgeCount
{
    std::vector<PledgePart> parts; ///< by area, then in counting order (year, then list order)
    /// Per pledge: the quantity its geometry gives in all areas together (a point is one unit
    /// per point, anything else its footprint / m2_per_unit); none without a geometry.
    std::vector<std::optional<double>> geometry_quantity;
    std::vector<std::size_t> outside; ///< pledges whose geometry meets no area
};

/// Checks one pledge against the catalogue, the area ids and the first year a pledge may
/// have (the measurement year; none: any). @throws InvalidArgument "<label>: <what>" for a
/// missing participant, a type the catalogue lacks, a negative or missing quantity, a year
/// before @p first_year, an area id that is not an area's, a geometry that is not points,
/// lines or polygons, and a line or point of a type without plan_width_m.
void check_pledge(const Pledge& pledge,
                  const Catalogue& catalogue,
                  const std::vector<PledgeArea>& areas,
                  std::optional<int> first_year);

/// Counts @p pledges (checked) in @p areas: within each area the pledges in order of year,
/// then list order, so the earlier commitment keeps shared land. Areas are counted in
/// parallel; the result does not depend on the number of threads.
PledgeCount count_pledges(const std::vector<Pledge>& pledges,
                          const std::vector<PledgeArea>& areas,
                          const Catalogue& catalogue);

/// landel's own 1-5 score, modelled on the Markemodel's scale where 3 is "on the year's target
/// path": clamp(1 + 2 × realised / path, 1, 5), so nothing is 1, on the path 3 and twice the
/// path 5. With nothing on the path (path ≤ 0) it is 3, or 5 when something was realised all
/// the same.
double pledge_score(double realised, double path);

} // namespace landel::bid
