#pragma once
/// @file connectivity.h
/// How well an area's landscape elements hang together as a network ([siting],
/// docs/siting.md): the element footprints merged into patches, the components they form at
/// a gap tolerance, and the equivalent connected area
///
///     ECA = sqrt( sum_i sum_j a_i a_j p*_ij )
///
/// of Saura, Estreguil, Mouton & Rodriguez-Freire (2011), "Network analysis to assess
/// landscape connectivity trends: application to European forests (1990-2000)", Ecological
/// Indicators 11:407-416, built on the probability of connectivity of Saura & Pascual-Hortal
/// (2007), "A new habitat availability index to integrate connectivity in landscape
/// conservation planning", Landscape and Urban Planning 83:91-103. a_i are the patches' areas,
/// p_ij = exp(-k d_ij) with d_ij the edge-to-edge distance and k such that p = 0.5 at the
/// dispersal distance, p*_ij the largest product of p over all paths from i to j (p*_ii = 1).
/// Pairs whose p*_ij falls below min_probability count as 0 (Conefor's practice): links
/// longer than dispersal_m * ln(1/min_probability) / ln 2 (997 m at 100 m) are never looked
/// for. A patch adds at least its own area (a_i^2 under the root), so ECA lies between the
/// largest patch and the total patch area.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace landel::analysis {

struct ConnectivitySettings
{
    double gap_m = 25.0;            ///< footprints this close (edge to edge) are one component
    double dispersal_m = 100.0;     ///< the distance at which p_ij = 0.5
    double min_probability = 0.001; ///< p*_ij below this counts as 0
};

struct Connectivity
{
    std::size_t patches = 0;    ///< merged element footprints (the network's nodes)
    double patch_ha = 0.0;      ///< their total area
    std::size_t components = 0; ///< groups of patches linked by gaps <= gap_m
    double largest_component_ha = 0.0;
    double eca_ha = 0.0; ///< equivalent connected area
    /// Ends of the area's line elements in its rural land, and those within gap_m of another
    /// element (measured with the area: AreaMeasure::line_ends); -1: not counted.
    std::int64_t line_ends = -1;
    std::int64_t connected_line_ends = -1;
};

/// The network of one area, kept to tell what a new patch would add to it.
class ElementNetwork
{
public:
    /// As connectivity(); with @p keep_paths the shortest paths between all patches are kept
    /// (n x n distances: 4.7 MB for 771 patches) so that eca_with() can answer.
    ElementNetwork(const std::vector<std::string>& footprints_wkb,
                   const ConnectivitySettings& settings,
                   bool keep_paths);
    ~ElementNetwork();
    ElementNetwork(const ElementNetwork&) = delete;
    ElementNetwork& operator=(const ElementNetwork&) = delete;

    const Connectivity& figures() const;

    /// The ECA (ha) of the network with @p footprint_wkb added as one more patch, exactly: its
    /// own area, its best paths to every patch (a first hop to a patch within reach, then that
    /// patch's best paths), and every pair of patches whose best path now runs through it.
    /// A site touching a patch is a patch of its own at distance 0, which gives the same sum
    /// as the merged patch. Uses this network's GEOS context: one thread at a time.
    double eca_with(const std::string& footprint_wkb) const;

    /// The ECA (ha) with all of @p footprints_wkb added: their union's polygons become patches
    /// of their own (footprints that do not overlap the network's patches, as candidate sites
    /// cut off the elements; one touching a patch is at distance 0, the same sum as merged),
    /// linked to the others, and the shortest paths are searched again — reusing the distances
    /// measured and the links found useless before, which added patches cannot make useful.
    /// Equal to connectivity() of the footprints and the sites together. Afterwards the network
    /// holds the sites: eca_with() refuses to answer.
    double eca_with_all(const std::vector<std::string>& footprints_wkb);

private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

/// The network of one area: @p footprints_wkb are its element footprints (polygonal WKB, any
/// number, may overlap or be empty); they are merged, and each polygon of the union is a patch.
/// @throws InvalidArgument for settings out of range (gap < 0, dispersal <= 0, probability
/// outside (0, 1)).
Connectivity connectivity(const std::vector<std::string>& footprints_wkb,
                          const ConnectivitySettings& settings);

/// connectivity() of every area, areas in parallel on TBB workers; each area's figures are
/// computed in a fixed order, so they are the same for any thread count.
std::vector<Connectivity> area_connectivity(
  const std::vector<std::vector<std::string>>& footprints_wkb,
  const ConnectivitySettings& settings);

/// The distance beyond which two patches are never linked: where p falls below the cutoff.
double link_reach_m(const ConnectivitySettings& settings);

} // namespace landel::analysis
