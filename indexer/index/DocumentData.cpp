#include "index/DocumentData.h"

#include <cstdlib>

namespace kiroku::indexer {

std::string packDocumentData(const DocumentData& d) {
    std::string out = "v2\t" + d.path + "\t" + d.type + "\t" + std::to_string(d.year) + "\t" +
                      std::to_string(d.modifiedUs) + "\n";
    SyncPoint last;
    for (const auto& p : d.sync) {
        putVarint(out, p.normalisedByte - last.normalisedByte);
        putVarint(out, p.originalByte - last.originalByte);
        last = p;
    }
    return out;
}

DocumentData unpackDocumentData(const std::string& data) {
    DocumentData s;
    auto nl = data.find('\n');
    std::string head = data.substr(0, nl);
    std::vector<std::string> f;
    std::size_t start = 0;
    for (;;) {
        auto tab = head.find('\t', start);
        f.push_back(head.substr(start, tab - start));
        if (tab == std::string::npos) break;
        start = tab + 1;
    }
    if (f.size() >= 5 && f[0] == "v2") {
        s.path = f[1];
        s.type = f[2];
        s.year = std::atoi(f[3].c_str());
        s.modifiedUs = std::atoll(f[4].c_str());
    }
    std::size_t at = nl == std::string::npos ? data.size() : nl + 1;
    SyncPoint p;
    std::uint64_t dn = 0, dOriginal = 0;
    while (at < data.size() && getVarint(data, at, dn) && getVarint(data, at, dOriginal)) {
        p.normalisedByte += dn;
        p.originalByte += dOriginal;
        s.sync.push_back(p);
    }
    return s;
}

}  // namespace kiroku::indexer
