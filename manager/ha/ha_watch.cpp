#include "manager/ha/ha_watch.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "common/config/conf_edit.hpp"
#include "common/log/log.hpp"
#include "manager/ha/election.hpp"
#include "manager/ha/journal_mirror.hpp"
#include "manager/state/status_file.hpp"

namespace mha::manager::ha {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kPoll{1000};        // a standby looks at the leader key this often…
constexpr milliseconds kPollNear{100};     // …and this often in the last second of its lease
constexpr milliseconds kRequest{1000};
constexpr int kReloadRetrySeconds = 10;

bool sleep_unless(const std::atomic<bool>& stop, milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stop && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::min(milliseconds(50), d));
    }
    return !stop;
}

/// What a manager that is not acting says: the status file (STANDBY and why) and one log line
/// each time the reason changes.
class StandbyReport {
public:
    explicit StandbyReport(std::string status_path) : path_(std::move(status_path)) {}

    void say(const std::string& line, bool trouble = false) {
        if (line == last_) {
            touch_status(path_);
            return;
        }
        last_ = line;
        auto log = log::get("ha");
        trouble ? log->warn("{}", line) : log->info("{}", line);
        (void)write_status(path_, StatusRecord{getpid(), MonitorStatus::Standby, "", line});
    }
    void status(MonitorStatus status, const std::string& line) {
        if (line == last_) {
            return;
        }
        last_ = line;
        log::get("ha")->error("{}", line);
        (void)write_status(path_, StatusRecord{getpid(), status, "", line});
    }
    void clear() { last_.clear(); }

private:
    std::string path_;
    std::string last_;
};

/// One manager's election loop for one cluster.
class ElectedWatch {
public:
    ElectedWatch(const ManagerOptions& options, config::AppConfig config, WatchControl& control,
                 EtcdSettings settings, const InnerWatch& inner)
        : options_(options),
          config_(std::move(config)),
          control_(control),
          inner_(inner),
          client_(std::move(settings)),
          election_(client_, manager_identity()),
          mirror_(election_),
          report_(config_.workdir_file("master_status.health")) {}

    int run();

private:
    void wait_while_held(const std::string& holder);
    bool reload_config();
    Result<std::optional<MirrorRecord>> read_mirror();
    bool journal_allows_watch();
    void sync_config(const MirrorRecord& record);
    int run_term();

    const ManagerOptions& options_;
    config::AppConfig config_;
    WatchControl& control_;
    const InnerWatch& inner_;
    EtcdClient client_;
    Election election_;
    JournalMirror mirror_;
    StandbyReport report_;
};

void ElectedWatch::wait_while_held(const std::string& holder) {
    report_.say("standby: the active manager is " + holder);
    const auto key = client_.settings().leader_key();
    while (!control_.stop) {
        auto kv = client_.get(key, kRequest);
        if (!kv) {
            report_.say("standby: etcd cannot be read (" + kv.error().message + ")", true);
            sleep_unless(control_.stop, kPoll);
            continue;
        }
        if (!*kv) {
            return;  // vacant: campaign
        }
        report_.say("standby: the active manager is " + describe_holder((*kv)->value));
        auto ttl = client_.time_to_live((*kv)->lease, kRequest);
        sleep_unless(control_.stop, ttl && *ttl > 1 ? kPoll : kPollNear);
    }
}

bool ElectedWatch::reload_config() {
    auto reloaded = load_manager_config(options_);
    if (!reloaded) {
        report_.status(MonitorStatus::ConfigError,
                       "reloading " + options_.conf + " failed: " + reloaded.error().message);
        return false;
    }
    config_ = std::move(*reloaded);
    return true;
}

Result<std::optional<MirrorRecord>> ElectedWatch::read_mirror() {
    auto record = mirror_.read();
    while (!record && record.error().code != ErrorCode::InvalidArgument &&
           election_.may_act() && !control_.stop) {
        sleep_unless(control_.stop, milliseconds(200));
        record = mirror_.read();
    }
    return record;
}

