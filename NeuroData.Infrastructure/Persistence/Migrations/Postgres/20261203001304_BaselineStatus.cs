using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BaselineStatus : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "BaselineComputedAt",
                table: "DatasetVersions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BaselineFailureReason",
                table: "DatasetVersions",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BaselineStatus",
                table: "DatasetVersions",
                type: "character varying(40)",
                unicode: false,
                maxLength: 40,
                nullable: false,
                defaultValue: "NotApplicable");

            migrationBuilder.CreateIndex(
                name: "IX_DatasetVersions_BaselineStatus",
                table: "DatasetVersions",
                column: "BaselineStatus");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_DatasetVersions_BaselineStatus",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "BaselineComputedAt",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "BaselineFailureReason",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "BaselineStatus",
                table: "DatasetVersions");
        }
    }
}
