# Language level and warnings for every landel target (consumed through landel::flags).
add_library(landel_flags INTERFACE)
add_library(landel::flags ALIAS landel_flags)
target_compile_features(landel_flags INTERFACE cxx_std_17)
target_compile_options(landel_flags INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic>
    $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local> # clang (the fuzz build) has no -Wshadow=local
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wno-unused-parameter>
    $<$<BOOL:${LANDEL_WERROR}>:-Werror>)
# Only the thread-safe, reentrant GEOS C API is allowed (one context per thread).
target_compile_definitions(landel_flags INTERFACE GEOS_USE_ONLY_R_API)
set_target_properties(landel_flags PROPERTIES EXPORT_NAME flags)

# Sanitizers (scripts/check.sh) go on every target of the tree, compiled and linked alike;
# they are not part of landel_flags, so the installed targets never carry them.
if(LANDEL_BUILD_FUZZERS)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
        message(FATAL_ERROR "LANDEL_BUILD_FUZZERS needs clang's libFuzzer: "
                            "-DCMAKE_CXX_COMPILER=clang++-14 (Debian: clang-14, libclang-rt-14-dev)")
    endif()
    if(NOT LANDEL_SANITIZE)
        set(LANDEL_SANITIZE address,undefined)
    endif()
    # Coverage feedback from every landel library; the fuzz targets add libFuzzer's main.
    add_compile_options(-fsanitize=fuzzer-no-link)
endif()
if(LANDEL_SANITIZE)
    add_compile_options(-fsanitize=${LANDEL_SANITIZE} -fno-omit-frame-pointer)
    add_link_options(-fsanitize=${LANDEL_SANITIZE})
    if(LANDEL_SANITIZE MATCHES "undefined")
        add_compile_options(-fno-sanitize-recover=undefined) # a UB report fails the test
    endif()
endif()

# landel_library(NAME SOURCES...): one of landel's libraries, `landel_NAME`, exported as
# `landel::NAME` with its public headers in NAME's include/ (position-independent code: the
# Python module links them into a shared object).
function(landel_library name)
    add_library(landel_${name} ${ARGN})
    add_library(landel::${name} ALIAS landel_${name})
    target_include_directories(landel_${name} PUBLIC
        $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    set_target_properties(landel_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON
                                                    EXPORT_NAME ${name})
endfunction()
