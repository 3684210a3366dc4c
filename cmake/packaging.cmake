# Debian packages of the library, made by CPack from the install rules'
# components (docs/packaging.md):
#   libcomplaints0     (component runtime): the shared library and the CLI;
#   libcomplaints-dev  (component dev): headers, the libcomplaints.so link, the
#                      static library, the CMake package, complaints.pc and the
#                      storage conformance suite's sources.
# `cmake --build <dir> --target package` (or `cpack -G DEB` in <dir>) writes
# both .deb files into <dir>. Files go under /usr, in the build's
# CMAKE_INSTALL_LIBDIR: configure with -DCMAKE_INSTALL_PREFIX=/usr for
# Debian's multiarch directory (lib/x86_64-linux-gnu), as GNUInstallDirs gives
# it only for that prefix.

set(CPACK_PACKAGE_NAME complaints)
set(CPACK_PACKAGE_VENDOR "The complaints authors")
set(CPACK_PACKAGE_CONTACT "The complaints authors <maintainers@users.noreply.h-seed-eb63a010.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
# Without debug information (a RelWithDebInfo library is ten times the size);
# the static library keeps its own.
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL runtime dev)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(complaints_deb_version "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")

# The runtime package is named after the SOVERSION (Debian's library policy),
# so an ABI break installs beside the old one.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME libcomplaints${COMPLAINTS_SOVERSION})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
# (Each description follows the one-line summary, CPACK_PACKAGE_DESCRIPTION_SUMMARY.)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "\
complaints handles the customer complaints a field-service product gets
against its quotes, bookings and invoices: a configurable status workflow,
payment holds, discussion, templated customer messages, a hash-chained
timeline and a durable outbox, over SQLite, PostgreSQL or memory.

This package holds the shared library and the complaints command-line tool.")
# What libcomplaints.so.0 and the CLI link, found by dpkg-shlibdeps (dpkg-dev);
# the CLI's libcomplaints.so.0 is this package's own (a directory relative to
# the package's staging root, where dpkg-shlibdeps runs).
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS usr/${CMAKE_INSTALL_LIBDIR})
# A shlibs file, so packages linking libcomplaints.so.0 depend on this one.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# tzdata: business calendars read the system's IANA time zones.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "tzdata")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libcomplaints-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEV_DESCRIPTION "\
complaints handles the customer complaints a field-service product gets
against its quotes, bookings and invoices.

This package holds the C and C++ headers, the libcomplaints.so link, the
static library, the CMake package (find_package(complaints)), the pkg-config
file complaints.pc and the storage conformance suite for a host's own backend.")
# The exact runtime, then what the headers (Boost.Signals2) and the CMake
# package's find_dependency() calls need; the static library links the same.
set(complaints_dev_depends
  "libcomplaints${COMPLAINTS_SOVERSION} (= ${complaints_deb_version})"
  "libboost-dev (>= 1.74)" libsqlite3-dev libsqlitecpp-dev libfmt-dev libssl-dev libhowardhinnant-date-dev)
if(COMPLAINTS_POSTGRES)
  list(APPEND complaints_dev_depends "pkgconf | pkg-config" libpqxx-dev)
endif()
string(JOIN ", " CPACK_DEBIAN_DEV_PACKAGE_DEPENDS ${complaints_dev_depends})

include(CPack)
