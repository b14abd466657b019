using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Notifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProposedReason",
                table: "Disputes",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ProposedSellerBps",
                table: "Disputes",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SellerStatement",
                table: "Disputes",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "SellerStatementAt",
                table: "Disputes",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DisputeClaims",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ChainId = table.Column<long>(type: "bigint", nullable: false),
                    EscrowOnChainId = table.Column<long>(type: "bigint", nullable: false),
                    BuyerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    Mode = table.Column<string>(type: "character varying(40)", unicode: false, maxLength: 40, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisputeClaims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisputeClaims_AspNetUsers_BuyerId",
                        column: x => x.BuyerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Notifications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", unicode: false, maxLength: 40, nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", unicode: false, maxLength: 200, nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Body = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Link = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReadAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Notifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Notifications_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "DisputeClaimEvidence",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ClaimId = table.Column<Guid>(type: "uuid", nullable: false),
                    Cid = table.Column<string>(type: "character varying(128)", unicode: false, maxLength: 128, nullable: false),
                    Description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisputeClaimEvidence", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisputeClaimEvidence_DisputeClaims_ClaimId",
                        column: x => x.ClaimId,
                        principalTable: "DisputeClaims",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DisputeClaimEvidence_ClaimId_Cid",
                table: "DisputeClaimEvidence",
                columns: new[] { "ClaimId", "Cid" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DisputeClaims_BuyerId",
                table: "DisputeClaims",
                column: "BuyerId");

            migrationBuilder.CreateIndex(
                name: "IX_DisputeClaims_ChainId_EscrowOnChainId_BuyerId",
                table: "DisputeClaims",
                columns: new[] { "ChainId", "EscrowOnChainId", "BuyerId" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_UserId_CreatedAt",
                table: "Notifications",
                columns: new[] { "UserId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Notifications_UserId_Key",
                table: "Notifications",
                columns: new[] { "UserId", "Key" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DisputeClaimEvidence");

            migrationBuilder.DropTable(
                name: "Notifications");

            migrationBuilder.DropTable(
                name: "DisputeClaims");

            migrationBuilder.DropColumn(
                name: "ProposedReason",
                table: "Disputes");

            migrationBuilder.DropColumn(
                name: "ProposedSellerBps",
                table: "Disputes");

            migrationBuilder.DropColumn(
                name: "SellerStatement",
                table: "Disputes");

            migrationBuilder.DropColumn(
                name: "SellerStatementAt",
                table: "Disputes");
        }
    }
}
