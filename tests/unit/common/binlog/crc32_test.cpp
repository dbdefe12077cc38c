#include "common/binlog/crc32.hpp"

#include <zlib.h>

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

using mha::binlog::crc32;

namespace {

std::uint32_t crc_of(const std::string& text) {
    return crc32(0, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::uint32_t zlib_crc(const std::uint8_t* p, std::size_t n) {
    return static_cast<std::uint32_t>(::crc32(0, p, static_cast<uInt>(n)));
}

}  // namespace

TEST_CASE("crc32: known vectors of CRC-32/ISO-HDLC", "[binlog]") {
    INFO("backend " << mha::binlog::crc32_backend());
    CHECK(crc_of("") == 0x00000000U);
    CHECK(crc_of("a") == 0xE8B7BE43U);
    CHECK(crc_of("abc") == 0x352441C2U);
    CHECK(crc_of("123456789") == 0xCBF43926U);
    CHECK(crc_of("The quick brown fox jumps over the lazy dog") == 0x414FA339U);
    const std::vector<std::uint8_t> zeros(32, 0);
    CHECK(crc32(0, zeros.data(), zeros.size()) == 0x190A55ADU);
    const std::vector<std::uint8_t> ones(32, 0xFF);
    CHECK(crc32(0, ones.data(), ones.size()) == 0xFF6CAB0BU);
}

TEST_CASE("crc32: a running value continues over split input", "[binlog]") {
    const std::string text = "123456789";
    const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        INFO("cut at " << cut);
        CHECK(crc32(crc32(0, p, cut), p + cut, text.size() - cut) == 0xCBF43926U);
    }
}

TEST_CASE("crc32: equals zlib's crc32 at odd lengths and alignments", "[binlog]") {
    std::mt19937_64 rng(13);
    std::vector<std::uint8_t> data((1U << 20) + 200);
    for (auto& b : data) {
        b = static_cast<std::uint8_t>(rng());
    }
    SECTION("every length up to 300 at every offset in a cache line") {
        for (std::size_t offset = 0; offset < 64; ++offset) {
            for (std::size_t len = 0; len <= 300; ++len) {
                const std::uint8_t* p = data.data() + offset;
                if (crc32(0, p, len) != zlib_crc(p, len)) {
                    FAIL("offset " << offset << ", length " << len);
                }
            }
        }
    }
    SECTION("random lengths up to 1 MiB, random offsets, split at random points") {
        for (int i = 0; i < 200; ++i) {
            const std::size_t offset = rng() % 129;
            const std::size_t len = rng() % (data.size() - offset);
            const std::size_t cut = len == 0 ? 0 : rng() % len;
            const std::uint8_t* p = data.data() + offset;
            INFO("offset " << offset << ", length " << len << ", cut " << cut);
            REQUIRE(crc32(0, p, len) == zlib_crc(p, len));
            REQUIRE(crc32(crc32(0, p, cut), p + cut, len - cut) == zlib_crc(p, len));
        }
    }
}
