#include "common/log/throttle.hpp"

#include <catch2/catch.hpp>

using mha::log::Throttle;
using std::chrono::milliseconds;

TEST_CASE("Throttle: first line logged, repeats counted into the next line", "[log]") {
    Throttle throttle(std::chrono::seconds(10));
    const Throttle::Clock::time_point t0{std::chrono::hours(1)};
    REQUIRE(throttle.admit(t0) == std::optional<std::uint64_t>(0));
    for (int i = 1; i <= 9999; ++i) {
        CHECK_FALSE(throttle.admit(t0 + milliseconds(i)));
    }
    const auto next = throttle.admit(t0 + std::chrono::seconds(10));
    REQUIRE(next);
    CHECK(*next == 9999);
    CHECK_FALSE(throttle.admit(t0 + std::chrono::seconds(11)));
    CHECK(throttle.admit(t0 + std::chrono::seconds(25)) == std::optional<std::uint64_t>(1));
}
