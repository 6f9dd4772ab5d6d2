#include "domain/catalog/stock.hpp"

namespace goji::catalog {

std::string_view StockMoveName(StockMove m) {
    switch (m) {
        case StockMove::kReceive:
            return "receive";
        case StockMove::kAdjust:
            return "adjust";
        case StockMove::kReserve:
            return "reserve";
        case StockMove::kRelease:
            return "release";
        case StockMove::kSell:
            return "sell";
        case StockMove::kReturn:
            return "return";
    }
    return "adjust";
}

std::string_view StockCauseName(StockCause c) {
    switch (c) {
        case StockCause::kStaff:
            return "staff";
        case StockCause::kOrder:
            return "order";
        case StockCause::kRefund:
            return "refund";
        case StockCause::kFlashSale:
            return "flash_sale";
    }
    return "staff";
}

std::string StockProblem::Describe() const {
    return "sku " + sku.ToString() + ": available " + std::to_string(available) + " (ledger " +
           std::to_string(ledger_available) + "), reserved " + std::to_string(reserved) + " (ledger " +
           std::to_string(ledger_reserved) + "), sold " + std::to_string(sold) + " (ledger " +
           std::to_string(ledger_sold) + "), received and adjusted " + std::to_string(added);
}

}  // namespace goji::catalog
