#!/usr/bin/env bash
# Sanitizer and fuzz checks; scripts/test.sh (and so CI) runs this after the main tests.
#   asan  gcc ASan+UBSan tree (Debug at -O1: asserts on) of the libraries and the unit tests in
#         build-asan/; runs every unit test (ctest -L unit). Any report fails the test.
#   fuzz  clang-14 libFuzzer targets (ASan+UBSan) in build-fuzz/: the config reader, WKB
#         geometry input and the measurement of fuzzed area/element WKB. By default each
#         runs a fixed number of inputs from a fixed seed (about a minute each here): the
#         check does not depend on the machine's speed, and reruns explore largely the same
#         inputs (the load order of equal-sized seeds and memory addresses still vary).
#         LANDEL_FUZZ_SECONDS=N instead fuzzes each target for N seconds from a random seed,
#         to search further (findings go into tests/fuzz/corpus/TARGET as regression seeds).
#         A crash, a sanitizer report, an exception other than landel::Error or a hang (over
#         30 s on one input) fails. Reproducers land in build-fuzz/artifacts/; the corpora
#         grow in build-fuzz/corpus/ (a deterministic check starts from an empty one).
#   style clang-format-14 over every C/C++ file of the tree (--dry-run --Werror: the tree must be
#         formatted as .clang-format says), and clang-tidy-14's readability-function-size over
#         the libraries, the CLI and the bindings: no function over 150 lines (a long method is
#         split into named stages). Uses build/compile_commands.json (scripts/build.sh).
#   tsan  gcc ThreadSanitizer tree of the engine and its tests in build-tsan/; runs every
#         engine test (all parallel). tests/sanitizers/tsan.supp says what it can and cannot
#         see: Debian's TBB and GEOS are not instrumented.
# Usage: scripts/check.sh [style] [asan] [fuzz] [tsan]       (default: all four)
# Environment: LANDEL_FUZZ_SECONDS (unset: the fixed, reproducible budget) per fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
parts=("$@")
if ((${#parts[@]} == 0)); then parts=(style asan fuzz tsan); fi
fuzz_seconds=${LANDEL_FUZZ_SECONDS:-}
jobs=$(nproc)
supp=$root/tests/sanitizers

# Halt on the first report; LeakSanitizer with the project's suppressions.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS=suppressions=$supp/lsan.supp:print_suppressions=0
export TSAN_OPTIONS=suppressions=$supp/tsan.supp:halt_on_error=1:history_size=7:second_deadlock_stack=1

failed=()
summary=()
now() { date +%s; }
note() { echo "check: $*" >&2; }

configure() { # DIR, then cmake arguments; configures once. No CLI, no Python module.
    local dir=$1
    shift
    if [[ ! -f $dir/CMakeCache.txt ]]; then
        mkdir -p "$dir"
        cmake -S . -B "$dir" -G Ninja -DLANDEL_BUILD_CLI=OFF -DLANDEL_BUILD_PYTHON=OFF "$@" \
            >"$dir/configure.log" 2>&1 || { cat "$dir/configure.log" >&2; return 1; }
    fi
}

max_function_lines=150

check_style() {
    local t0 t1 rc=0
    t0=$(now)
    local sources
    mapfile -t sources < <(git ls-files '*.cpp' '*.h' '*.c')
    if ! clang-format-14 --dry-run --Werror "${sources[@]}" 2>build/format.log; then
        grep -m 20 'error:' build/format.log >&2 || true
        note "style: $(grep -c 'error:' build/format.log) lines are not formatted as .clang-format" \
             "says; fix: clang-format-14 -i FILE"
        rc=1
    fi
    # clang-tidy reads the compile commands of the Release tree (without a compiler launcher
    # such as ccache, which it would take for the compiler) and parses as C++17, which CMake
    # leaves implicit for g++ 12.
    local db=build/tidy
    mkdir -p "$db"
    sed -E 's#"command": "[^ "]*ccache #"command": "#' build/compile_commands.json \
        >"$db/compile_commands.json"
    local libraries
    mapfile -t libraries < <(git ls-files 'engine/*.cpp' 'io/*.cpp' 'render/*.cpp' \
        'pipeline/*.cpp' 'cli/*.cpp' 'python/src/*.cpp')
    printf '%s\n' "${libraries[@]}" | xargs -P "$jobs" -n 8 clang-tidy-14 -quiet -p "$db" \
        --extra-arg=-std=c++17 -checks='-*,readability-function-size' \
        -config="{CheckOptions: [{key: readability-function-size.LineThreshold, \
value: $max_function_lines}]}" >build/tidy.log 2>&1 || true
    if grep -q 'readability-function-size' build/tidy.log; then
        grep 'readability-function-size' build/tidy.log | sort -u >&2
        note "style: functions over $max_function_lines lines (split them into named stages)"
        rc=1
    fi
    if grep -q 'clang-diagnostic-error' build/tidy.log; then
        grep -m 5 'clang-diagnostic-error' build/tidy.log >&2
        note "style: clang-tidy could not parse the sources (see build/tidy.log)"
        rc=1
    fi
    t1=$(now)
    summary+=("style: format and function size $((t1 - t0)) s")
    ((rc == 0)) || failed+=("style")
}

check_asan() {
    local t0 t1 t2
    t0=$(now)
    configure build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
        -DLANDEL_SANITIZE=address,undefined -DLANDEL_BUILD_TESTS=ON
    cmake --build build-asan --parallel "$jobs" --target test_engine test_pipeline
    t1=$(now)
    local rc=0
    (cd build-asan && ctest -L unit -j "$jobs" --output-on-failure --timeout 900) || rc=$?
    t2=$(now)
    summary+=("asan: build $((t1 - t0)) s, unit tests $((t2 - t1)) s")
    ((rc == 0)) || failed+=("asan")
}

check_fuzz() {
    local t0 t1 t2
    t0=$(now)
    configure build-fuzz -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DLANDEL_BUILD_FUZZERS=ON -DLANDEL_BUILD_TESTS=OFF
    cmake --build build-fuzz --parallel "$jobs" --target fuzz_config fuzz_wkb fuzz_measure fuzz_seeds
    # Seeds: tests/fuzz/corpus/TARGET (TOML files; past findings) and WKB made from WKT.
    local seeds=build-fuzz/seeds
    mkdir -p "$seeds/config" build-fuzz/artifacts
    build-fuzz/bin/fuzz_seeds "$seeds/wkb" "$seeds/measure" >/dev/null
    t1=$(now)
    local target args rc runs
    for target in config wkb measure; do
        args=()
        case $target in
            config) args=(-dict=tests/fuzz/config.dict -max_len=8192) ;;
            *) args=(-max_len=4096) ;;
        esac
        local budget
        if [[ -n $fuzz_seconds ]]; then
            args+=(-max_total_time="$fuzz_seconds")
            budget="in ${fuzz_seconds} s"
        else
            # Inputs per target for about a minute each on this 2-core machine.
            local -A runs_for=([config]=200000 [wkb]=150000 [measure]=25000)
            args+=(-seed=20261201 -runs="${runs_for[$target]}")
            budget="(fixed seed)"
            rm -rf "build-fuzz/corpus/$target"
        fi
        mkdir -p "build-fuzz/corpus/$target"
        rc=0
        # The first folder is the growing corpus; the seed folders are only read.
        build-fuzz/bin/fuzz_$target "${args[@]}" -timeout=30 \
            -rss_limit_mb=2048 -print_final_stats=1 \
            -artifact_prefix="build-fuzz/artifacts/$target-" "build-fuzz/corpus/$target" \
            "tests/fuzz/corpus/$target" "$seeds/$target" >"build-fuzz/fuzz_$target.log" 2>&1 || rc=$?
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build-fuzz/fuzz_$target.log" | tail -1)
        summary+=("fuzz_$target: ${runs:-?} inputs $budget, corpus $(find "build-fuzz/corpus/$target" -type f | wc -l) files")
        if ((rc != 0)); then
            tail -n 60 "build-fuzz/fuzz_$target.log" >&2
            note "fuzz_$target FAILED (exit $rc); reproducer in build-fuzz/artifacts/$target-*;" \
                 "rerun: build-fuzz/bin/fuzz_$target FILE"
            failed+=("fuzz_$target")
        fi
    done
    t2=$(now)
    summary+=("fuzz: build $((t1 - t0)) s, fuzzing $((t2 - t1)) s")
}

check_tsan() {
    local t0 t1 t2
    t0=$(now)
    configure build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLANDEL_SANITIZE=thread \
        -DLANDEL_BUILD_TESTS=ON
    cmake --build build-tsan --parallel "$jobs" --target test_engine
    t1=$(now)
    local rc=0
    # Every engine test: measurement, delineation, hydrology and the bid all run their stages
    # through TBB, and the thread-count and chunking tests run the same work on one and on
    # several workers. (GDAL, io and pipeline code runs on one thread and is not built here.)
    build-tsan/bin/test_engine >build-tsan/tsan.log 2>&1 || rc=$?
    t2=$(now)
    local ran
    ran=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?.*/\1/p' build-tsan/tsan.log)
    summary+=("tsan: build $((t1 - t0)) s, ${ran:-0} engine tests $((t2 - t1)) s")
    if ((rc != 0)); then
        tail -n 80 build-tsan/tsan.log >&2
        note "tsan FAILED (exit $rc); full log in build-tsan/tsan.log"
        failed+=("tsan")
    fi
}

for part in "${parts[@]}"; do
    case $part in
        style | asan | fuzz | tsan) note "$part"; "check_$part" ;;
        *) echo "usage: scripts/check.sh [style] [asan] [fuzz] [tsan]" >&2; exit 2 ;;
    esac
done
printf 'check: %s\n' "${summary[@]}" >&2
if ((${#failed[@]})); then
    note "FAILED: ${failed[*]}"
    exit 1
fi
note "all clean"
