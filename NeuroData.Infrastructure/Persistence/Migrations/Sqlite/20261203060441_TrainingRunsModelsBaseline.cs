using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Folds",
                table: "TrainingRuns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "ModelName",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 120,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Note",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ProgressJson",
                table: "TrainingRuns",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "RetypedColumns",
                table: "TrainingRuns",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<int>(
                name: "Seed",
                table: "TrainingRuns",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Stage",
                table: "TrainingRuns",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "TestFraction",
                table: "TrainingRuns",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<string>(
                name: "BaselineComputedAt",
                table: "DatasetVersions",
                type: "TEXT",
                maxLength: 28,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BaselineFailureReason",
                table: "DatasetVersions",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "BaselineStatus",
                table: "DatasetVersions",
                type: "TEXT",
                unicode: false,
                maxLength: 40,
                nullable: false,
                defaultValue: "NotApplicable");

            migrationBuilder.AddColumn<bool>(
                name: "ModelDownloadAllowed",
                table: "Datasets",
                type: "INTEGER",
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
