#pragma once

#include <string_view>
#include <vector>

namespace mha::manager::api {

/// One file of the web page (manager/web/), bundled into the binary at build time
/// (cmake/EmbedWeb.cmake).
struct WebAsset {
    std::string_view path;          ///< "/index.html"
    std::string_view content_type;  ///< "text/html; charset=utf-8"
    std::string_view body;
};

/// Every file of manager/web/, sorted by path.
const std::vector<WebAsset>& web_assets();

}  // namespace mha::manager::api
