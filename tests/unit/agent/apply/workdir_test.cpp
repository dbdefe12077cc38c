#include "agent/apply/workdir.hpp"

#include <catch2/catch.hpp>

using namespace mha::agent;

TEST_CASE("apply_dirs_to_prune: the newest stay", "[apply]") {
    std::vector<ApplyDir> dirs{{"w/apply-1", 100},
                               {"w/apply-5", 500},
                               {"w/apply-3", 300},
                               {"w/apply-4", 400},
                               {"w/apply-2", 200}};
    auto doomed = apply_dirs_to_prune(dirs, 3);
    std::sort(doomed.begin(), doomed.end());
    CHECK(doomed == std::vector<std::string>{"w/apply-1", "w/apply-2"});
    SECTION("fewer than kept: none go") { CHECK(apply_dirs_to_prune(dirs, 9).empty()); }
    SECTION("keep 0: all go") { CHECK(apply_dirs_to_prune(dirs, 0).size() == 5); }
    SECTION("equal times: ordered by name, the greater is newer") {
        auto tie = apply_dirs_to_prune({{"w/apply-a", 1}, {"w/apply-b", 1}}, 1);
        CHECK(tie == std::vector<std::string>{"w/apply-a"});
    }
}
