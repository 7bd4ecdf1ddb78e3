#include "service/ServiceError.h"

namespace kiroku::service {

int httpStatus(ServiceError::Code code) {
    switch (code) {
        case ServiceError::Code::NotFound:
            return 404;
        case ServiceError::Code::Forbidden:
            return 403;
        case ServiceError::Code::Exists:
            return 409;
        case ServiceError::Code::Conflict:
            return 409;
        case ServiceError::Code::IsAFolder:
            return 409;
        case ServiceError::Code::Locked:
            return 423;
        case ServiceError::Code::PreconditionFailed:
            return 412;
        case ServiceError::Code::InsufficientStorage:
            return 507;
        case ServiceError::Code::BadRequest:
            return 400;
        case ServiceError::Code::Invalid:
            return 403;
        case ServiceError::Code::Internal:
            return 500;
    }
    return 500;
}

}  // namespace kiroku::service
