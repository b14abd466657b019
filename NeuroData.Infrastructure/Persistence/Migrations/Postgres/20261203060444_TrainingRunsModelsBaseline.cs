using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TrainingRunsModelsBaseline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                table: "TrainingRuns",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Folds",
                table: "TrainingRuns",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ModelName",
                table: "TrainingRuns",
                type: "character varying(120)",
                maxLength: 120,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Note",
                table: "TrainingRuns",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProgressJson",
                table: "TrainingRuns",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string[]>(
                name: "RetypedColumns",
                table: "TrainingRuns",
                type: "text[]",
                nullable: false,
                defaultValue: new string[0]);

            migrationBuilder.AddColumn<int>(
                name: "Seed",
                table: "TrainingRuns",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Stage",
                table: "TrainingRuns",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TestFraction",
                table: "TrainingRuns",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);

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

            migrationBuilder.AddColumn<bool>(
                name: "ModelDownloadAllowed",
                table: "Datasets",
                type: "boolean",
                nullable: false,
                defaultValue: false);

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
                name: "Attempts",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "Folds",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "ModelName",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "Note",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "ProgressJson",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "RetypedColumns",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "Seed",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "Stage",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "TestFraction",
                table: "TrainingRuns");

            migrationBuilder.DropColumn(
                name: "BaselineComputedAt",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "BaselineFailureReason",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "BaselineStatus",
                table: "DatasetVersions");

            migrationBuilder.DropColumn(
                name: "ModelDownloadAllowed",
                table: "Datasets");
        }
    }
}
