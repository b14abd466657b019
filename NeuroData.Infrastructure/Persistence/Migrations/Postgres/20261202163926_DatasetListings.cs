using System;
using System.Numerics;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DatasetListings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DatasetListings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DatasetId = table.Column<Guid>(type: "uuid", nullable: false),
                    VersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    AccessType = table.Column<string>(type: "character varying(40)", unicode: false, maxLength: 40, nullable: false),
                    ChainListingId = table.Column<long>(type: "bigint", nullable: false),
                    Seller = table.Column<string>(type: "character varying(42)", unicode: false, maxLength: 42, nullable: false),
                    TransactionHash = table.Column<string>(type: "character varying(66)", unicode: false, maxLength: 66, nullable: false),
                    Price = table.Column<BigInteger>(type: "numeric(78,0)", nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", unicode: false, maxLength: 40, nullable: false),
                    StatusReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ModerationTransactionHash = table.Column<string>(type: "character varying(66)", unicode: false, maxLength: 66, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DatasetListings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DatasetListings_DatasetVersions_VersionId",
                        column: x => x.VersionId,
                        principalTable: "DatasetVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_DatasetListings_Datasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ModerationLog",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DatasetId = table.Column<Guid>(type: "uuid", nullable: false),
                    ActorId = table.Column<Guid>(type: "uuid", nullable: false),
                    Action = table.Column<string>(type: "character varying(40)", unicode: false, maxLength: 40, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModerationLog", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ModerationLog_AspNetUsers_ActorId",
                        column: x => x.ActorId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ModerationLog_Datasets_DatasetId",
                        column: x => x.DatasetId,
                        principalTable: "Datasets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DatasetListings_ChainListingId",
                table: "DatasetListings",
                column: "ChainListingId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DatasetListings_DatasetId_Status",
                table: "DatasetListings",
                columns: new[] { "DatasetId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_DatasetListings_TransactionHash",
                table: "DatasetListings",
                column: "TransactionHash");

            migrationBuilder.CreateIndex(
                name: "IX_DatasetListings_VersionId_AccessType",
                table: "DatasetListings",
                columns: new[] { "VersionId", "AccessType" });

            migrationBuilder.CreateIndex(
                name: "IX_ModerationLog_ActorId",
                table: "ModerationLog",
                column: "ActorId");

            migrationBuilder.CreateIndex(
                name: "IX_ModerationLog_DatasetId_At",
                table: "ModerationLog",
                columns: new[] { "DatasetId", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DatasetListings");

            migrationBuilder.DropTable(
                name: "ModerationLog");
        }
    }
}
