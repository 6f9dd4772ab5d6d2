#include "app/seed.hpp"

namespace goji::app {

using accounts::Role;

const std::vector<DemoLogin>& DemoLogins() {
    static const std::vector<DemoLogin> kLogins = {
        {"admin", "goji-demo-admin", "platform admin"},
        {"jinghe-officer", "goji-demo-officer", "county e-commerce officer, Jinghe County 652722"},
        {"trainer", "goji-demo-trainer", "trainer"},
        {"buyer", "goji-demo-buyer", "buyer"},
    };
    return kLogins;
}

Result<bool> SeedDemo(accounts::AccountService& accounts, accounts::UserRepository& users, bool if_empty) {
    auto count = users.Count();
    if (!count) return std::move(count).error();
    if (if_empty && *count > 0) return false;
    struct Person {
        std::string_view login;
        std::string_view name;
        std::optional<Role> role;
        std::string_view region;
    };
    const Person people[] = {
        {"admin", "平台管理员", Role::kAdmin, ""},
        {"jinghe-officer", "精河县电商办 马主任", Role::kCountyOfficer, "652722"},
        {"trainer", "托里镇培训讲师 阿依古丽", Role::kTrainer, ""},
        {"buyer", "乌鲁木齐买家 李女士", std::nullopt, ""},
    };
    for (const Person& p : people) {
        std::string password;
        for (const auto& l : DemoLogins()) {
            if (l.login == p.login) password = l.password;
        }
        auto user = accounts.AddUser({std::string(p.login), password, std::string(p.name)}, p.role, p.region);
        if (!user && user.error().code != "login_taken") return std::move(user).error();
    }
    return true;
}

}  // namespace goji::app
