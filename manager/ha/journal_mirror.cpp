#include "manager/ha/journal_mirror.hpp"

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "common/log/log.hpp"

namespace mha::manager::ha {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr milliseconds kRequestTimeout{1000};
constexpr milliseconds kRetry{200};

std::string iso_utc(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string who_when(const MirrorRecord& record) {
    const auto* last = record.last();
    return record.manager + (last ? " at " + last->time : "");
}

bool transient(const Error& e) {
    return e.code == ErrorCode::Unavailable || e.code == ErrorCode::DeadlineExceeded;
}

}  // namespace

bool MirrorRecord::finished() const {
    const auto* l = last();
    return l != nullptr && (l->phase == "Done" || l->phase == "Failed");
}

std::string mirror_json(const MirrorRecord& record) {
    json entries = json::array();
    for (const auto& e : record.entries) {
        entries.push_back({{"time", e.time},
                           {"unix_time", e.unix_time},
                           {"phase", e.phase},
                           {"detail", e.detail}});
    }
    return json{{"manager", record.manager},
                {"dead_master", {{"hostname", record.dead_host}, {"port", record.dead_port}}},
                {"changed_anything", record.changed_anything},
                {"entries", entries}}
        .dump();
}

Result<MirrorRecord> parse_mirror(std::string_view text) {
    const auto j = json::parse(text, nullptr, false);
    const auto bad = [](std::string_view what) {
        return make_error(ErrorCode::InvalidArgument,
                          "the failover journal in etcd is not one of mha's: " + std::string(what));
    };
    if (j.is_discarded() || !j.is_object()) {
        return bad("not a JSON object");
    }
    if (!j.contains("entries") || !j["entries"].is_array() || !j.contains("dead_master") ||
        !j["dead_master"].is_object()) {
        return bad("no entries or dead_master");
    }
    MirrorRecord r;
    try {
        r.manager = j.value("manager", std::string());
        r.dead_host = j["dead_master"].value("hostname", std::string());
        r.dead_port = j["dead_master"].value("port", 0);
        r.changed_anything = j.value("changed_anything", false);
        for (const auto& e : j["entries"]) {
            r.entries.push_back(MirrorEntry{e.value("time", std::string()),
                                            e.value("unix_time", std::int64_t{0}),
                                            e.value("phase", std::string()),
                                            e.value("detail", std::string())});
        }
    } catch (const json::exception& e) {
        return bad(e.what());
    }
    return r;
}

Result<void> check_mirror_at_takeover(const MirrorRecord& record, const std::string& key) {
    if (record.entries.empty() || record.finished()) {
        return {};
    }
    return make_error(ErrorCode::FailedPrecondition,
                      "A failover of " + record.dead_host + ":" + std::to_string(record.dead_port) +
                          " by " + who_when(record) + " stopped in the middle (last phase: " +
                          record.last()->phase + "); see the etcd key " + key +
                          ". Check the cluster, then remove that key (etcdctl del " + key +
                          "): monitoring starts once it is gone.");
}

std::optional<std::string> stale_dead_master_block(const MirrorRecord& record,
                                                   const config::AppConfig& config,
                                                   std::time_t conf_mtime) {
    const auto* last = record.last();
    if (last == nullptr || last->phase != "Done" || last->unix_time <= conf_mtime) {
        return std::nullopt;
    }
    for (const auto& s : config.servers) {
        if (s.hostname == record.dead_host && s.port == record.dead_port) {
            return s.block;
        }
    }
    return std::nullopt;
}

Result<void> check_mirror_before_failover(const MirrorRecord& record, const std::string& key,
                                          const FailoverTarget& target, std::time_t now) {
    if (auto unfinished = check_mirror_at_takeover(record, key); !unfinished) {
        return unfinished;
    }
    const auto* last = record.last();
    if (last == nullptr) {
        return {};
    }
    if (last->phase == "Failed" && record.changed_anything && !target.ignore_last_failover) {
        return make_error(ErrorCode::FailedPrecondition,
                          "The last failover (of " + record.dead_host + ", by " +
                              who_when(record) + ") failed after changing the cluster (etcd key " +
                              key + "). Check error logs for detail, fix problems, remove that "
                              "key (etcdctl del " + key + "), and restart this script.");
    }
    const bool recent = now - last->unix_time < static_cast<std::int64_t>(target.last_failover_minute) * 60;
    if (last->phase != "Done" || !recent) {
        return {};
    }
    if (record.dead_host == target.dead_host && record.dead_port == target.dead_port) {
        return make_error(ErrorCode::FailedPrecondition,
                          "The master " + target.dead_host + ":" + std::to_string(target.dead_port) +
                              " was already failed over by " + who_when(record) + " (" +
                              last->detail + "; etcd key " + key +
                              "): not failing the same dead master over twice. This manager's "
                              "view of the cluster is behind: check its config.");
    }
    if (!target.ignore_last_failover) {
        return make_error(ErrorCode::FailedPrecondition,
                          "Last failover was done by " + who_when(record) +
                              " (etcd key " + key + "). Current time is too early to do failover "
                              "again. If you want to do failover, remove that key (etcdctl del " +
                              key + ") or use --ignore_last_failover.");
    }
    return {};
}

Result<std::optional<MirrorRecord>> JournalMirror::read() {
    const auto key = election_.client().settings().journal_key();
    auto kv = election_.client().get(key, kRequestTimeout);
    if (!kv) {
        return tl::unexpected(kv.error());
    }
    if (!*kv) {
        return std::optional<MirrorRecord>();
    }
    auto record = parse_mirror((*kv)->value);
    if (!record) {
        return tl::unexpected(record.error().wrap(key));
    }
    return std::optional<MirrorRecord>(std::move(*record));
}

std::function<Result<void>(const PhaseStep&)> JournalMirror::guard(const FailoverOptions& f) {
    FailoverTarget target{f.dead_master_host, f.dead_master_port.value_or(0),
                          f.last_failover_minute, f.ignore_last_failover};
    return [this, target](const PhaseStep& step) { return before_phase(target, step); };
}

Result<void> JournalMirror::before_phase(const FailoverTarget& target, const PhaseStep& step) {
    if (auto ok = election_.may_act(); !ok) {
        election_.stand_down(ok.error().message);
        return ok;
    }
    if (step.phase == "CheckConfig") {
        auto record = read();
        while (!record && transient(record.error()) && election_.may_act()) {
            std::this_thread::sleep_for(kRetry);
            record = read();
        }
        if (!record) {
            return tl::unexpected(record.error().wrap("reading the failover journal in etcd"));
        }
        if (*record) {
            const auto key = election_.client().settings().journal_key();
            if (auto ok = check_mirror_before_failover(**record, key, target, std::time(nullptr));
                !ok) {
                return ok;
            }
        }
        current_ = MirrorRecord{election_.identity(), target.dead_host, target.dead_port, false, {}};
    }
    const auto now = std::time(nullptr);
    current_.entries.push_back(
        MirrorEntry{iso_utc(now), now, std::string(step.phase), std::string(step.detail)});
    current_.changed_anything = current_.changed_anything || step.changed_anything;
    return write_fenced();
}

Result<void> JournalMirror::write_fenced() {
    auto& client = election_.client();
    const auto& settings = client.settings();
    const auto token = election_.token();
    TxnRequest txn;
    txn.compare = {Compare{settings.leader_key(), Compare::Target::Create, token.create_revision},
                   Compare{settings.leader_key(), Compare::Target::Lease, token.lease}};
    txn.success = {TxnOp{TxnOp::Kind::Put, settings.journal_key(), mirror_json(current_), 0}};
    txn.failure = {TxnOp{TxnOp::Kind::Range, settings.leader_key(), "", 0}};
    while (true) {
        if (auto ok = election_.may_act(); !ok) {
            election_.stand_down(ok.error().message);
            return ok;
        }
        auto answer = client.txn(txn, kRequestTimeout);
        if (answer && answer->succeeded) {
            return {};
        }
        if (answer) {
            const auto& holder = answer->ranges.empty() ? std::nullopt : answer->ranges.front();
            const auto why = "the etcd key " + settings.leader_key() +
                             (holder ? " names another manager: " + describe_holder(holder->value)
                                     : " is gone");
            election_.stand_down(why);
            return make_error(ErrorCode::FailedPrecondition,
                              "this manager is no longer the active manager of the cluster (" +
                                  why + ")");
        }
        if (!transient(answer.error())) {
            return tl::unexpected(answer.error().wrap("writing the failover journal to etcd"));
        }
        log::get("ha")->warn("Writing the failover journal to etcd failed, retrying: {}",
                             answer.error().message);
        std::this_thread::sleep_for(kRetry);
    }
}

}  // namespace mha::manager::ha
