-- PostGIS anchor for the tiled-BGT benchmark: the measurement of landel.toml (made by
-- make_case.sh) as a PostGIS user would write it, following docs/semantics.md. Expects the
-- case's otterlo_tiled.gpkg loaded by ogr2ogr with column names kept (LAUNDER=NO) and
-- leaves one row per area in area_result. run_postgis.sh loads, times and exports it.
--
-- Invalid geometries are not repaired here (landel repairs them): the BGT case has none.

-- Patches are judged on the whole source, before any clipping to areas (semantics.md,
-- "Patches and max_patch_ha"), so they cannot be done inside the per-area query: once per
-- source. ST_Union joins polygons that overlap or share an edge, not those that share only a
-- point, and ST_Area of a dumped polygon is net of its holes.
CREATE TABLE small_wood_patch AS
SELECT geom
FROM (SELECT (ST_Dump(ST_Union(geom))).geom AS geom
      FROM begroeidterreindeel
      WHERE class IN ('loofbos', 'gemengd bos', 'naaldbos', 'struiken')) p
WHERE ST_Area(geom) <= 1.5e4;

CREATE TABLE pond_patch AS
SELECT geom
FROM (SELECT (ST_Dump(ST_Union(geom))).geom AS geom
      FROM waterdeel
      WHERE class = 'watervlakte') p
WHERE ST_Area(geom) <= 0.5e4;

-- Every element's footprint with its type's rank in [types] order (lower rank owns
-- overlaps), in one indexed table so the per-area query finds them with one index scan.
-- Lines become strips of their width (flat ends, round joins), points circles of diameter
-- width; 32 segments per quarter circle as in landel.
CREATE TABLE footprint AS
          SELECT 1 AS rank, 'pond' AS type, geom FROM pond_patch
UNION ALL SELECT 2, 'small_wood', geom FROM small_wood_patch
UNION ALL SELECT 3, 'wooded_bank', geom FROM begroeidterreindeel WHERE class = 'houtwal'
UNION ALL SELECT 4, 'orchard', geom FROM begroeidterreindeel WHERE class = 'fruitteelt'
UNION ALL SELECT 5, 'thorn_hedge', geom FROM begroeidterreindeel
          WHERE class = 'groenvoorziening'
            AND "plus-fysiekVoorkomen" IN ('bosplantsoen', 'heesters', 'struikrozen')
UNION ALL SELECT 6, 'hedge', ST_Buffer(geom, 1.5 / 2, 'quad_segs=32 endcap=flat join=round')
          FROM haag
UNION ALL SELECT 7, 'solitary_tree', ST_Buffer(geom, 8 / 2.0, 'quad_segs=32') FROM boom
UNION ALL SELECT 8, 'natural_bank', geom FROM ondersteunendwaterdeel;
CREATE INDEX ON footprint USING gist (geom);

-- The masks in one indexed table too; name is the excl_<name>_ha column.
CREATE TABLE mask AS
          SELECT 'built' AS name, geom FROM pand
UNION ALL SELECT 'roads', geom FROM wegdeel
UNION ALL SELECT 'unvegetated', geom FROM onbegroeidterreindeel;
CREATE INDEX ON mask USING gist (geom);
ANALYZE footprint;
ANALYZE mask;

-- The query for one area. Hectares throughout (ST_Area is in m2 in EPSG:28992).
CREATE FUNCTION measure_area(id text)
RETURNS TABLE (area_id text, area_ha float8, rural_ha float8,
               excl_built_ha float8, excl_roads_ha float8, excl_unvegetated_ha float8,
               element_ha float8,
               ha_pond float8, ha_small_wood float8, ha_wooded_bank float8, ha_orchard float8,
               ha_thorn_hedge float8, ha_hedge float8, ha_solitary_tree float8,
               ha_natural_bank float8)
LANGUAGE sql STABLE AS $$
WITH a AS (
    SELECT geom FROM areas WHERE code = id
),
-- Clip before uniting: the pieces inside A are far smaller than whole roads and buildings.
masked AS (
    SELECT m.name, ST_Union(ST_Intersection(m.geom, a.geom)) AS geom
    FROM a JOIN mask m ON ST_Intersects(m.geom, a.geom)
    GROUP BY m.name
),
rural AS (
    SELECT COALESCE(ST_Difference(a.geom, (SELECT ST_Union(geom) FROM masked)), a.geom) AS geom
    FROM a
),
-- Each type's footprints united, so overlapping elements of one type count once.
typed AS (
    SELECT f.rank, f.type, ST_Intersection(ST_Union(f.geom), r.geom) AS geom
    FROM a JOIN footprint f ON f.geom && a.geom, rural r
    GROUP BY f.rank, f.type, r.geom
),
-- A type owns what no type before it in [types] order covers, so the ha_ columns add up
-- to element_ha.
owned AS (
    SELECT t.type,
           ST_Area(COALESCE(ST_Difference(t.geom, (SELECT ST_Union(e.geom) FROM typed e
                                                  WHERE e.rank < t.rank)),
                            t.geom)) / 1e4 AS ha
    FROM typed t
)
SELECT id,
       ST_Area(a.geom) / 1e4,
       ST_Area(r.geom) / 1e4,
       COALESCE((SELECT ST_Area(geom) FROM masked WHERE name = 'built'), 0) / 1e4,
       COALESCE((SELECT ST_Area(geom) FROM masked WHERE name = 'roads'), 0) / 1e4,
       COALESCE((SELECT ST_Area(geom) FROM masked WHERE name = 'unvegetated'), 0) / 1e4,
       COALESCE((SELECT ST_Area(ST_Union(geom)) FROM typed), 0) / 1e4,
       COALESCE((SELECT ha FROM owned WHERE type = 'pond'), 0),
       COALESCE((SELECT ha FROM owned WHERE type = 'small_wood'), 0),
       COALESCE((SELECT ha FROM owned WHERE type = 'wooded_bank'), 0),
       COALESCE((SELECT ha FROM owned WHERE type = 'orchard'), 0),
       COALESCE((SELECT ha FROM owned WHERE type = 'thorn_hedge'), 0),
       COALESCE((SELECT ha FROM owned WHERE type = 'hedge'), 0),
       COALESCE((SELECT ha FROM owned WHERE type = 'solitary_tree'), 0),
       COALESCE((SELECT ha FROM owned WHERE type = 'natural_bank'), 0)
FROM a, rural r
$$;

-- One query per area.
CREATE TABLE area_result AS
SELECT m.*
FROM areas, LATERAL measure_area(areas.code) m
ORDER BY m.area_id;
