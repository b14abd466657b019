namespace NeuroData.Domain.Datasets;

/// <summary>Where the try-before-you-buy baseline of a dataset version stands.</summary>
public enum BaselineStatus
{
    /// <summary>No label column is declared (or the version has none yet), so there is no baseline.</summary>
    NotApplicable = 0,

    /// <summary>A label is declared and the baseline waits for (or is in) the <c>training.baseline</c> job.</summary>
    Pending = 1,

    /// <summary>The platform trained the baseline; its metrics are stored.</summary>
    Computed = 2,

    /// <summary>The baseline could not be trained; the reason says why in plain words.</summary>
    Failed = 3,
}
