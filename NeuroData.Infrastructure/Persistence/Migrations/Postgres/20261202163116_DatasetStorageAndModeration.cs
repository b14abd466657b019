using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DatasetStorageAndModeration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PreviewJson",
                table: "DatasetVersions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PreviewRowCount",
                table: "DatasetVersions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "StorageCid",
                table: "DatasetVersions",
                type: "character varying(128)",
                unicode: false,
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TrainingDataCid",
                table: "DatasetVersions",
                type: "character varying(128)",
                unicode: false,
                maxLength: 128,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "TrainingDataWrappedKey",
                table: "DatasetVersions",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FlagReason",
                table: "Datasets",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "FlaggedAt",
                table: "Datasets",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsFeatured",
                table: "Datasets",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PreviewJson",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "PreviewRowCount",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "StorageCid",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "TrainingDataCid",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "TrainingDataWrappedKey",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "FlagReason",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "FlaggedAt",
                table: "Datasets");

            migrationBuilder.DropColumn(
                name: "IsFeatured",
                table: "Datasets");
        }
    }
}
