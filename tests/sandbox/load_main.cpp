// mha-sandbox-load: the sandbox's write load (tests/sandbox/load is the wrapper that reads
// D/env and passes the hosts and the account).
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include <CLI/CLI.hpp>

#include "tests/sandbox/load_writer.hpp"

namespace {
std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop.store(true); }
}  // namespace

int main(int argc, char** argv) {
    mha::sandbox::LoadOptions o;
    CLI::App app{"mha-sandbox-load: acknowledged-write load for the sandbox"};
    app.add_option("--hosts", o.hosts, "addresses, master first")->required()->delimiter(',');
    app.add_option("--port", o.port);
    app.add_option("--user", o.user)->required();
    app.add_flag("--privileged", o.privileged, "keep the connection; move only after an error");
    app.add_option("--rate", o.rate, "inserts per second");
    app.add_option("--seconds", o.seconds);
    app.add_option("--acked", o.acked_file, "file that gets every acknowledged id")->required();
    app.add_option("--table", o.table);
    app.add_option("--writer", o.writer);
    app.add_option("--second-domain", o.second_domain,
                   "MariaDB: odd ids go to this GTID domain (the app account needs BINLOG REPLAY)");
    CLI11_PARSE(app, argc, argv);
    // The password comes from the environment, never from the command line (ps shows it).
    if (const char* pw = std::getenv("MYSQL_PWD")) {
        o.password = pw;
    }
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    auto summary = mha::sandbox::LoadWriter(o).run(g_stop);
    if (!summary) {
        std::fprintf(stderr, "load: %s\n", summary.error().message.c_str());
        return 1;
    }
    std::printf("load: acked %llu ids (from %llu, last %llu), %llu errors, %llu host switches\n",
                static_cast<unsigned long long>(summary->acked),
                static_cast<unsigned long long>(summary->first_id),
                static_cast<unsigned long long>(summary->last_acked_id),
                static_cast<unsigned long long>(summary->errors),
                static_cast<unsigned long long>(summary->host_switches));
    const auto& lat = summary->latencies_ms;
    std::printf("load: insert latency ms (acknowledged inserts): p50 %.3f p99 %.3f max %.3f\n",
                mha::sandbox::percentile(lat, 50), mha::sandbox::percentile(lat, 99),
                mha::sandbox::percentile(lat, 100));
    return 0;
}
