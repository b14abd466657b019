#!/usr/bin/env bash
# Adds an EF Core migration with the same NAME for every database provider (SQLite and PostgreSQL).
# Usage: scripts/add-migration.sh NAME
# Generated migration files are never edited by hand: change the model, then run this.
set -euo pipefail

if [[ $# -ne 1 || ! "$1" =~ ^[A-Za-z][A-Za-z0-9_]*$ ]]; then
  echo "usage: $0 NAME   (NAME: a C# identifier, e.g. AddDatasetLanguages)" >&2
  exit 2
fi
name="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

dotnet tool restore >/dev/null
dotnet build NeuroData.Infrastructure --nologo -v quiet

for provider in Sqlite Postgres; do
  echo "== $provider: adding migration $name"
  dotnet ef migrations add "$name" \
    --project NeuroData.Infrastructure --startup-project NeuroData.Infrastructure \
    --context "${provider}NeuroDataDbContext" \
    --output-dir "Persistence/Migrations/$provider" \
    --no-build
done
echo "Added migration $name for SQLite and PostgreSQL."
