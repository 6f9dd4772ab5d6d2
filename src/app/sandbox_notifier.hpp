#pragma once

#include <stop_token>
#include <string>

#include "common/clock.hpp"
#include "domain/orders/payment.hpp"
#include "infra/sandbox_pay.hpp"
#include "storage/storage.hpp"

namespace goji::app {

// The sandbox provider's sending side: delivers the notifications it owes
// Goji, retried with back-off until answered 2xx, and asks about payments
// whose notification never came (reconciliation). One node at a time does
// each, the one holding the job's lease in the database.
//
// Notifications flow without rounds: a loop reads what is due and queues
// what is not yet on its way; sender threads (kept for the notifier's
// lifetime, each with its own kept-alive connection) post them as soon as
// they are queued, several in flight at once so that their confirmations
// share commits; the loop marks the delivered ones, many in one write. A
// crash before that mark only means those notifications are sent again,
// which Goji ignores. A charge made on this node wakes the loop at once
// (charges made on other nodes wait for its 300 ms round), so a payment is
// notified as soon as it is made.
struct SandboxNotifierParts {
    storage::Storage& storage;
    infra::SandboxProvider& sandbox;
    orders::PaymentService& payments;
    const Clock& clock;
};

void RunSandboxNotifier(const SandboxNotifierParts& parts, const std::string& notify_url, const std::string& holder,
                        Millis reconcile_every, std::stop_token stop);

}  // namespace goji::app
