using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NeuroData.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ChainMirrorAndSiweNonces : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ChainBlocks",
                columns: table => new
                {
                    ChainId = table.Column<long>(type: "INTEGER", nullable: false),
                    Number = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 66, nullable: false),
                    ParentHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 66, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChainBlocks", x => new { x.ChainId, x.Number });
                });

            migrationBuilder.CreateTable(
                name: "ChainCursors",
                columns: table => new
                {
                    ChainId = table.Column<long>(type: "INTEGER", nullable: false),
                    LastBlock = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChainCursors", x => x.ChainId);
                });

            migrationBuilder.CreateTable(
                name: "ChainLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ChainId = table.Column<long>(type: "INTEGER", nullable: false),
                    BlockNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    BlockHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 66, nullable: false),
                    TxHash = table.Column<string>(type: "TEXT", unicode: false, maxLength: 66, nullable: false),
                    LogIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    Address = table.Column<string>(type: "TEXT", unicode: false, maxLength: 42, nullable: false),
                    EventName = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: true),
                    Topics = table.Column<string>(type: "TEXT", unicode: false, maxLength: 268, nullable: false),
                    Data = table.Column<string>(type: "TEXT", unicode: false, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChainLogs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MirrorAccounts",
                columns: table => new
                {
                    ChainId = table.Column<long>(type: "INTEGER", nullable: false),
                    Address = table.Column<string>(type: "TEXT", unicode: false, maxLength: 42, nullable: false),
                    Balance = table.Column<string>(type: "TEXT", unicode: false, maxLength: 78, nullable: false),
                    Staked = table.Column<string>(type: "TEXT", unicode: false, maxLength: 78, nullable: false),
                    RewardsPaid = table.Column<string>(type: "TEXT", unicode: false, maxLength: 78, nullable: false),
                    Withdrawable = table.Column<string>(type: "TEXT", unicode: false, maxLength: 78, nullable: false),
                    UpdatedBlock = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MirrorAccounts", x => new { x.ChainId, x.Address });
                });

            migrationBuilder.CreateTable(
                name: "MirrorEscrows",
                columns: table => new
                {
                    ChainId = table.Column<long>(type: "INTEGER", nullable: false),
                    EscrowId = table.Column<long>(type: "INTEGER", nullable: false),
                    ListingId = table.Column<long>(type: "INTEGER", nullable: false),
                    Buyer = table.Column<string>(type: "TEXT", unicode: false, maxLength: 42, nullable: false),
                    Seller = table.Column<string>(type: "TEXT", unicode: false, maxLength: 42, nullable: false),
                    Amount = table.Column<string>(type: "TEXT", unicode: false, maxLength: 78, nullable: false),
                    FeeBps = table.Column<int>(type: "INTEGER", nullable: false),
                    Deadline = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    Tranches = table.Column<int>(type: "INTEGER", nullable: false),
                    TranchesReleased = table.Column<int>(type: "INTEGER", nullable: false),
                    Released = table.Column<string>(type: "TEXT", unicode: false, maxLength: 78, nullable: false),
                    State = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    DisputeMode = table.Column<int>(type: "INTEGER", nullable: true),
                    DisputeBond = table.Column<string>(type: "TEXT", unicode: false, maxLength: 78, nullable: true),
                    VoteEnd = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true),
                    SellerBps = table.Column<int>(type: "INTEGER", nullable: true),
                    SellerAmount = table.Column<string>(type: "TEXT", unicode: false, maxLength: 78, nullable: true),
                    BuyerAmount = table.Column<string>(type: "TEXT", unicode: false, maxLength: 78, nullable: true),
                    OpenedTx = table.Column<string>(type: "TEXT", unicode: false, maxLength: 66, nullable: false),
                    OpenedBlock = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBlock = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MirrorEscrows", x => new { x.ChainId, x.EscrowId });
                });

            migrationBuilder.CreateTable(
                name: "MirrorListings",
                columns: table => new
                {
                    ChainId = table.Column<long>(type: "INTEGER", nullable: false),
                    ListingId = table.Column<long>(type: "INTEGER", nullable: false),
                    Seller = table.Column<string>(type: "TEXT", unicode: false, maxLength: 42, nullable: false),
                    ContentDigest = table.Column<string>(type: "TEXT", unicode: false, maxLength: 66, nullable: false),
                    Price = table.Column<string>(type: "TEXT", unicode: false, maxLength: 78, nullable: false),
                    ReviewPeriodSeconds = table.Column<long>(type: "INTEGER", nullable: false),
                    AccessType = table.Column<int>(type: "INTEGER", nullable: false),
                    Tranches = table.Column<int>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", unicode: false, maxLength: 40, nullable: false),
                    RejectionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    CreatedBlock = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBlock = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MirrorListings", x => new { x.ChainId, x.ListingId });
                });

            migrationBuilder.CreateTable(
                name: "MirrorVotes",
                columns: table => new
                {
                    ChainId = table.Column<long>(type: "INTEGER", nullable: false),
                    EscrowId = table.Column<long>(type: "INTEGER", nullable: false),
                    Voter = table.Column<string>(type: "TEXT", unicode: false, maxLength: 42, nullable: false),
                    ForSeller = table.Column<bool>(type: "INTEGER", nullable: false),
                    Weight = table.Column<string>(type: "TEXT", unicode: false, maxLength: 78, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MirrorVotes", x => new { x.ChainId, x.EscrowId, x.Voter });
                });

            migrationBuilder.CreateTable(
                name: "SiweNonces",
                columns: table => new
                {
                    Value = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: false),
                    IssuedAt = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    ExpiresAt = table.Column<string>(type: "TEXT", maxLength: 28, nullable: false),
                    ConsumedAt = table.Column<string>(type: "TEXT", maxLength: 28, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SiweNonces", x => x.Value);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ChainLogs_ChainId_BlockHash_TxHash_LogIndex",
                table: "ChainLogs",
                columns: new[] { "ChainId", "BlockHash", "TxHash", "LogIndex" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChainLogs_ChainId_BlockNumber_LogIndex",
                table: "ChainLogs",
                columns: new[] { "ChainId", "BlockNumber", "LogIndex" });

            migrationBuilder.CreateIndex(
                name: "IX_MirrorEscrows_ChainId_Buyer",
                table: "MirrorEscrows",
                columns: new[] { "ChainId", "Buyer" });

            migrationBuilder.CreateIndex(
                name: "IX_MirrorEscrows_ChainId_Seller",
                table: "MirrorEscrows",
                columns: new[] { "ChainId", "Seller" });

            migrationBuilder.CreateIndex(
                name: "IX_MirrorListings_ChainId_Seller",
                table: "MirrorListings",
                columns: new[] { "ChainId", "Seller" });

            migrationBuilder.CreateIndex(
                name: "IX_SiweNonces_ExpiresAt",
                table: "SiweNonces",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ChainBlocks");

            migrationBuilder.DropTable(
                name: "ChainCursors");

            migrationBuilder.DropTable(
                name: "ChainLogs");

            migrationBuilder.DropTable(
                name: "MirrorAccounts");

            migrationBuilder.DropTable(
                name: "MirrorEscrows");

            migrationBuilder.DropTable(
                name: "MirrorListings");

            migrationBuilder.DropTable(
                name: "MirrorVotes");

            migrationBuilder.DropTable(
                name: "SiweNonces");
        }
    }
}
