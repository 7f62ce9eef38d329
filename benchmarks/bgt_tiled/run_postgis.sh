#!/usr/bin/env bash
# PostGIS anchor for the tiled-BGT benchmark: measures a case made by make_case.sh with
# postgis.sql in a throwaway PostgreSQL 15 cluster and writes a CSV that
# benchmarks/vector/compare_csv.py compares with landel's area_bid.csv.
#
# Usage: benchmarks/bgt_tiled/run_postgis.sh CASE_DIR OUT.csv
# Prints `postgis_sql_seconds N` to stderr: the time of postgis.sql alone (patch tables,
# footprints and the per-area queries), not of starting the cluster or loading the data.
# Needs PostgreSQL 15 with PostGIS (Debian: postgresql-15-postgis-3) and ogr2ogr.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 CASE_DIR OUT.csv" >&2
    exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case_dir=$(cd "$1" && pwd)
out_csv=$2
gpkg=$case_dir/otterlo_tiled.gpkg
[[ -f $gpkg ]] || { echo "run_postgis: $gpkg not found (run make_case.sh)" >&2; exit 1; }

pg_bin=/usr/lib/postgresql/15/bin
if [[ ! -x $pg_bin/initdb ]]; then
    echo "run_postgis: PostgreSQL 15 not found in $pg_bin (Debian: postgresql-15)" >&2
    exit 1
fi
if [[ ! -f $($pg_bin/pg_config --sharedir)/extension/postgis.control ]]; then
    echo "run_postgis: PostGIS not installed for PostgreSQL 15 (Debian: postgresql-15-postgis-3)" >&2
    exit 1
fi

# The server may not run as root: run it as postgres then.
as_owner=()
if [[ $(id -u) -eq 0 ]]; then
    as_owner=(runuser -u postgres --)
fi

tmp=$(mktemp -d /tmp/landel-postgis.XXXXXX)
[[ ${#as_owner[@]} -eq 0 ]] || chown postgres: "$tmp"
cleanup() {
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$tmp"
}
trap cleanup EXIT

# Unix socket only (no TCP), in the temp dir: the port just names the socket, so it cannot
# clash with a cluster already running on this machine.
port=54329
"${as_owner[@]}" "$pg_bin/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 \
    --locale=C >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
# A throwaway cluster needs no crash safety.
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w \
    -o "-k $tmp -p $port -c listen_addresses='' -c fsync=off -c full_page_writes=off" \
    start >/dev/null || { cat "$tmp/server.log" >&2; exit 1; }

psql=(psql -X -q -v ON_ERROR_STOP=1 -h "$tmp" -p "$port" -U postgres)
"${psql[@]}" -d postgres -c "CREATE DATABASE landel"
"${psql[@]}" -d landel -c "CREATE EXTENSION postgis"

# Column names kept as in the GeoPackage ("plus-fysiekVoorkomen"), as the toml's where uses.
ogr2ogr -f PostgreSQL "PG:host=$tmp port=$port user=postgres dbname=landel" "$gpkg" \
    -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST -lco LAUNDER=NO -lco FID=fid
"${psql[@]}" -d landel -c "VACUUM ANALYZE"

start=$(date +%s.%N)
"${psql[@]}" -d landel -f "$here/postgis.sql"
end=$(date +%s.%N)
echo "postgis_sql_seconds $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')" >&2

# Six decimals like area_bid.csv.
columns=$("${psql[@]}" -d landel -At -c "
    SELECT string_agg(CASE WHEN data_type = 'double precision'
                           THEN format('round(%I::numeric, 6) AS %I', column_name, column_name)
                           ELSE quote_ident(column_name) END, ', ' ORDER BY ordinal_position)
    FROM information_schema.columns WHERE table_name = 'area_result'")
"${psql[@]}" -d landel -c "\\copy (SELECT $columns FROM area_result ORDER BY area_id) TO '$out_csv' CSV HEADER"
