# Every dependency comes from Debian 12 packages (scripts/install-deps); nothing is vendored.
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Boost 1.81 EXACT REQUIRED)
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
