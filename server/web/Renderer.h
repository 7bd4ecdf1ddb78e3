#pragma once
// Renderer: the web pages' templates and static files (web/, built into the program).
//
// Templates are ctemplate templates with AUTOESCAPE context="HTML": every value a page
// shows is escaped for where it stands (text, attribute, URL) by construction, so
// nothing a person typed or named can become markup. A template names catalogue texts
// as {{t:code}}; each template is prepared once per language ("ja", "en") with those
// texts filled in (HTML-escaped), so pages never hold a sentence of their own.
// Icons are web/icons/NAME.svg, drawn into the page: {{icon:NAME}} in a template, or
// an include ({{>ICON}}) whose file name is iconTemplate(NAME) for one chosen per row.
// Static files (CSS, JavaScript) are served as they are, with an ETag.
// Thread-safe after construction.

#include <ctemplate/template.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace kiroku {
// The files of web/ (templates, icons and static files), embedded at build time.
const std::vector<std::pair<std::string, std::string>>& webFiles();
}  // namespace kiroku

namespace kiroku::web {

struct Asset {
    std::string body;
    std::string gzipped;  // the body compressed once, for browsers that accept gzip
    std::string type;     // Content-Type
    std::string etag;
};

// `text` compressed with gzip at `level` (1 fast … 9 small).
std::string gzip(const std::string& text, int level);

class Renderer {
public:
    // `files`: web/'s files as (path below web/, contents). Throws std::logic_error when
    // a template does not parse or names an unknown catalogue code.
    explicit Renderer(const std::vector<std::pair<std::string, std::string>>& files);
    ~Renderer();

    // Expands templates/NAME.html in `lang` with `dict`. Throws std::logic_error when
    // the template is unknown.
    std::string render(const std::string& name, const std::string& lang,
                       const ctemplate::TemplateDictionary& dict) const;

    // The template name of web/icons/NAME.svg, for an include dictionary.
    static std::string iconTemplate(const std::string& name);

    // A static file under static/ ("kiroku.css"), or null.
    const Asset* asset(const std::string& name) const;

private:
    std::unique_ptr<ctemplate::TemplateCache> cache_;
    std::map<std::string, Asset> assets_;
};

// The text with every {{t:code}} replaced by the code's text in `lang`, HTML-escaped.
// Throws std::logic_error for an unknown code.
std::string fillTexts(const std::string& text, const std::string& lang);

}  // namespace kiroku::web
