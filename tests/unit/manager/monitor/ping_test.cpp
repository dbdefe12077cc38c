#include "manager/monitor/ping.hpp"

#include <catch2/catch.hpp>

using namespace mha;
using namespace mha::manager;

TEST_CASE("answered_insert_ping: a read-only refusal of the INSERT ping is an answer",
          "[monitor]") {
    CHECK(answered_insert_ping(config::PingType::Insert, 1290));
    CHECK(answered_insert_ping(config::PingType::Insert, 1836));
    CHECK_FALSE(answered_insert_ping(config::PingType::Insert, 1021));  // disk full: counted
    CHECK_FALSE(answered_insert_ping(config::PingType::Insert, 2013));
    CHECK_FALSE(answered_insert_ping(config::PingType::Select, 1290));
}
