using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TrainingBaseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "BaselineMetricsJson",
                table: "DatasetVersions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LabelColumn",
                table: "DatasetVersions",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "BaselineMetricsJson",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "LabelColumn",
                table: "DatasetVersions");
        }
    }
}
