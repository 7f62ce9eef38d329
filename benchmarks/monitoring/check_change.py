#!/usr/bin/python3
"""Checks landel's change.csv (a `landel compare --tolerance-m 0` of two runs) against the
geopandas peer's CSV (geopandas_change.py): per area and type gained_ha and lost_ha equal to
1e-6 ha, and nothing masked (the benchmark's years share their masks). Exit 1 otherwise.

Usage: /usr/bin/python3 check_change.py CHANGE.csv PEER.csv FROM_YEAR TO_YEAR
"""

import sys

import pandas as pd

TOLERANCE_HA = 1e-6


def main():
    change_csv, peer_csv, from_year, to_year = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    landel = pd.read_csv(change_csv, dtype={"area_id": str, "type": str})
    landel = landel[(landel.from_year == from_year) & (landel.to_year == to_year)
                    & ~landel["type"].str.contains("->", regex=False)]
    peer = pd.read_csv(peer_csv, dtype={"area_id": str, "type": str})
    both = landel.merge(peer, on=["area_id", "type"], how="outer", suffixes=("", "_peer"),
                        indicator=True)
    # landel writes a row per area and type; the peer only where a year has the type there
    both = both[both["_merge"] != "right_only"]
    for col in ["gained_ha_peer", "lost_ha_peer"]:
        both[col] = both[col].fillna(0.0)
    bad = 0
    for col in ["gained_ha", "lost_ha"]:
        diff = (both[col] - both[col + "_peer"]).abs()
        worst = diff.max()
        over = both[diff > TOLERANCE_HA]
        print(f"{col}: {len(both)} area x type rows, largest difference {worst:.6f} ha, "
              f"{len(over)} over {TOLERANCE_HA} ha")
        for _, r in over.head(10).iterrows():
            print(f"  {r['area_id']} {r['type']}: landel {r[col]:.6f}, "
                  f"geopandas {r[col + '_peer']:.6f}")
        bad += len(over)
    masked = landel["masked_ha"].abs().max()
    print(f"masked_ha: largest {masked:.6f} ha (expected 0: the years share their masks)")
    sums = both[["gained_ha", "gained_ha_peer", "lost_ha", "lost_ha_peer"]].sum()
    print("totals: gained {:.6f} / {:.6f} ha, lost {:.6f} / {:.6f} ha (landel / geopandas)"
          .format(*sums))
    sys.exit(1 if bad or masked > TOLERANCE_HA else 0)


if __name__ == "__main__":
    main()
