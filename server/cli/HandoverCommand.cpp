// kiroku handover list | show | ack: the handovers (引継ぎ) of the terms ending in a
// fiscal year, as an administrator on the NAS sees them. The command opens the records
// that are due today first (kirokud does the same as it starts and then every hour), so
// that what it prints is what the pages show.

#include "cli/Env.h"
#include "service/HandoverService.h"
#include "web/HandoverExport.h"
#include "web/Renderer.h"

#include <Poco/File.h>
#include <Poco/Logger.h>

#include <fstream>
#include <iomanip>

namespace kiroku::cli {

namespace {

// The services a handover command needs, over the CLI's database and store, with the
// administrator of the NAS as the caller.
struct Handovers {
    explicit Handovers(Env& env)
        : policy(*env.db, env.settings),
          documents(*env.store, policy, locks, Poco::Logger::get("kiroku")),
          history(documents, *env.db),
          service(documents, history, policy, *env.db, env.settings) {
        User admin;
        admin.name = "kiroku-cli";
        admin.admin = true;
        caller = service::Caller{admin, "local", policy.subjectFor(admin, Date::today()), {}};
    }
    acl::AccessPolicy policy;
    service::LockManager locks;
    service::DocumentService documents;
    service::HistoryService history;
    service::HandoverService service;
    service::Caller caller;
};

// The fiscal year a handover command is about: --term, else the one whose handovers are
// under way (until the end of May, the year that just ended).
int termOf(const Env& env) {
    if (env.flag("term")) return yearArg("--term", env.flags.at("term")).year;
    return FiscalYear::containing(Date::today().plusDays(-61)).year;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

void printSummary(Env& env, const service::HandoverSummary& s) {
    env.out << std::left << std::setw(8) << s.id << s.org << " " << s.role << "  " << s.holder
            << " -> " << (s.successors.empty() ? "-" : join(s.successors)) << "  "
            << env.text(msg(service::handoverStatusCode(s.status)));
    if (s.noSuccessor) env.out << "  [" << env.text(msg("handover.flag.no_successor")) << "]";
    if (s.overdue) env.out << "  [" << env.text(msg("handover.flag.overdue")) << "]";
    if (s.receivedOnPaper) env.out << "  [" << env.text(msg("handover.flag.on_paper")) << "]";
    env.out << "\n";
}

}  // namespace

void addDemoHandover(Env& env, const std::string& org, const std::string& role,
                     const std::string& user) {
    Handovers h(env);
    auto snap = h.policy.snapshot();
    const acl::Organisation* o = snap->orgNamed(org);
    const std::string today = Date::today().str();
    for (const auto& a : snap->assignments) {
        if (!o || a.orgId != o->id || a.role != role || a.userName != user || a.start > today ||
            a.end < today)
            continue;
        const std::int64_t id = h.service.open(h.caller, a.id);
        if (!h.service.show(h.caller, id, false).note.empty()) return;  // already written
        const Message& note = msg("demo.handover.note");
        h.service.setNote(h.caller, id, note.ja);
        auto demo = [](const char* code) { return msg(code).ja; };
        h.service.putMatter(h.caller, id, {0, id, demo("demo.handover.matter"), "open", "", "", {}},
                            {DocPath::fromText(org + "/" + demo("demo.handover.document"))});
        h.service.putContact(h.caller, id,
                             {0, id, demo("demo.handover.contact"),
                              demo("demo.handover.contact_org"), "0000-00-0000", ""});
        h.service.putItem(
            h.caller, id,
            {0, id, demo("demo.handover.key"), demo("demo.handover.key_place"), "", 2, "", ""});
        h.service.putItem(
            h.caller, id,
            {0, id, demo("demo.handover.seal"), demo("demo.handover.seal_place"), "", 1, "", ""});
        return;
    }
}

int handoverCommand(Env& env) {
    const std::string& sub = env.arg(1, "cli.what.handover_subcommand");
    Handovers h(env);
    h.service.openDue(Date::today());
    const int term = termOf(env);
    if (sub == "list") {
        auto all = h.service.list(h.caller, term);
        env.say(msg("cli.handover.list_heading", {{"year", FiscalYear{term}.japanese()},
                                                  {"count", std::to_string(all.size())}}));
        for (const auto& s : all) printSummary(env, s);
        return 0;
    }
    const std::string& org = env.arg(2, "cli.what.org_name");
    const std::string& role = env.arg(3, "cli.what.role");
    const std::string holder = env.flag("user") ? env.flags.at("user") : std::string();
    const std::int64_t id = h.service.find(h.caller, org, role, term, holder);
    if (sub == "show") {
        auto d = h.service.show(h.caller, id);
        printSummary(env, d.summary);
        env.out << env.text(msg("handover.term")) << ": " << d.summary.termStart << " .. "
                << d.summary.termEnd << "\n";
        if (!d.note.empty()) env.out << env.text(msg("handover.note")) << ":\n  " << d.note << "\n";
        env.out << env.text(msg("handover.matters")) << ": " << d.matters.size() << "\n";
        for (std::size_t i = 0; i < d.matters.size(); ++i) {
            const auto& m = d.matters[i];
            env.out << "  - " << m.title << " (" << m.status << (m.due.empty() ? "" : ", " + m.due)
                    << ")";
            for (const auto& p : d.matterDocuments[i]) env.out << "  /" << p;
            env.out << "\n";
        }
        env.out << env.text(msg("handover.contacts")) << ": " << d.contacts.size() << "\n";
        for (const auto& c : d.contacts)
            env.out << "  - " << c.name << " " << c.organisation << " " << c.phone << "\n";
        env.out << env.text(msg("handover.items")) << ": " << d.items.size() << "\n";
        for (const auto& i : d.items) {
            env.out << "  - " << i.name << " x" << i.quantity << " " << i.place
                    << (i.received.empty() ? "" : "  [" + i.receivedBy + "]") << "\n";
        }
        env.out << env.text(msg("handover.inventory")) << ": " << d.inventory.size() << "\n";
        for (const auto& f : d.inventory) env.out << "  /" << f.path.str() << "\n";
        env.out << env.text(msg("handover.changes")) << ": " << d.changes.size() << "\n";
        return 0;
    }
    if (sub == "export") {
        if (!env.flag("output")) throw UsageError(msg("cli.usage.output_needed"));
        const std::string output = env.flags.at("output");
        auto d = h.service.show(h.caller, id);
        // Written beside the target and renamed at the end: a failed export leaves no
        // half archive under the name asked for.
        const std::string partial = output + ".part";
        struct FileSink : zip::Sink {
            explicit FileSink(const std::string& path)
                : out(path, std::ios::binary | std::ios::trunc) {}
            void write(const char* data, std::size_t size) override {
                out.write(data, static_cast<std::streamsize>(size));
                if (!out) throw std::runtime_error("cannot write the archive");
            }
            std::ofstream out;
        } sink(partial);
        if (!sink.out) throw std::runtime_error("cannot write " + partial);
        web::Renderer renderer(webFiles());
        h.service.recordExport(h.caller, id, d.inventory.size());
        web::ExportResult r;
        try {
            r = web::writeHandoverZip(d, h.documents, h.history, renderer, h.caller, env.lang,
                                      sink);
            sink.out.close();
            if (!sink.out) throw std::runtime_error("cannot write " + partial);
            Poco::File(partial).renameTo(output);
        } catch (...) {
            Poco::File(partial).remove();
            throw;
        }
        env.say(msg("cli.handover.exported", {{"path", output},
                                              {"count", std::to_string(r.documents)},
                                              {"bytes", std::to_string(r.bytes)}}));
        return 0;
    }
    if (sub == "ack") {
        if (!env.flag("by")) throw UsageError(msg("cli.usage.by_needed"));
        h.service.recordPaperReceipt(h.caller, id, env.flags.at("by"));
        env.say(
            msg("cli.handover.acked", {{"org", org}, {"role", role}, {"by", env.flags.at("by")}}));
        return 0;
    }
    unknownSubcommand("handover", sub);
}

}  // namespace kiroku::cli
