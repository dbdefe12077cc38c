#include "agent/apply/stream.hpp"

#include <catch2/catch.hpp>

using namespace mha::agent;

TEST_CASE("segment_event_at: the body event that starts at a stream offset", "[apply]") {
    const std::vector<SegmentEvent> events{{300, 1, 120}, {350, 1, 170}, {900, 2, 150}};
    REQUIRE(segment_event_at(events, 350));
    CHECK(segment_event_at(events, 350)->source_offset == 170);
    CHECK(segment_event_at(events, 900)->segment == 2);
    CHECK_FALSE(segment_event_at(events, 351));  // inside an event: not a start
    CHECK_FALSE(segment_event_at(events, 100));  // before the body's events (the relay log)
    CHECK_FALSE(segment_event_at({}, 4));
}

TEST_CASE("section_at: the source of the stream part holding an offset", "[apply]") {
    const std::vector<StreamSection> sections{{0, "relay log relay-bin.000002 from 4"},
                                              {500, "request body segment 1"},
                                              {800, "request body segment 2"}};
    CHECK(section_at(sections, 120) == "relay log relay-bin.000002 from 4");
    CHECK(section_at(sections, 500) == "request body segment 1");
    CHECK(section_at(sections, 10'000) == "request body segment 2");
    CHECK(section_at({}, 10).empty());
}
