#include "manager/service/registry.hpp"

#include <algorithm>
#include <filesystem>
#include <future>

#include "common/log/log.hpp"

namespace mha::manager::service {

bool valid_app_name(std::string_view app) {
    if (app.empty() || app.size() > 128 || app.front() == '.') {
        return false;
    }
    return std::all_of(app.begin(), app.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '-';
    });
}

Registry::Registry(ManagerOptions base, std::string conf_dir, std::vector<std::string> files)
    : base_(std::move(base)), conf_dir_(std::move(conf_dir)), files_(std::move(files)) {}

Registry::~Registry() { stop_all(); }

std::map<std::string, std::string> Registry::wanted() const {
    auto log = log::get("service");
    std::vector<std::string> files = files_;
    if (!conf_dir_.empty()) {
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(conf_dir_, ec)) {
            if (entry.path().extension() == ".cnf" && entry.is_regular_file(ec)) {
                files.push_back(entry.path().string());
            }
        }
        if (ec) {
            log->error("Reading the cluster directory {}: {}", conf_dir_, ec.message());
        }
    }
    std::map<std::string, std::string> apps;
    for (const auto& file : files) {
        const auto app = std::filesystem::path(file).stem().string();
        if (!valid_app_name(app)) {
            log->error("{}: \"{}\" cannot name a cluster (letters, digits, '.', '_', '-'): "
                       "not watched.", file, app);
            continue;
        }
        apps.emplace(app, file);
    }
    return apps;
}

void Registry::sync() {
    auto log = log::get("service");
    const auto want = wanted();
    std::vector<std::shared_ptr<Cluster>> gone;
    std::vector<std::shared_ptr<Cluster>> added;
    {
        std::lock_guard lock(mutex_);
        for (auto it = clusters_.begin(); it != clusters_.end();) {
            if (want.count(it->first) == 0) {
                log->info("[{}] its config is gone: stopping this cluster.", it->first);
                gone.push_back(it->second);
                it = clusters_.erase(it);
            } else {
                ++it;
            }
        }
        for (const auto& [app, file] : want) {
            if (clusters_.count(app) == 0) {
                auto options = base_;
                options.conf = file;
                auto cluster = std::make_shared<Cluster>(options);
                clusters_.emplace(app, cluster);
                added.push_back(cluster);
            }
        }
    }
    std::vector<std::future<void>> stops;
    for (auto& c : gone) {
        stops.push_back(std::async(std::launch::async, [c] { c->stop(); }));
    }
    for (auto& c : added) {
        log->info("[{}] starting ({}).", c->app(), c->info().conf);
        c->start();
    }
    for (auto& s : stops) {
        s.get();
    }
    log->info("Watching {} cluster(s).", want.size());
}

void Registry::stop_all() {
    std::vector<std::shared_ptr<Cluster>> all;
    {
        std::lock_guard lock(mutex_);
        for (auto& [app, c] : clusters_) {
            all.push_back(c);
        }
        clusters_.clear();
    }
    std::vector<std::future<void>> stops;
    for (auto& c : all) {
        stops.push_back(std::async(std::launch::async, [c] { c->stop(); }));
    }
    for (auto& s : stops) {
        s.get();
    }
}

std::vector<ClusterInfo> Registry::clusters() const {
    std::vector<std::shared_ptr<Cluster>> all;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [app, c] : clusters_) {
            all.push_back(c);
        }
    }
    std::vector<ClusterInfo> infos;
    infos.reserve(all.size());
    for (const auto& c : all) {
        infos.push_back(c->info());
    }
    return infos;  // the map keeps them sorted by app
}

Result<SwitchResult> Registry::switch_master(const std::string& app,
                                             const SwitchoverOptions& options) {
    std::shared_ptr<Cluster> cluster;
    {
        std::lock_guard lock(mutex_);
        if (auto it = clusters_.find(app); it != clusters_.end()) {
            cluster = it->second;
        }
    }
    if (!cluster) {
        return make_error(ErrorCode::NotFound, "no cluster named \"" + app + "\"");
    }
    return cluster->switch_master(options);
}

}  // namespace mha::manager::service
