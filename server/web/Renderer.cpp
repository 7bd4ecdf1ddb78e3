#include "web/Renderer.h"

#include "messages/Messages.h"

#include <ctemplate/template_emitter.h>
#include <ctemplate/template_modifiers.h>

#include <Poco/DeflatingStream.h>
#include <Poco/SHA2Engine.h>

#include <sstream>

#include <stdexcept>

namespace kiroku::web {

namespace {

const char* const kLanguages[] = {"ja", "en"};

// Catalogue texts are escaped as ctemplate escapes values in HTML (&, <, >, " and ').
std::string escapeHtml(const std::string& text) {
    std::string out;
    ctemplate::StringEmitter emitter(&out);
    ctemplate::html_escape.Modify(text.data(), text.size(), nullptr, &emitter, "");
    return out;
}

std::string typeOf(const std::string& name) {
    auto ends = [&](const char* ext) {
        std::string e = ext;
        return name.size() >= e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0;
    };
    if (ends(".css")) return "text/css; charset=utf-8";
    if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
    if (ends(".svg")) return "image/svg+xml";
    if (ends(".png")) return "image/png";
    if (ends(".ico")) return "image/x-icon";
    return "application/octet-stream";
}

}  // namespace

std::string gzip(const std::string& text, int level) {
    std::ostringstream out;
    {
        Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP, level);
        deflate.write(text.data(), static_cast<std::streamsize>(text.size()));
        deflate.close();
    }
    return out.str();
}

namespace {

// `text` with every {{PREFIXname}} replaced by fill(name).
template <typename Fill>
std::string fillPlaceholders(const std::string& text, const std::string& prefix, Fill fill) {
    const std::string open = "{{" + prefix;
    std::string out;
    std::size_t at = 0;
    for (;;) {
        std::size_t start = text.find(open, at);
        if (start == std::string::npos) break;
        std::size_t close = text.find("}}", start);
        if (close == std::string::npos)
            throw std::logic_error("unclosed " + open + " in a template");
        out.append(text, at, start - at);
        out += fill(text.substr(start + open.size(), close - start - open.size()));
        at = close + 2;
    }
    out.append(text, at, std::string::npos);
    return out;
}

}  // namespace

std::string fillTexts(const std::string& text, const std::string& lang) {
    return fillPlaceholders(
        text, "t:", [&](const std::string& code) { return escapeHtml(msg(code).in(lang)); });
}

Renderer::Renderer(const std::vector<std::pair<std::string, std::string>>& files)
    : cache_(std::make_unique<ctemplate::TemplateCache>()) {
    const std::string templates = "templates/", statics = "static/", icons = "icons/";
    // Icons are drawn into the page (inline SVG): a long folder's hundred of them cost
    // the browser far less than as many images or references to one image file.
    std::map<std::string, std::string> iconMarkup;
    for (const auto& [path, body] : files) {
        if (path.compare(0, icons.size(), icons) != 0 || path.size() < 4 ||
            path.compare(path.size() - 4, 4, ".svg") != 0)
            continue;
        std::string name = path.substr(icons.size(), path.size() - icons.size() - 4);
        std::string markup = body;
        while (!markup.empty() && (markup.back() == '\n' || markup.back() == ' '))
            markup.pop_back();
        if (!cache_->StringToTemplateCache(iconTemplate(name),
                                           "{{%AUTOESCAPE context=\"HTML\"}}" + markup,
                                           ctemplate::DO_NOT_STRIP)) {
            throw std::logic_error("icon " + path + " does not parse");
        }
        iconMarkup.emplace(std::move(name), std::move(markup));
    }
    for (const auto& [path, body] : files) {
        if (path.compare(0, templates.size(), templates) == 0) {
            std::string name = path.substr(templates.size());
            const std::string withIcons =
                fillPlaceholders(body, "icon:", [&](const std::string& icon) {
                    auto it = iconMarkup.find(icon);
                    if (it == iconMarkup.end())
                        throw std::logic_error("no icon " + icon + " in web/icons/");
                    return it->second;
                });
            for (const char* lang : kLanguages) {
                std::string key = std::string(lang) + "/" + name;
                if (!cache_->StringToTemplateCache(key, fillTexts(withIcons, lang),
                                                   ctemplate::DO_NOT_STRIP)) {
                    throw std::logic_error("template " + path + " does not parse");
                }
            }
        } else if (path.compare(0, statics.size(), statics) == 0) {
            Poco::SHA2Engine sha;
            sha.update(body);
            std::string etag =
                "\"" + Poco::DigestEngine::digestToHex(sha.digest()).substr(0, 20) + "\"";
            assets_[path.substr(statics.size())] = Asset{body, gzip(body, 9), typeOf(path), etag};
        }
    }
    cache_->Freeze();
}

Renderer::~Renderer() = default;

std::string Renderer::iconTemplate(const std::string& name) { return "icons/" + name; }

std::string Renderer::render(const std::string& name, const std::string& lang,
                             const ctemplate::TemplateDictionary& dict) const {
    std::string out;
    std::string key = (lang == "en" ? std::string("en/") : std::string("ja/")) + name + ".html";
    if (!cache_->ExpandNoLoad(key, ctemplate::DO_NOT_STRIP, &dict, nullptr, &out)) {
        throw std::logic_error("template " + key + " could not be expanded");
    }
    return out;
}

const Asset* Renderer::asset(const std::string& name) const {
    auto it = assets_.find(name);
    return it == assets_.end() ? nullptr : &it->second;
}

}  // namespace kiroku::web
