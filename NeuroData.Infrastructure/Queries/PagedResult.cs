namespace NeuroData.Infrastructure.Queries;

/// <summary>One page of a longer list.</summary>
/// <param name="Items">The rows of this page.</param>
/// <param name="TotalCount">Rows over all pages.</param>
/// <param name="Page">1-based page number.</param>
/// <param name="PageSize">Rows per page.</param>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalCount, int Page, int PageSize)
{
    /// <summary>Number of pages (at least 1, so a pager always has a page to show).</summary>
    public int PageCount => Math.Max(1, (TotalCount + PageSize - 1) / PageSize);

    /// <summary>
    /// True when counting stopped early: there are more than <see cref="TotalCount"/> rows ("1,000+"), and the pages
    /// cover the first <see cref="TotalCount"/>.
    /// </summary>
    public bool TotalIsCapped { get; init; }
}
