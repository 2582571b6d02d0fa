# Helpers shared by every folder's CMakeLists.txt.

# add_subdirectory for each listed folder. A listed folder that is missing fails the
# configure step: a missing piece must never quietly shrink the build or the test suite.
function(trader_add_subdirectories)
  foreach(dir IN LISTS ARGN)
    add_subdirectory(${dir})
  endforeach()
endfunction()

# One object library holds the CAF precompiled header; CAF targets reuse it.
if(TRADER_PCH AND NOT TARGET trader_caf_pch)
  add_library(trader_caf_pch OBJECT "${CMAKE_CURRENT_LIST_DIR}/caf_pch.cpp")
  target_link_libraries(trader_caf_pch PUBLIC caf::core)
  target_precompile_headers(trader_caf_pch PRIVATE <caf/all.hpp>)
endif()

# Links CAF into TARGET and reuses the CAF precompiled header.
function(trader_use_caf target)
  target_link_libraries(${target} PUBLIC caf::core)
  if(TRADER_PCH)
    get_target_property(type ${target} TYPE)
    if(NOT type STREQUAL "INTERFACE_LIBRARY")
      target_precompile_headers(${target} REUSE_FROM trader_caf_pch)
    endif()
  endif()
endfunction()

# trader_add_test(NAME SOURCES a.cpp ... LIBS lib ... LABELS l1 l2 [TIMEOUT s] [RUN_SERIAL])
# A GoogleTest executable whose tests ctest discovers, each carrying LABELS. RUN_SERIAL: ctest
# runs each of them alone (for tests that pace a daemon through real-time waits).
function(trader_add_test name)
  cmake_parse_arguments(T "RUN_SERIAL" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  gtest_discover_tests(${name}
    DISCOVERY_TIMEOUT 60
    PROPERTIES TIMEOUT ${T_TIMEOUT}
    WORKING_DIRECTORY "${CMAKE_BINARY_DIR}")
  # gtest_discover_tests flattens a label list passed through PROPERTIES (only the first
  # label would survive), so set the labels from a file ctest includes after discovery,
  # when ${name}_TESTS holds the discovered test names.
  set(labels_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake")
  set(serial "")
  if(T_RUN_SERIAL)
    set(serial " RUN_SERIAL TRUE")
  endif()
  file(WRITE "${labels_file}"
    "if(${name}_TESTS)\n  set_tests_properties(\${${name}_TESTS} PROPERTIES LABELS \"${T_LABELS}\"${serial})\nendif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${labels_file}")
endfunction()

# trader_add_bench(NAME SOURCES a.cpp ... LIBS lib ...)
# A benchmark executable. Contract: when run with no arguments it finishes by itself
# (bounded, loopback only) and prints ONE flat JSON object of figures as the last line of
# stdout, e.g. {"actor_roundtrip_p50_us": 3.1}. `make bench` runs every registered bench
# and merges the objects into bench/results/latest.json.
function(trader_add_bench name)
  cmake_parse_arguments(B "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${B_SOURCES})
  target_link_libraries(${name} PRIVATE ${B_LIBS})
  set_property(GLOBAL APPEND PROPERTY TRADER_BENCHES "$<TARGET_FILE:${name}>")
endfunction()

# Called once at the end of the top-level CMakeLists.txt.
function(trader_write_bench_list)
  get_property(benches GLOBAL PROPERTY TRADER_BENCHES)
  list(JOIN benches "\n" content)
  file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/bench/benches.txt" CONTENT "${content}\n")
endfunction()
