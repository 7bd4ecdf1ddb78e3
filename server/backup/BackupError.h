#pragma once
// BackupError: why a backup, its verification or a restore was refused or failed.
// what() is plain English, japanese() plain Japanese; the CLI prints both and exits 1.

#include "core/Refusal.h"

namespace kiroku::backup {

class BackupError : public Refusal {
public:
    using Refusal::Refusal;
};

}  // namespace kiroku::backup
