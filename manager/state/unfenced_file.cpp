#include "manager/state/unfenced_file.hpp"

#include <charconv>
#include <cstdio>
#include <fstream>

namespace mha::manager {

Result<void> write_unfenced(const std::string& path, const UnfencedRecord& record) {
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << record.host << '\n'
            << record.since << '\n'
            << record.reason << '\n'
            << record.ip << '\n'
            << record.port << '\n'
            << record.agent_host << '\n'
            << record.agent_port << '\n';
        out.flush();
        if (!out) {
            return make_error(ErrorCode::Unavailable, tmp + ": cannot write");
        }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        return make_error(ErrorCode::Unavailable, path + ": cannot rename " + tmp + " onto it");
    }
    return {};
}

std::optional<UnfencedRecord> read_unfenced(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        return std::nullopt;
    }
    UnfencedRecord r;
    std::getline(in, r.host);
    std::getline(in, r.since);
    std::getline(in, r.reason);
    std::string port;
    std::string agent_port;
    std::getline(in, r.ip);
    std::getline(in, port);
    std::getline(in, r.agent_host);
    std::getline(in, agent_port);
    std::from_chars(port.data(), port.data() + port.size(), r.port);
    std::from_chars(agent_port.data(), agent_port.data() + agent_port.size(), r.agent_port);
    if (r.host.empty()) {
        return UnfencedRecord{std::string(1, '?'), r.since, path + " is garbled"};
    }
    return r;
}

bool clear_unfenced(const std::string& path) { return std::remove(path.c_str()) == 0; }

std::string unfenced_warning(const std::string& label, const std::string& reason) {
    std::string text = "WARNING: the old master ";
    text.append(label).append(" is NOT fenced: ").append(reason);
    text.append(
        ". It may accept writes again if it comes back: fence it (mhactl fence "
        "--host=...) or make sure it stays down.");
    return text;
}

}  // namespace mha::manager
