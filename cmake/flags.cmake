# Language level and warnings for every landel target (consumed through landel::flags).
add_library(landel_flags INTERFACE)
add_library(landel::flags ALIAS landel_flags)
target_compile_features(landel_flags INTERFACE cxx_std_17)
target_compile_options(landel_flags INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow=local -Wno-unused-parameter>
    $<$<BOOL:${LANDEL_WERROR}>:-Werror>)
# Only the thread-safe, reentrant GEOS C API is allowed (one context per thread).
target_compile_definitions(landel_flags INTERFACE GEOS_USE_ONLY_R_API)
set_target_properties(landel_flags PROPERTIES EXPORT_NAME flags)
