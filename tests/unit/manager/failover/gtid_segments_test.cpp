#include "manager/failover/gtid_segments.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/binlog/event_reader.hpp"
#include "common/binlog/events.hpp"

using mha::gtid::MariadbGtid;
using mha::manager::filter_present_transactions;
using mha::manager::GtidPresence;

namespace {
const std::string kMaster = std::string(MHA_TEST_DATA_DIR) + "/binlog/master-bin.000001";

/// GTIDs and event count of a binlog file.
std::pair<std::vector<std::uint64_t>, std::size_t> gtids_of(const std::string& path) {
    auto reader = mha::binlog::EventReader::open_file(path);
    REQUIRE(reader);
    std::vector<std::uint64_t> seqs;
    std::size_t events = 0;
    while (true) {
        auto e = reader->next();
        REQUIRE(e);
        if (!*e) {
            break;
        }
        ++events;
        if ((*e)->type() == mha::binlog::EventType::MariadbGtid) {
            seqs.push_back(mha::binlog::decode_mariadb_gtid(**e, reader->format())->gtid.seq_no);
        }
    }
    return {seqs, events};
}
}  // namespace

TEST_CASE("GTID filter: drops the event groups the target holds, keeps the rest byte for byte",
          "[failover][gtid]") {
    const auto out = (std::filesystem::temp_directory_path() /
                      ("gtid-filter-" + std::to_string(::getpid()) + ".binlog"))
                         .string();
    auto [all, all_events] = gtids_of(kMaster);
    REQUIRE(all.size() >= 3);
    GtidPresence present;
    present.mariadb = [&](const MariadbGtid& g) { return g.seq_no <= all[1]; };
    auto f = filter_present_transactions(kMaster, out, present);
    REQUIRE(f);
    CHECK(f->skipped == 2);
    CHECK(f->kept == all.size() - 2);
    CHECK(f->skipped_gtids.size() == 2);
    auto [kept, kept_events] = gtids_of(out);
    CHECK(kept == std::vector<std::uint64_t>(all.begin() + 2, all.end()));
    CHECK(kept_events < all_events);
    CHECK(f->mariadb_kept.get(0)->seq_no == all.back());
    SECTION("nothing present: the same events") {
        auto same = filter_present_transactions(kMaster, out, GtidPresence{});
        REQUIRE(same);
        CHECK(same->skipped == 0);
        CHECK(gtids_of(out).second == all_events);
    }
    SECTION("an empty segment (nothing saved) stays empty") {
        const auto empty = out + ".empty";
        std::ofstream(empty).close();
        REQUIRE(filter_present_transactions(empty, out, present));
        CHECK(std::filesystem::file_size(out) == 0);
        std::remove(empty.c_str());
    }
    std::remove(out.c_str());
}
