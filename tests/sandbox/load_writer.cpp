#include "tests/sandbox/load_writer.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "common/mysql/session.hpp"

namespace mha::sandbox {
namespace {

using Clock = std::chrono::steady_clock;

mysql::ConnectOptions connect_options(const LoadOptions& o, const std::string& host) {
    mysql::ConnectOptions c;
    c.host = host;
    c.port = o.port;
    c.user = o.user;
    c.password = o.password;
    c.connect_timeout = std::chrono::milliseconds(1000);
    c.read_timeout = std::chrono::milliseconds(3000);
    c.write_timeout = std::chrono::milliseconds(3000);
    return c;
}

/// Where a privileged writer's ids start: it runs beside an unprivileged one, and the two must
/// never pick the same id.
constexpr std::uint64_t kPrivilegedIdBase = 1'000'000'000;

/// The largest id of this writer's range already written anywhere (any host that answers) or
/// acked before.
std::uint64_t highest_known_id(const LoadOptions& o) {
    std::uint64_t highest = o.privileged ? kPrivilegedIdBase : 0;
    const std::string range = (o.privileged ? " WHERE id >= " : " WHERE id < ") +
                              std::to_string(kPrivilegedIdBase);
    for (const auto& host : o.hosts) {
        auto session = mysql::connect(connect_options(o, host));
        if (!session) {
            continue;
        }
        auto rows =
            (*session)->query("SELECT COALESCE(MAX(id), 0) AS m FROM " + o.table + range);
        if (rows && !rows->empty()) {
            const std::string text = rows->value(0, "m", "0");
            std::uint64_t value = 0;
            std::from_chars(text.data(), text.data() + text.size(), value);
            highest = std::max(highest, value);
        }
    }
    std::ifstream acked(o.acked_file);
    std::uint64_t id = 0;
    while (acked >> id) {
        highest = std::max(highest, id);
    }
    return highest;
}

/// True when the server takes writes from us: read_only off (what a privileged writer
/// looks for first; the app account just tries).
bool writable(mysql::Session& session) {
    auto rows = session.query("SELECT @@GLOBAL.read_only AS ro");
    return rows && !rows->empty() && rows->value(0, "ro") == "0";
}

/// One pass of connect attempts from `start`; returns the session and its host index.
std::unique_ptr<mysql::Session> connect_from(const LoadOptions& o, std::size_t& current,
                                             LoadSummary& summary) {
    for (std::size_t tried = 0; tried < o.hosts.size(); ++tried) {
        auto session = mysql::connect(connect_options(o, o.hosts[current]));
        if (session && (!o.privileged || writable(**session))) {
            return std::move(*session);
        }
        current = (current + 1) % o.hosts.size();
        ++summary.host_switches;
    }
    return nullptr;
}

}  // namespace

double percentile(std::vector<double> values, double p) {
    if (values.empty()) {
        return 0;
    }
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * values.size()));
    return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

Result<LoadSummary> LoadWriter::run(const std::atomic<bool>& stop) {
    const auto& o = options_;
    if (o.hosts.empty()) {
        return make_error(ErrorCode::InvalidArgument, "no hosts to write to");
    }
    std::FILE* acked = std::fopen(o.acked_file.c_str(), "a");
    if (acked == nullptr) {
        return make_error(ErrorCode::FailedPrecondition, o.acked_file + ": cannot append");
    }
    LoadSummary summary;
    std::uint64_t next_id = highest_known_id(o) + 1;
    summary.first_id = next_id;
    std::size_t current = 0;
    std::unique_ptr<mysql::Session> session;
    std::optional<std::uint32_t> session_domain;  // the session's gtid_domain_id, once set
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(o.seconds));
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(1.0 / std::max(o.rate, 0.001)));
    auto tick = start;
    while (!stop.load() && Clock::now() < end) {
        std::this_thread::sleep_until(tick);
        tick = std::max(tick + interval, Clock::now() - interval);
        if (!session) {
            session = connect_from(o, current, summary);
            if (!session) {
                ++summary.errors;
                continue;
            }
        }
        const std::uint64_t id = next_id++;  // an id with an unknown outcome is never reused
        const std::uint32_t domain = o.second_domain != 0 && id % 2 == 1 ? o.second_domain : 0;
        if (o.second_domain != 0 && session_domain != domain) {
            if (!session->execute("SET SESSION gtid_domain_id=" + std::to_string(domain))) {
                ++summary.errors;
                session.reset();
                session_domain.reset();
                current = (current + 1) % o.hosts.size();
                ++summary.host_switches;
                continue;
            }
            session_domain = domain;
        }
        const auto sent = Clock::now();
        auto done = session->execute("INSERT INTO " + o.table + " (id, writer) VALUES (" +
                                     std::to_string(id) + ", '" +
                                     session->escape(o.writer + "@" + o.hosts[current]) + "')");
        if (!done) {
            ++summary.errors;
            session.reset();
            session_domain.reset();
            current = (current + 1) % o.hosts.size();
            ++summary.host_switches;
            continue;
        }
        summary.latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        std::fprintf(acked, "%llu\n", static_cast<unsigned long long>(id));
        std::fflush(acked);
        ++summary.acked;
        summary.last_acked_id = id;
    }
    std::fclose(acked);
    return summary;
}

}  // namespace mha::sandbox