void ElectedWatch::sync_config(const MirrorRecord& record) {
    struct stat st {};
    if (stat(config_.conf_path.c_str(), &st) != 0) {
        return;
    }
    const auto block = stale_dead_master_block(record, config_, st.st_mtime);
    if (!block) {
        return;
    }
    auto log = log::get("ha");
    const auto note = "mha-manager: the dead master [" + *block + "] was failed over by " +
                      record.manager + " at " + record.last()->time + " (etcd " +
                      client_.settings().journal_key() + ")";
    if (auto ok = config::comment_conf_block_in_file(config_.conf_path, *block, note); !ok) {
        log->warn("{} is still in {}: commenting it out failed: {}", *block, config_.conf_path,
                  ok.error().message);
        return;
    }
    log->info("[{}] ({}:{}) was failed over by {} at {}; this config predates that failover: "
              "commented it out of {}.",
              *block, record.dead_host, record.dead_port, record.manager, record.last()->time,
              config_.conf_path);
    (void)reload_config();
}

/// The failover journal in etcd at the start of a term: false while a failover cut off
/// mid-way waits for an operator (checked again until it is cleared or the term ends).
bool ElectedWatch::journal_allows_watch() {
    const auto key = client_.settings().journal_key();
    while (!control_.stop && election_.leader()) {
        auto record = read_mirror();
        Result<void> verdict;
        if (!record) {
            verdict = tl::unexpected(record.error().wrap("the failover journal in etcd"));
        } else if (*record) {
            verdict = check_mirror_at_takeover(**record, key);
        }
        if (verdict) {
            if (record && *record) {
                sync_config(**record);
            }
            return true;
        }
        if (!election_.leader() || control_.stop) {
            break;
        }
        report_.status(MonitorStatus::FailoverError, verdict.error().message);
        sleep_unless(control_.stop, milliseconds(2000));
    }
    return false;
}

int ElectedWatch::run_term() {
    std::atomic<bool> inner_stop{false};
    std::atomic<bool> term_over{false};
    election_.set_on_stand_down([&inner_stop](const std::string&) { inner_stop = true; });
    // Carries the caller's stop to this term's watch, and a lost lease within 50 ms.
    std::thread relay([&, scope = log::current_scope()] {
        log::ScopeGuard guard(scope);
        while (!term_over) {
            if (control_.stop || !election_.leader()) {
                inner_stop = true;
            }
            std::this_thread::sleep_for(milliseconds(50));
        }
    });
    WatchControl inner{inner_stop, control_.on_ping, control_.force_continuous,
                       control_.on_semi_sync, {}, {}};
    inner.holds_lease = [this] { return election_.may_act().has_value(); };
    inner.failover_guard = [this](const FailoverOptions& f) { return mirror_.guard(f); };
    int code = 0;
    if (journal_allows_watch()) {
        code = inner_(options_, config_, inner);
    }
    term_over = true;
    relay.join();
    election_.set_on_stand_down({});
    return code;
}

int ElectedWatch::run() {
    auto log = log::get("ha");
    std::string members;
    for (const auto& e : client_.settings().endpoints) {
        members += (members.empty() ? "" : ",") + e.host + ":" + std::to_string(e.port);
    }
    log->info("Manager high availability: {} campaigns for {} on etcd {} (lease {} s).",
              election_.identity(), client_.settings().leader_key(), members,
              client_.settings().lease.count());
    bool reload = false;
    while (!control_.stop) {
        auto won = election_.campaign();
        if (!won) {
            report_.say("standby: cannot campaign, etcd does not answer (" +
                            won.error().message + ")",
                        true);
            sleep_unless(control_.stop, kPoll);
            continue;
        }
        if (!won->leader) {
            wait_while_held(won->holder);
            continue;
        }
        report_.clear();
        if (reload && !reload_config()) {
            election_.resign();
            sleep_unless(control_.stop, std::chrono::seconds(kReloadRetrySeconds));
            continue;
        }
        reload = true;
        const int code = run_term();
        if (control_.stop) {
            election_.resign();
            return code;
        }
        if (election_.leader()) {
            election_.resign();  // the watch ended on its own (one-shot manager, error)
            return code;
        }
        report_.say("standby: stood down as the active manager (" + election_.lost_reason() +
                        "); campaigning again",
                    true);
    }
    election_.resign();
    return 0;
}

}  // namespace

int watch_elected(const ManagerOptions& options, config::AppConfig config, WatchControl& control,
                  EtcdSettings settings, const InnerWatch& inner) {
    std::error_code ec;
    std::filesystem::create_directories(config.manager_workdir(), ec);
    ElectedWatch watch(options, std::move(config), control, std::move(settings), inner);
    return watch.run();
}

}  // namespace mha::manager::ha
