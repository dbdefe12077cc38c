#include "manager/ha/election.hpp"

#include <unistd.h>

#include <ctime>

#include <nlohmann/json.hpp>

#include "common/log/log.hpp"

namespace mha::manager::ha {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kTick{100};           // how often the keep-alive thread looks
constexpr milliseconds kRetry{250};          // a failed keep-alive, again after
constexpr milliseconds kPauseNoticed{1000};  // a tick this late: the process did not run
constexpr milliseconds kCampaignTimeout{2000};

std::string utc_now() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace

std::string manager_identity() {
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    return std::string(host) + " pid " + std::to_string(getpid());
}

std::string describe_holder(const std::string& value) {
    const auto j = nlohmann::json::parse(value, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("manager") ||
        !j["manager"].is_string()) {
        return "\"" + value + "\"";
    }
    std::string text = j["manager"].get<std::string>();
    if (j.contains("since") && j["since"].is_string()) {
        text += " (active since " + j["since"].get<std::string>() + ")";
    }
    return text;
}

Election::Election(EtcdClient& client, std::string identity)
    : client_(client), identity_(std::move(identity)), clock_(client.settings().lease) {}

Election::~Election() { resign(); }

std::string Election::value_json() const {
    return nlohmann::json{{"manager", identity_}, {"since", since_}}.dump();
}

Result<CampaignResult> Election::campaign() {
    stop_keep_alive();  // a term that ended: its thread has returned or returns now
    const auto& settings = client_.settings();
    const auto key = settings.leader_key();
    const auto sent = Clock::now();
    auto lease = client_.grant(settings.lease.count(), kCampaignTimeout);
    if (!lease) {
        return tl::unexpected(lease.error().wrap("etcd lease grant"));
    }
    since_ = utc_now();
    TxnRequest txn;
    txn.compare = {Compare{key, Compare::Target::Create, 0}};
    txn.success = {TxnOp{TxnOp::Kind::Put, key, value_json(), lease->id}};
    txn.failure = {TxnOp{TxnOp::Kind::Range, key, "", 0}};
    auto answer = client_.txn(txn, kCampaignTimeout);
    if (!answer || !answer->succeeded) {
        // A txn whose answer was lost may have put the key: the revoke takes it away again.
        revoke_quietly(lease->id);
    }
    if (!answer) {
        return tl::unexpected(answer.error().wrap("etcd campaign for " + key));
    }
    if (!answer->succeeded) {
        const auto& holder = answer->ranges.empty() ? std::nullopt : answer->ranges.front();
        return CampaignResult{false, holder ? describe_holder(holder->value) : "(gone already)"};
    }
    {
        std::lock_guard lock(mutex_);
        clock_ = LeaseClock(settings.lease);
        clock_.renewed(sent, lease->ttl);
        standing_ = Standing{true, ""};
        token_ = FencingToken{answer->revision, lease->id};
        stopping_ = false;
    }
    log::get("ha")->info(
        "This manager ({}) is the active manager of {}: etcd key {} created at revision {} "
        "under lease {:x} ({} s, renewed every {} ms).",
        identity_, settings.app, key, answer->revision, lease->id, lease->ttl,
        clock_.interval().count());
    keep_alive_ = std::thread([this, scope = log::current_scope()] {
        log::ScopeGuard guard(scope);  // the service: this cluster's log
        keep_alive_loop();
    });
    return CampaignResult{true, identity_};
}

void Election::keep_alive_loop() {
    auto log = log::get("ha");
    std::string last_error;
    auto retry_at = Clock::time_point{};
    std::unique_lock lock(mutex_);
    auto expected_by = Clock::now() + kTick;
    while (!stopping_ && standing_.leader) {
        const auto now = Clock::now();
        const auto late = now - expected_by;
        if (!clock_.valid(now)) {
            std::string why;
            if (late > kPauseNoticed) {
                why = "this process did not run for " + seconds_text(late) +
                      " (paused or starved) and its etcd lease ran out meanwhile";
            } else {
                why = "the etcd lease was not renewed within its " +
                      std::to_string(client_.settings().lease.count()) + " s" +
                      (last_error.empty() ? "" : " (" + last_error + ")");
            }
            lock.unlock();
            stand_down(why);
            return;
        }
        if (now >= clock_.next_keep_alive() && now >= retry_at) {
            lock.unlock();
            const bool was_failing = !last_error.empty();
            const bool ok = renew_once(last_error);
            if (!ok && !was_failing && !last_error.empty()) {
                log->warn("Renewing the etcd lease failed (retrying until it runs out): {}",
                          last_error);
            } else if (ok && was_failing) {
                log->info("The etcd lease is renewed again.");
            }
            lock.lock();
            retry_at = ok ? Clock::time_point{} : Clock::now() + kRetry;
            expected_by = Clock::now() + kTick;
            continue;
        }
        expected_by = Clock::now() + kTick;
        wake_.wait_for(lock, kTick);
    }
}

bool Election::renew_once(std::string& last_error) {
    FencingToken token;
    milliseconds timeout{};
    {
        std::lock_guard lock(mutex_);
        token = token_;
        timeout = clock_.request_timeout();
    }
    const auto sent = Clock::now();
    auto answer = client_.keep_alive(token.lease, timeout);
    if (!answer) {
        last_error = answer.error().message;
        return false;
    }
    if (answer->ttl <= 0) {
        stand_down("etcd no longer has this manager's lease (it expired)");
        return false;
    }
    {
        std::lock_guard lock(mutex_);
        clock_.renewed(sent, answer->ttl);
    }
    // The lease alone is not the leadership: the key must still be the one this manager made
    // (an operator may have deleted it, and another manager won since).
    const auto& key_name = client_.settings().leader_key();
    auto key = client_.get(key_name, timeout);
    if (!key) {
        last_error = key.error().message;
        return true;  // renewed; the key is looked at again next time
    }
    if (!*key || (*key)->create_revision != token.create_revision) {
        stand_down("the etcd key " + key_name +
                   (*key ? " now names another manager: " + describe_holder((*key)->value)
                         : " is gone"));
        return false;
    }
    last_error.clear();
    return true;
}

void Election::stand_down(const std::string& why) {
    std::int64_t lease = 0;
    {
        std::lock_guard lock(mutex_);
        if (!standing_.leader) {
            return;
        }
        standing_ = Standing{false, why};
        lease = token_.lease;
    }
    wake_.notify_all();
    log::get("ha")->error(
        "Standing down as the active manager of {}: {}. This manager does nothing more to the "
        "cluster until it wins the election again.",
        client_.settings().app, why);
    if (on_stand_down_) {
        on_stand_down_(why);
    }
    revoke_quietly(lease);  // if etcd still has it, the key goes now instead of at its TTL
}

void Election::stop_keep_alive() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (keep_alive_.joinable() && keep_alive_.get_id() != std::this_thread::get_id()) {
        keep_alive_.join();
    }
}

void Election::revoke_quietly(std::int64_t lease) {
    if (lease != 0) {
        (void)client_.revoke(lease, milliseconds(1000));
    }
}

void Election::resign() {
    stop_keep_alive();
    std::int64_t lease = 0;
    {
        std::lock_guard lock(mutex_);
        if (!standing_.leader) {
            return;
        }
        standing_ = Standing{false, "resigned"};
        lease = token_.lease;
    }
    log::get("ha")->info("Resigning as the active manager of {}.", client_.settings().app);
    revoke_quietly(lease);
}

Result<void> Election::may_act() const {
    std::lock_guard lock(mutex_);
    return ha::may_act(standing_, clock_, Clock::now());
}

bool Election::leader() const {
    std::lock_guard lock(mutex_);
    return standing_.leader;
}

std::string Election::lost_reason() const {
    std::lock_guard lock(mutex_);
    return standing_.lost_reason;
}

FencingToken Election::token() const {
    std::lock_guard lock(mutex_);
    return token_;
}

}  // namespace mha::manager::ha
