using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NeuroData.Infrastructure.Persistence.Configurations;

namespace NeuroData.Infrastructure.Indexing;

internal sealed class ChainLogRecordConfiguration : IEntityTypeConfiguration<ChainLogRecord>
{
    public void Configure(EntityTypeBuilder<ChainLogRecord> b)
    {
        b.ToTable("ChainLogs");
        b.HasKey(x => x.Id);
        b.Property(x => x.BlockHash).HasMaxLength(66).IsUnicode(false);
        b.Property(x => x.EventName).HasMaxLength(64).IsUnicode(false);
        b.Property(x => x.Topics).HasMaxLength(4 * 67).IsUnicode(false);
        b.Property(x => x.Data).IsUnicode(false);

        // Event identity: the same log is stored (and applied) at most once.
        b.HasIndex(x => new { x.ChainId, x.BlockHash, x.TxHash, x.LogIndex }).IsUnique();
        b.HasIndex(x => new { x.ChainId, x.BlockNumber, x.LogIndex });
    }
}

internal sealed class IndexedBlockConfiguration : IEntityTypeConfiguration<IndexedBlock>
{
    public void Configure(EntityTypeBuilder<IndexedBlock> b)
    {
        b.ToTable("ChainBlocks");
        b.HasKey(x => new { x.ChainId, x.Number });
        b.Property(x => x.Number).ValueGeneratedNever();
        b.Property(x => x.Hash).HasMaxLength(66).IsUnicode(false);
        b.Property(x => x.ParentHash).HasMaxLength(66).IsUnicode(false);
    }
}

internal sealed class IndexerCursorConfiguration : IEntityTypeConfiguration<IndexerCursor>
{
    public void Configure(EntityTypeBuilder<IndexerCursor> b)
    {
        b.ToTable("ChainCursors");
        b.HasKey(x => x.ChainId);
        b.Property(x => x.ChainId).ValueGeneratedNever();
    }
}

internal sealed class MirrorListingConfiguration : IEntityTypeConfiguration<MirrorListing>
{
    public void Configure(EntityTypeBuilder<MirrorListing> b)
    {
        b.ToTable("MirrorListings");
        b.HasKey(x => new { x.ChainId, x.ListingId });
        b.Property(x => x.ListingId).ValueGeneratedNever();
        b.Property(x => x.ContentDigest).HasMaxLength(66).IsUnicode(false);
        b.Property(x => x.Status).IsEnumText();
        b.Property(x => x.RejectionReason).HasMaxLength(1000);
        b.HasIndex(x => new { x.ChainId, x.Seller });
    }
}

internal sealed class MirrorEscrowConfiguration : IEntityTypeConfiguration<MirrorEscrow>
{
    public void Configure(EntityTypeBuilder<MirrorEscrow> b)
    {
        b.ToTable("MirrorEscrows");
        b.HasKey(x => new { x.ChainId, x.EscrowId });
        b.Property(x => x.EscrowId).ValueGeneratedNever();
        b.Property(x => x.State).IsEnumText();
        b.HasIndex(x => new { x.ChainId, x.Buyer });
        b.HasIndex(x => new { x.ChainId, x.Seller });
    }
}

internal sealed class MirrorVoteConfiguration : IEntityTypeConfiguration<MirrorVote>
{
    public void Configure(EntityTypeBuilder<MirrorVote> b)
    {
        b.ToTable("MirrorVotes");
        b.HasKey(x => new { x.ChainId, x.EscrowId, x.Voter });
    }
}

internal sealed class MirrorAccountConfiguration : IEntityTypeConfiguration<MirrorAccount>
{
    public void Configure(EntityTypeBuilder<MirrorAccount> b)
    {
        b.ToTable("MirrorAccounts");
        b.HasKey(x => new { x.ChainId, x.Address });
    }
}
