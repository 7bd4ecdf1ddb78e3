#pragma once
// PeopleService: the people who can log in, as the web pages manage them. Anyone who
// manages an organisation sees the list of people (login and display name, to appoint
// them to a role); only administrators add people, disable or enable them and give
// them a new password. Every change is written to the audit log with the person who
// made it. Refusals are ServiceErrors (Invalid for a bad name or password, with the
// directory's message). Thread-safe.

#include "auth/UserDirectory.h"
#include "db/Database.h"
#include "service/DocumentService.h"

#include <string>
#include <vector>

namespace kiroku::service {

struct PersonView {
    std::string name, display;
    bool disabled = false;
    bool admin = false;
};

class PeopleService {
public:
    PeopleService(DocumentService& documents, UserDirectory& users, Database& db)
        : documents_(documents), users_(users), db_(db) {}

    // Administrators, and people who manage the space of some organisation.
    std::vector<PersonView> people(const Caller& who, const std::vector<DocPath>& spaces);
    void add(const Caller& who, const std::string& name, const std::string& display,
             const std::string& password);
    void setDisabled(const Caller& who, const std::string& name, bool disabled);
    void setPassword(const Caller& who, const std::string& name, const std::string& password);

private:
    void requireAdmin(const Caller& who);
    void record(const Caller& who, const char* action, const std::string& name);
    template <typename F>
    void refusals(F f);

    DocumentService& documents_;
    UserDirectory& users_;
    Database& db_;
};

}  // namespace kiroku::service
