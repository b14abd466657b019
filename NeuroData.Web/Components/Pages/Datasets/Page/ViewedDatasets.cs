namespace NeuroData.Web.Components.Pages.Datasets.Page;

/// <summary>
/// Datasets this circuit (browser tab session) has already counted a view for, so that re-renders and navigating back
/// do not count again. Signed-in users are also counted once per dataset ever, on the server.
/// </summary>
public sealed class ViewedDatasets
{
    private readonly HashSet<Guid> _seen = [];
    private readonly Lock _gate = new();

    /// <summary>True the first time for a dataset in this session.</summary>
    public bool TryMarkViewed(Guid datasetId)
    {
        lock (_gate)
        {
            return _seen.Add(datasetId);
        }
    }
}
