using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchPerformance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LatestFormat",
                table: "Datasets",
                type: "character varying(40)",
                unicode: false,
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LatestSizeBytes",
                table: "Datasets",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "RatingAverage",
                table: "Datasets",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.Sql(NeuroData.Infrastructure.Search.SearchSchema.PostgresBackfill);

            migrationBuilder.CreateIndex(
                name: "IX_Datasets_Live_Newest",
                table: "Datasets",
                columns: new[] { "PublishedAt", "Id" },
                descending: new[] { true, false },
                filter: "\"Status\" = 'Live'");

            migrationBuilder.CreateIndex(
                name: "IX_Datasets_Live_Popular",
                table: "Datasets",
                columns: new[] { "PurchaseCount", "ViewCount", "Id" },
                descending: new[] { true, true, false },
                filter: "\"Status\" = 'Live'");

            migrationBuilder.CreateIndex(
                name: "IX_Datasets_Live_PriceAsc",
                table: "Datasets",
                columns: new[] { "Price", "Id" },
                filter: "\"Status\" = 'Live'");

            migrationBuilder.CreateIndex(
                name: "IX_Datasets_Live_PriceDesc",
                table: "Datasets",
                columns: new[] { "Price", "Id" },
                descending: new[] { true, false },
                filter: "\"Status\" = 'Live'");

            migrationBuilder.CreateIndex(
                name: "IX_Datasets_Live_TopRated",
                table: "Datasets",
                columns: new[] { "RatingAverage", "ReviewCount", "Id" },
                descending: new[] { true, true, false },
                filter: "\"Status\" = 'Live'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Datasets_Live_Newest",
                table: "Datasets");

            migrationBuilder.DropIndex(
                name: "IX_Datasets_Live_Popular",
                table: "Datasets");

            migrationBuilder.DropIndex(
                name: "IX_Datasets_Live_PriceAsc",
                table: "Datasets");

            migrationBuilder.DropIndex(
                name: "IX_Datasets_Live_PriceDesc",
                table: "Datasets");

            migrationBuilder.DropIndex(
                name: "IX_Datasets_Live_TopRated",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "LatestFormat",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "LatestSizeBytes",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "RatingAverage",
                table: "Datasets");
        }
    }
}
