# Every dependency comes from Debian 12 packages (scripts/install-deps); nothing is vendored.
# (The RPM spec compiles against the headers of the Boost 1.81 tarball on RHEL < 10: see Boost.)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
# Boost is used header-only (Asio, Beast; no Boost library is linked): the code needs >= 1.77
# (asio::experimental::as_tuple) and is built and tested with 1.81 only, hence EXACT. Without a
# system Boost 1.81, an unpacked release tarball (its boost/ header tree) does.
find_package(Boost 1.81 EXACT)
if(NOT Boost_FOUND)
    if(Boost_VERSION_STRING)
        set(mha_boost_seen "found ${Boost_VERSION_STRING} in ${Boost_INCLUDE_DIR}")
    else()
        set(mha_boost_seen "no Boost headers found")
    endif()
    message(FATAL_ERROR "Boost 1.81 (headers only) is required: ${mha_boost_seen}. Install it "
        "(Debian 12: libboost-dev) or point CMake at a Boost 1.81 header tree such as an unpacked "
        "boost_1_81_0.tar.bz2 (only its boost/ directory is needed): "
        "-DBOOST_ROOT=/path/to/boost_1_81_0 -DBoost_NO_SYSTEM_PATHS=ON -DBoost_NO_BOOST_CMAKE=ON "
        "(packaging/rpm/mha.spec does this on RHEL < 10).")
endif()
find_package(nlohmann_json 3 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tl-expected REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(MYSQLCLIENT REQUIRED IMPORTED_TARGET libmariadb)
# Binlog CRC32 (libisal-dev, Intel ISA-L); without it common/binlog falls back to zlib's
# slower crc32.
pkg_check_modules(ISAL IMPORTED_TARGET libisal)
if(MHA_BUILD_TESTS)
    find_package(Catch2 2 REQUIRED)
    include(Catch)
endif()
