#pragma once
/// @file shortest_links.h
/// The shortest paths of a network whose links are costly to measure (the edge-to-edge
/// distances of patches), found while measuring few of them.
///
/// The links that shortest paths need are those of the greedy spanner with stretch 1
/// (Althöfer, Das, Dobkin, Joseph & Soares 1993, "On sparse spanners of weighted graphs",
/// Discrete & Computational Geometry 9:81-100): take the links by increasing length, and keep
/// a link only when the links kept so far hold no path between its ends as short as it. Every
/// shortest path then runs over kept links, so all path lengths are exact. Among patches in a
/// landscape almost every long link is beaten by a path over stepping stones (on the real
/// Otterlo BGT 1,601 of 188,822 possible links are kept), so:
/// - the links are taken in the order of a cheap lower bound of their length (the distance of
///   the patches' boxes) and measured only when that bound comes up before a path as short
///   (about 2% of them on Otterlo);
/// - each patch keeps one Dijkstra search, resumed as the lengths grow: since later links are
///   never shorter than the present one, a path length the search has settled below it is
///   final, and a kept link only has to be offered to the searches that settled one of its
///   ends. At the end each search is run out to the reach: every patch's shortest paths.

#include <cstddef>
#include <functional>
#include <utility>
#include <vector>

namespace landel::analysis::detail {

/// Two nodes that may be linked: their link's length is at least lower_m.
struct PossibleLink
{
    std::size_t a = 0, b = 0; ///< a < b
    double lower_m = 0.0;     ///< at most the exact length
    double exact_m = -1.0;    ///< < 0: not measured yet
    /// A path over other links is as short: no shortest path needs this one. Stays true when
    /// nodes are added later (more nodes only give more paths).
    bool dominated = false;
};

/// A path from a search's source: (target, length).
using PathLength = std::pair<std::size_t, double>;

/// The shortest paths up to @p reach_m from every one of @p nodes nodes. @p links are all the
/// links that may be shorter than the reach (their flags and measured lengths are kept for a
/// later call with more nodes); @p measure(p) returns the exact length of link p.
/// @p visit(source, paths) is called for each source in turn with its paths (itself first at
/// length 0), nearest first and equal lengths by node; all within the reach.
void shortest_paths(std::size_t nodes,
                    std::vector<PossibleLink>& links,
                    const std::function<double(std::size_t)>& measure,
                    double reach_m,
                    const std::function<void(std::size_t, const std::vector<PathLength>&)>& visit);

} // namespace landel::analysis::detail
