#include "index/Schema.h"

#include <Poco/SHA1Engine.h>
#include <Poco/StringTokenizer.h>

namespace kiroku::indexer {

std::string boolTerm(const std::string& prefix, const std::string& value) {
    std::string term = prefix + value;
    if (term.size() <= 200) return term;
    Poco::SHA1Engine sha;
    sha.update(value);
    return prefix + "#" + Poco::DigestEngine::digestToHex(sha.digest());
}

std::vector<std::string> pathSegments(const std::string& path) {
    std::vector<std::string> out;
    Poco::StringTokenizer t(path, "/", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& s : t) out.push_back(s);
    return out;
}

std::string nameOf(const std::string& path) {
    auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace kiroku::indexer
