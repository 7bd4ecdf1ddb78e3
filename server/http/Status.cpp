#include "http/Status.h"

namespace kiroku {

void setStatus(Poco::Net::HTTPResponse& response, int status) {
    auto code = static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status);
    if (status == 207) {
        response.setStatusAndReason(code, "Multi-Status");
    } else {
        response.setStatusAndReason(code);
    }
}

}  // namespace kiroku
