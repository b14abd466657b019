using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DatasetSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(global::NeuroData.Infrastructure.Search.SearchSchema.PostgresUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(global::NeuroData.Infrastructure.Search.SearchSchema.PostgresDown);
        }
    }
}
