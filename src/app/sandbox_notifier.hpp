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
// Several notifications are in flight at once (kept-alive connections, one
// per sender thread, the threads kept for the notifier's lifetime), so that
// their confirmations share commits; the charges of a batch that were
// delivered are marked in one write afterwards. A crash before that mark
// only means those notifications are sent again, which Goji ignores. When
// nothing is due it waits for the next charge made on this node (or 300 ms,
// for charges made on other nodes), so a payment is notified as soon as it
// is made.
struct SandboxNotifierParts {
    storage::Storage& storage;
    infra::SandboxProvider& sandbox;
    orders::PaymentService& payments;
    const Clock& clock;
};

void RunSandboxNotifier(const SandboxNotifierParts& parts, const std::string& notify_url, const std::string& holder,
                        Millis reconcile_every, std::stop_token stop);

}  // namespace goji::app
