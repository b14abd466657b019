using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DatasetSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(global::NeuroData.Infrastructure.Search.SearchSchema.SqliteUp);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(global::NeuroData.Infrastructure.Search.SearchSchema.SqliteDown);
        }
    }
}
