# complaints_add_storage_conformance(<target> SOURCES <source>... [LIBRARIES <lib>...])
#
# Builds <target>, a doctest executable running the storage conformance suite
# (the contract of complaints/storage.hpp) against the backend that <source>
# opens: one of them defines complaints::conformance::open_storage()
# (storage_conformance.hpp). LIBRARIES are linked too (the backend's own).
# The suite brings its own main(); run the executable, or add_test() it.
# Needs doctest (find_package(doctest)).
#
# Whoever includes this file sets COMPLAINTS_CONFORMANCE_DIR first: the
# package config to the installed share/complaints/conformance, this tree to
# tests/conformance. It is kept in a global property so that the function
# works from any directory of the host's project.
set_property(GLOBAL PROPERTY complaints_conformance_dir "${COMPLAINTS_CONFORMANCE_DIR}")

function(complaints_add_storage_conformance target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LIBRARIES")
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "complaints_add_storage_conformance(${target}): SOURCES names the file defining "
                        "complaints::conformance::open_storage()")
  endif()
  if(NOT TARGET doctest::doctest)
    find_package(doctest REQUIRED)
  endif()
  get_property(dir GLOBAL PROPERTY complaints_conformance_dir)
  add_executable(${target} "${dir}/storage_conformance.cpp" ${arg_SOURCES})
  target_include_directories(${target} PRIVATE "${dir}")
  target_compile_features(${target} PRIVATE cxx_std_20)
  target_link_libraries(${target} PRIVATE complaints::complaints doctest::doctest ${arg_LIBRARIES})
endfunction()
