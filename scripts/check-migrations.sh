#!/usr/bin/env bash
# Fails (exit 1) when the model has changes that no migration captures, for any database provider.
# CI runs this; fix a failure with scripts/add-migration.sh NAME.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

dotnet tool restore >/dev/null
dotnet build NeuroData.Infrastructure --nologo -v quiet

failed=0
for provider in Sqlite Postgres; do
  if dotnet ef migrations has-pending-model-changes \
      --project NeuroData.Infrastructure --startup-project NeuroData.Infrastructure \
      --context "${provider}NeuroDataDbContext" --no-build; then
    echo "== $provider: migrations are up to date"
  else
    echo "== $provider: the model has changes without a migration (run scripts/add-migration.sh NAME)" >&2
    failed=1
  fi
done
exit $failed
