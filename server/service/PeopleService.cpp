#include "service/PeopleService.h"

#include "audit/AuditLog.h"

namespace kiroku::service {

void PeopleService::requireAdmin(const Caller& who) {
    if (!who.subject.admin)
        throw ServiceError(ServiceError::Code::Forbidden, msg("rights.admin_only"));
}

template <typename F>
void PeopleService::refusals(F f) {
    try {
        f();
    } catch (const UserError& e) {
        throw ServiceError(ServiceError::Code::Invalid, e.message());
    }
}

void PeopleService::record(const Caller& who, const char* action, const std::string& name) {
    AuditEvent e;
    e.user = who.user.name;
    e.roles = who.subject.rolesLabel();
    e.address = who.address;
    e.action = action;
    e.dest = name;
    e.result = "ok";
    audit::append(db_, e);
}

std::vector<PersonView> PeopleService::people(const Caller& who,
                                              const std::vector<DocPath>& spaces) {
    bool allowed = who.subject.admin;
    for (const auto& s : spaces) {
        allowed = allowed || documents_.rights(who, s).allows(Rights::Manage);
    }
    if (!allowed) throw ServiceError(ServiceError::Code::Forbidden, msg("rights.not_manager"));
    std::vector<PersonView> out;
    for (const auto& u : users_.list()) out.push_back({u.name, u.display, u.disabled, u.admin});
    return out;
}

void PeopleService::add(const Caller& who, const std::string& name, const std::string& display,
                        const std::string& password) {
    requireAdmin(who);
    refusals([&] {
        UserDirectory::checkName(name);
        users_.add(name, display, password);
    });
    record(who, "user-add", name);
}

void PeopleService::setDisabled(const Caller& who, const std::string& name, bool disabled) {
    requireAdmin(who);
    if (disabled && name == who.user.name) {
        throw ServiceError(ServiceError::Code::Invalid, msg("web.people.not_yourself"));
    }
    refusals([&] { users_.setDisabled(name, disabled); });
    record(who, disabled ? "user-disable" : "user-enable", name);
}

void PeopleService::setPassword(const Caller& who, const std::string& name,
                                const std::string& password) {
    requireAdmin(who);
    refusals([&] { users_.setPassword(name, password); });
    record(who, "user-passwd", name);
}

}  // namespace kiroku::service
