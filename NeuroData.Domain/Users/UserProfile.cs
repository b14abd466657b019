using NeuroData.Domain.Common;

namespace NeuroData.Domain.Users;

/// <summary>
/// What the product knows about a person, keyed by the same id as their sign-in account (Identity user). Holds the
/// public profile, linked wallets, reputation and trading statistics.
/// </summary>
public sealed class UserProfile : Entity, IAuditable
{
    public const int MaxWallets = 5;
    public const int DisplayNameMaxLength = 64;
    public const int BioMaxLength = 2000;
    public const int AvatarUrlMaxLength = 512;

    private readonly List<WalletLink> _wallets = [];

    private UserProfile()
    {
        DisplayName = null!;
    }

    public UserProfile(Guid userId, string displayName, DateTimeOffset now)
        : base(Guard.Id(userId, "The user"))
    {
        DisplayName = Guard.Text(displayName, "Display name", DisplayNameMaxLength);
        CreatedAt = now;
        UpdatedAt = now;
    }

    public string DisplayName { get; private set; }

    public string? Bio { get; private set; }

    public string? AvatarUrl { get; private set; }

    /// <summary>Reputation points (reviews received, completed trades, lost disputes lower it). May go negative.</summary>
    public int Reputation { get; private set; }

    public int DatasetsSold { get; private set; }

    public int DatasetsBought { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyCollection<WalletLink> Wallets => _wallets.AsReadOnly();

    public void UpdateProfile(string displayName, string? bio, string? avatarUrl)
    {
        var name = Guard.Text(displayName, "Display name", DisplayNameMaxLength);
        var newBio = Guard.OptionalText(bio, "Bio", BioMaxLength);
        var url = Guard.OptionalText(avatarUrl, "Avatar URL", AvatarUrlMaxLength);
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new DomainException("Avatar URL must be an absolute https:// address.");
        }

        DisplayName = name;
        Bio = newBio;
        AvatarUrl = url;
    }

    /// <summary>Links a verified wallet (the caller has checked a signature). The first wallet becomes primary.</summary>
    public WalletLink LinkWallet(EthAddress address, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsZero)
        {
            throw new DomainException("The zero address cannot be linked.");
        }

        if (_wallets.Any(w => w.Address == address))
        {
            throw new DomainException($"Wallet {address} is already linked to this account.");
        }

        if (_wallets.Count >= MaxWallets)
        {
            throw new DomainException($"At most {MaxWallets} wallets can be linked; unlink one first.");
        }

        var link = new WalletLink(Id, address, now, isPrimary: _wallets.Count == 0);
        _wallets.Add(link);
        return link;
    }

    public void UnlinkWallet(EthAddress address)
    {
        var link = _wallets.FirstOrDefault(w => w.Address == address)
            ?? throw new DomainException($"Wallet {address} is not linked to this account.");
        _wallets.Remove(link);
        if (link.IsPrimary && _wallets.Count > 0)
        {
            _wallets.OrderBy(w => w.LinkedAt).First().MarkPrimary(true);
        }
    }

    public void SetPrimaryWallet(EthAddress address)
    {
        var link = _wallets.FirstOrDefault(w => w.Address == address)
            ?? throw new DomainException($"Wallet {address} is not linked to this account.");
        foreach (var w in _wallets)
        {
            w.MarkPrimary(ReferenceEquals(w, link));
        }
    }

    public EthAddress? PrimaryWallet => _wallets.FirstOrDefault(w => w.IsPrimary)?.Address;

    public void RecordSale() => DatasetsSold++;

    public void RecordPurchase() => DatasetsBought++;

    public void AdjustReputation(int delta) => Reputation = checked(Reputation + delta);
}

/// <summary>A wallet address a user proved they control (Sign-In with Ethereum). An address belongs to one user.</summary>
public sealed class WalletLink : Entity
{
    private WalletLink()
    {
        Address = null!;
    }

    internal WalletLink(Guid userId, EthAddress address, DateTimeOffset linkedAt, bool isPrimary)
    {
        UserId = userId;
        Address = address;
        LinkedAt = linkedAt;
        IsPrimary = isPrimary;
    }

    public Guid UserId { get; private set; }

    public EthAddress Address { get; private set; }

    public DateTimeOffset LinkedAt { get; private set; }

    public bool IsPrimary { get; private set; }

    internal void MarkPrimary(bool primary) => IsPrimary = primary;
}
