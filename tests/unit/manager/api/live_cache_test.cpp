#include <atomic>
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "manager/api/live_view.hpp"

using mha::manager::api::LiveCache;
using mha::manager::api::LiveView;
using mha::manager::service::ClusterInfo;

namespace {

ClusterInfo info(const std::string& app) {
    ClusterInfo c;
    c.app = app;
    c.conf = "/etc/mha/" + app + ".cnf";
    return c;
}

}  // namespace

TEST_CASE("live cache: a scrape storm reads each cluster once per ttl", "[api]") {
    std::atomic<int> reads{0};
    LiveCache cache(std::chrono::hours(1), [&reads](const ClusterInfo& c) {
        ++reads;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a read in flight
        LiveView v;
        v.config_error = c.app;
        return v;
    });
    std::vector<std::future<void>> scrapes;
    for (int i = 0; i < 8; ++i) {
        scrapes.push_back(std::async(std::launch::async, [&cache] {
            auto views = cache.get({info("a"), info("b")}, true);
            CHECK(views.at(0)->config_error == "a");
            CHECK(views.at(1)->config_error == "b");
        }));
    }
    for (auto& s : scrapes) {
        s.get();
    }
    CHECK(reads == 2);
}

TEST_CASE("live cache: stale views are read again; the clusters are read in parallel", "[api]") {
    std::atomic<int> reads{0};
    LiveCache cache(std::chrono::milliseconds(0), [&reads](const ClusterInfo&) {
        ++reads;
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        return LiveView{};
    });
    const auto start = std::chrono::steady_clock::now();
    cache.get({info("a"), info("b"), info("c"), info("d")}, true);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(reads == 4);
    CHECK(took < std::chrono::milliseconds(700));  // not 4 x 200 ms one after the other
    cache.get({info("a")}, false);
    CHECK(reads == 5);
}

TEST_CASE("live cache: a reader that throws gives a view that says so", "[api]") {
    LiveCache cache(std::chrono::milliseconds(0),
                    [](const ClusterInfo&) -> LiveView { throw std::runtime_error("boom"); });
    auto views = cache.get({info("a")}, false);
    CHECK(views.at(0)->config_error == "reading a failed: boom");
}
