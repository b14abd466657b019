using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TrainingRunQueue : Migration
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
        }
    }
}
