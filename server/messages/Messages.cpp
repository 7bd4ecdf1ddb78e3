#include "messages/Messages.h"

#include <sstream>
#include <stdexcept>

namespace kiroku {

const std::string& catalogueTsv();  // built from catalogue.tsv

namespace {

std::string unescape(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            char c = s[++i];
            out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::map<std::string, std::pair<std::string, std::string>> parse(const std::string& text) {
    std::map<std::string, std::pair<std::string, std::string>> out;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        auto t1 = line.find('\t');
        auto t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
        if (t2 == std::string::npos || line.find('\t', t2 + 1) != std::string::npos) {
            throw std::logic_error("catalogue.tsv line " + std::to_string(number) +
                                   ": want code<TAB>ja<TAB>en");
        }
        std::string code = line.substr(0, t1);
        if (!out.emplace(code, std::make_pair(unescape(line.substr(t1 + 1, t2 - t1 - 1)),
                                              unescape(line.substr(t2 + 1))))
                 .second) {
            throw std::logic_error("catalogue.tsv line " + std::to_string(number) + ": " + code +
                                   " twice");
        }
    }
    return out;
}

std::string fill(std::string text, MessageArgs args) {
    for (const auto& [name, value] : args) {
        std::string key = "{" + std::string(name) + "}";
        for (auto at = text.find(key); at != std::string::npos;
             at = text.find(key, at + value.size())) {
            text.replace(at, key.size(), value);
        }
    }
    return text;
}

}  // namespace

const std::map<std::string, std::pair<std::string, std::string>>& messageCatalogue() {
    static const auto catalogue = parse(catalogueTsv());
    return catalogue;
}

Message msg(std::string_view code, MessageArgs args) {
    const auto& catalogue = messageCatalogue();
    auto it = catalogue.find(std::string(code));
    if (it == catalogue.end())
        throw std::logic_error("no message " + std::string(code) + " in the catalogue");
    return Message{it->first, fill(it->second.first, args), fill(it->second.second, args)};
}

}  // namespace kiroku
