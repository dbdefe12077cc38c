#include "manager/monitor/dead_at_start.hpp"

#include <chrono>
#include <future>
#include <vector>

#include "common/log/log.hpp"
#include "manager/agents/agent_client.hpp"
#include "manager/hooks/hook_runner.hpp"

namespace mha::manager {
namespace {

constexpr int kAgentTimeoutMs = 1500;  // one look, at start: a little more time than a ping's

std::optional<int> secondary_check(const config::ServerConfig& m) {
    if (!m.secondary_check_script) {
        return std::nullopt;
    }
    auto outcome = run_hook(*m.secondary_check_script,
                            {"--user=" + m.ssh_user, "--master_host=" + m.hostname,
                             "--master_ip=" + m.ip, "--master_port=" + std::to_string(m.port),
                             "--ping_type=" + std::string(config::ping_type_name(m.ping_type))},
                            std::chrono::seconds(30));
    return outcome ? outcome->exit_code : 1;
}

}  // namespace

Decision decide_dead_at_start(DetectionInput in) {
    if (!in.master_agent && in.probes.empty()) {
        Decision d;
        d.verdict = Verdict::Suspect;
        d.reason = "neither its agent nor any other agent answered: a failed connect alone is "
                   "no evidence that it is dead";
        return d;
    }
    // The manager could not connect at start: that counts as the monitor's failed pings.
    in.failed_pings = in.max_failed_pings;
    return decide(in);
}

Decision confirm_dead_at_start(const config::AppConfig& config, std::size_t index) {
    auto log = log::get("manager");
    const auto& master = config.servers.at(index);
    DetectionInput in;
    auto own = mha::log::async([&master] {
        AgentClient agent(master, std::chrono::milliseconds(kAgentTimeoutMs));
        return agent.mysqld(kAgentTimeoutMs / 2);
    });
    std::vector<std::future<Result<proto::ProbeResult>>> probes;
    for (std::size_t i = 0; i < config.servers.size(); ++i) {
        if (i == index) {
            continue;
        }
        probes.push_back(mha::log::async([&config, &master, i] {
            AgentClient agent(config.servers[i], std::chrono::milliseconds(kAgentTimeoutMs));
            return agent.probe(master.hostname, master.port, kAgentTimeoutMs / 2);
        }));
    }
    if (auto m = own.get()) {
        in.master_agent = *m;
        log->info("The master's agent: mysqld {} (pid {}), answers locally: {}", m->process,
                  m->pid, m->answers ? "yes" : "no");
    } else {
        log->warn("The master's agent did not answer: {}", m.error().message);
    }
    for (auto& f : probes) {
        if (auto p = f.get()) {
            log->info("Probe of {}:{} from another agent: answers: {}{}", p->host, p->port,
                      p->answers ? "yes" : "no", p->error.empty() ? "" : " (" + p->error + ")");
            in.probes.push_back(*p);
        } else {
            log->warn("An agent did not answer the probe request: {}", p.error().message);
        }
    }
    in.secondary_check_exit = secondary_check(master);
    return decide_dead_at_start(in);
}

}  // namespace mha::manager
