// kirokud: the Kiroku document server (WebDAV under /dav/, start page at /).
#include "app/KirokuServer.h"
#include "core/Clock.h"
#include "core/DataDir.h"
#include "core/Settings.h"
#include "messages/Messages.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/Environment.h>
#include <Poco/File.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Net/NetworkInterface.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/PatternFormatter.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <malloc.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <iostream>

using Poco::Util::Option;

namespace {

// The https:// addresses office PCs can use: the listen address itself, or every
// non-loopback IPv4 address of this machine when listening on all of them.
std::vector<std::string> lanUrls(const std::string& listen) {
    Poco::Net::SocketAddress address(listen);
    std::string port = std::to_string(address.port());
    std::vector<std::string> urls;
    if (!address.host().isWildcard()) {
        urls.push_back("https://" + listen + "/dav/");
        return urls;
    }
    try {
        for (const auto& nic : Poco::Net::NetworkInterface::list(true, true)) {
            for (const auto& a : nic.addressList()) {
                const auto& ip = a.get<Poco::Net::NetworkInterface::IP_ADDRESS>();
                if (ip.family() == Poco::Net::IPAddress::IPv4 && !ip.isLoopback()) {
                    urls.push_back("https://" + ip.toString() + ":" + port + "/dav/");
                }
            }
        }
    } catch (const Poco::Exception&) {
    }
    urls.push_back("https://" + Poco::Environment::nodeName() + ":" + port + "/dav/");
    return urls;
}

}  // namespace
using Poco::Util::OptionSet;

class Kirokud : public Poco::Util::ServerApplication {
protected:
    void defineOptions(OptionSet& options) override {
        ServerApplication::defineOptions(options);
        options.addOption(
            Option("help", "h", "show this help")
                .callback(Poco::Util::OptionCallback<Kirokud>(this, &Kirokud::showHelp)));
        options.addOption(Option("data", "", "data directory (default ./kiroku-data)")
                              .argument("DIR")
                              .binding("kiroku.data"));
        options.addOption(Option("config", "", "configuration file (default DIR/kiroku.properties)")
                              .argument("FILE")
                              .binding("kiroku.config"));
        options.addOption(Option("listen", "", "plain HTTP address (default 127.0.0.1:8080)")
                              .argument("HOST:PORT")
                              .binding("kiroku.listen"));
        options.addOption(Option("listen-tls", "", "HTTPS address (default 0.0.0.0:8443), or off")
                              .argument("HOST:PORT")
                              .binding("kiroku.listenTls"));
    }

    void showHelp(const std::string&, const std::string&) {
        Poco::Util::HelpFormatter help(options());
        help.setCommand("kirokud");
        help.setUsage("--data DIR [--listen HOST:PORT] [--listen-tls HOST:PORT|off]");
        help.setHeader("Kiroku document server: WebDAV under /dav/, start page at /.");
        help.format(std::cout);
        stopOptionsProcessing();
        helpShown_ = true;
    }

    int main(const std::vector<std::string>&) override {
        if (helpShown_) return EXIT_OK;
        // glibc gives busy threads their own malloc arenas, which stay large after a
        // burst of requests; two arenas keep idle memory small on a 1 GB NAS.
        ::mallopt(M_ARENA_MAX, 2);
        // Documents, the database, the index and the log are for the service's own user
        // and group (install.sh: kiroku), not for every account on the NAS.
        ::umask(027);
        // Connections that wait for their first request hold a descriptor, not a thread:
        // allow as many descriptors as the system lets this user have.
        struct rlimit files {};
        if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
            files.rlim_cur = files.rlim_max;
            ::setrlimit(RLIMIT_NOFILE, &files);
        }
        Poco::AutoPtr<Poco::PatternFormatter> format(
            new Poco::PatternFormatter("%Y-%m-%d %H:%M:%S %p: %t"));
        Poco::AutoPtr<Poco::FormattingChannel> channel(
            new Poco::FormattingChannel(format, new Poco::ConsoleChannel));
        Poco::Logger& log =
            Poco::Logger::create("kirokud", channel, Poco::Message::PRIO_INFORMATION);
        try {
            kiroku::DataDir dir(config().getString("kiroku.data", "./kiroku-data"));
            // A first start makes the data directory; said loudly, since a misspelt --data
            // makes one too, and serves nobody.
            const bool madeNow = !dir.isDataDirectory();
            dir.ensureLayout();
            std::string configFile = config().getString("kiroku.config", "");
            if (configFile.empty()) {
                configFile = dir.properties();
                kiroku::Settings::writeDefaultFile(configFile);
            }
            if (Poco::File(configFile).exists())
                loadConfiguration(configFile, PRIO_APPLICATION - 1);
            kiroku::Settings settings = kiroku::Settings::from(config());
            if (config().has("kiroku.listen"))
                settings.httpListen = config().getString("kiroku.listen");
            if (config().has("kiroku.listenTls"))
                settings.httpsListen = config().getString("kiroku.listenTls");

            // Before any thread: every "today" of this process is in the association's zone.
            auto clock = kiroku::Clock::install(settings.timeZone);

            kiroku::KirokuServer server(dir, settings, log);
            server.start();
            log.information("Kiroku is running. Data: %s", dir.root());
            log.information("  Drive (this machine):  http://%s/dav/", settings.httpListen);
            if (const auto& cert = server.certificate()) {
                for (const auto& url : lanUrls(settings.httpsListen)) {
                    log.information("  Drive (office LAN):    %s", url);
                }
                log.information("  TLS certificate SHA-256 fingerprint: %s%s",
                                cert->sha256Fingerprint,
                                std::string(cert->generated ? " (newly generated)" : ""));
            }
            log.information("  %s", clock->todayNotice().ja);
            if (auto warning = clock->fakeWarning()) log.warning("  %s", warning->both());
            if (madeNow) {
                log.warning("  %s",
                            kiroku::msg("server.made_data_dir", {{"path", dir.root()}}).both());
            }
            if (!server.hasUsers()) {
                log.warning("  %s", kiroku::msg("server.no_users", {{"path", dir.root()}}).both());
            }
            log.information("  %s",
                            kiroku::msg("server.start_page",
                                        {{"address", "http://" + settings.httpListen + "/"}})
                                .ja);
            log.information(
                "  Mount it: Windows Explorer > This PC > Add a network location; macOS Finder > "
                "Go > Connect to Server;"
                " or rclone/davfs2/cadaver (see docs/mounting.md). Stop with Ctrl+C.");
            waitForTerminationRequest();
            log.information("Stopping.");
            server.stop();
        } catch (const kiroku::Refusal& e) {
            log.fatal("kirokud cannot start: %s", e.message().both());
            return EXIT_SOFTWARE;
        } catch (const Poco::Exception& e) {
            log.fatal("kirokud cannot start: %s", e.displayText());
            return EXIT_SOFTWARE;
        } catch (const std::exception& e) {
            log.fatal("kirokud cannot start: %s", std::string(e.what()));
            return EXIT_SOFTWARE;
        }
        return EXIT_OK;
    }

private:
    bool helpShown_ = false;
};

POCO_SERVER_MAIN(Kirokud)
