#pragma once
/// @file catalogue_csv.h
/// Reading the bid catalogue: data/catalogue/elements.csv (element types, units, costs) and
/// data/catalogue/mix.csv (element mix per physical-geographic region). Columns are found by
/// their header names, so extra columns (notes, sources) are allowed and carried nowhere.

#include "landel/bid/catalogue.h"
#include "landel/bid/proposal.h"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace landel::io {

/// Reads an element catalogue. Required columns: type, name, unit, m2_per_unit,
/// build_eur_low, build_eur_mid, build_eur_high, manage_eur_per_unit_year,
/// land_eur_per_m2_year, land_years; optional: permanent, plan_width_m, funding, responsible,
/// conditions. Empty cost
/// cells are unknown figures. @throws IoError naming the file, line and column on anything
/// unreadable (a missing column, a number that is not one, an unknown unit, a repeated type).
bid::Catalogue read_catalogue(const std::filesystem::path& path);

/// Reads element mixes: columns region, type, share; one mix per region in order of first
/// appearance, its types in file order. @throws IoError as read_catalogue.
std::vector<bid::Mix> read_mixes(const std::filesystem::path& path);

/// Reads land values: columns land_use, farmland_eur_per_ha, woodland_eur_per_ha (values
/// >= 0, farmland not below woodland); land_use keys are compared case-insensitively and must
/// include "average". @throws IoError as read_catalogue.
std::vector<bid::LandValue> read_land_values(const std::filesystem::path& path);

/// Reads a translation table (data/i18n/labels.csv): columns `en` and @p language, one label
/// or `{}` pattern per row; both cells filled and with as many `{}`. @throws IoError as
/// read_catalogue.
std::vector<std::pair<std::string, std::string>> read_translation_table(
  const std::filesystem::path& path,
  const std::string& language);

/// The rows of a CSV file (RFC 4180: quoted fields may hold commas, quotes as "" and line
/// breaks), the header first. @throws IoError on an unreadable file or an unclosed quote.
std::vector<std::vector<std::string>> read_csv_rows(const std::filesystem::path& path);

} // namespace landel::io
