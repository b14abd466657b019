using System.Globalization;
using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training;
using NeuroData.Infrastructure.Training.Runs;
using NeuroData.Web.Components.Training;

namespace NeuroData.Web.Components.Pages.Training;

/// <summary>How a feature column is read: as the ingest profile typed it, as a number, or as a category.</summary>
public enum TreatAs
{
    Profiled,
    Number,
    Category,
}

/// <summary>A row of the feature table: include it or not, and how to read it.</summary>
public sealed class FeatureRow(ColumnSchema column)
{
    public string Name { get; } = column.Name;

    public ColumnType ProfiledType { get; } = column.Type;

    public bool Include { get; set; } = true;

    public TreatAs TreatAs { get; set; }

    public FeatureColumn ToFeature() => new(Name, TreatAs switch
    {
        TreatAs.Number => ColumnType.Number,
        TreatAs.Category => ColumnType.Text,
        _ => null,
    });
}

/// <summary>
/// The state of the new-run form and its rules: the trainer list follows the task, the label is never a feature,
/// hyperparameters are checked against the catalogue's ranges. Field errors are shown once the user tried to submit.
/// </summary>
public sealed class NewRunForm
{
    public const int MaxTestPercent = 90;
    public const int MinFolds = 2;
    public const int MaxFolds = 20;

    private readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal);

    public NewRunForm(IReadOnlyList<TrainableVersion> versions)
    {
        Versions = versions;
        SetTrainer(TrainerCatalog.LightGbm);
    }

    public IReadOnlyList<TrainableVersion> Versions { get; }

    public TrainableVersion? Version { get; private set; }

    public TrainingTask Task { get; private set; } = TrainingTask.BinaryClassification;

    public string? Label { get; private set; }

    public List<FeatureRow> Features { get; } = [];

    public string TrainerId { get; private set; } = TrainerCatalog.LightGbm;

    public bool CrossValidation { get; set; }

    public string TestPercent { get; set; } = "20";

    public string Folds { get; set; } = "5";

    public string Seed { get; set; } = "1";

    public string ModelName { get; set; } = string.Empty;

    /// <summary>True once the user tried to submit: field errors show from then on.</summary>
    public bool ShowErrors { get; set; }

    public TrainerInfo Trainer => TrainerCatalog.Find(TrainerId) ?? TrainerCatalog.All[0];

    /// <summary>The trainers that serve the task (Auto included).</summary>
    public IReadOnlyList<TrainerInfo> Trainers => TrainerCatalog.For(Task);

    /// <summary>Feature candidates: every column but the label.</summary>
    public IEnumerable<FeatureRow> FeatureRows => Features.Where(f => !string.Equals(f.Name, Label, StringComparison.Ordinal));

    public static IReadOnlyList<TrainingTask> Tasks { get; } = Enum.GetValues<TrainingTask>();

    public void SelectVersion(Guid? versionId)
    {
        Version = Versions.FirstOrDefault(v => v.VersionId == versionId);
        Features.Clear();
        Label = null;
        if (Version is null)
        {
            return;
        }

        Features.AddRange(Version.Columns.Select(c => new FeatureRow(c)));
        if (Version.DeclaredLabel is { } declared && Version.Columns.FirstOrDefault(c => c.Name == declared) is { } labelColumn)
        {
            Label = labelColumn.Name;
            SetTask(labelColumn.Type == ColumnType.Number ? TrainingTask.Regression : TrainingTask.BinaryClassification);
        }

        ModelName = DefaultModelName();
    }

    public void SetTask(TrainingTask task)
    {
        var oldDefaultName = DefaultModelName();
        Task = task;
        if (!TrainingText.AllowsLabel(task))
        {
            Label = null;
        }
        else if (Label is null && Version?.DeclaredLabel is { } declared && Version.Columns.Any(c => c.Name == declared))
        {
            Label = declared;
        }

        if (!Trainers.Any(t => t.Id == TrainerId))
        {
            SetTrainer(Trainers.FirstOrDefault(t => t.Id != TrainerCatalog.Auto)?.Id ?? TrainerCatalog.Auto);
        }

        if (ModelName.Length == 0 || ModelName == oldDefaultName)
        {
            ModelName = DefaultModelName();
        }
    }

    public void SetLabel(string? label) =>
        Label = string.IsNullOrEmpty(label) || Version?.Columns.Any(c => c.Name == label) != true ? null : label;

    public void SetTrainer(string id)
    {
        if (TrainerCatalog.Find(id) is not { } trainer)
        {
            return;
        }

        var oldDefaultName = DefaultModelName();
        TrainerId = trainer.Id;
        _parameters.Clear();
        foreach (var p in trainer.Parameters)
        {
            _parameters[p.Name] = p.Default.ToString(CultureInfo.InvariantCulture);
        }

        if (ModelName.Length == 0 || ModelName == oldDefaultName)
        {
            ModelName = DefaultModelName();
        }
    }

    public string ParameterText(string name) => _parameters.GetValueOrDefault(name) ?? string.Empty;

    public void SetParameter(string name, string? text) => _parameters[name] = text?.Trim() ?? string.Empty;

    public string? ParameterError(HyperParameter p)
    {
        var text = ParameterText(p.Name);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return $"{p.Label} must be a number (use '.' for decimals).";
        }

        if (value < p.Min || value > p.Max)
        {
            return $"{p.Label} must be between {Format(p.Min)} and {Format(p.Max)}.";
        }

        return p.IsInteger && value != Math.Floor(value) ? $"{p.Label} must be a whole number." : null;
    }

    public string? VersionError => Version is null ? "Choose a dataset version to train on." : null;

    public string? LabelError => TrainingText.NeedsLabel(Task) && Label is null ? $"{TrainingText.Task(Task)} needs a label column: the value to predict." : null;

    public string? FeaturesError => Version is not null && !FeatureRows.Any(f => f.Include) ? "Choose at least one feature column." : null;

    public string? TestPercentError =>
        CrossValidation || (int.TryParse(TestPercent, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= MaxTestPercent)
            ? null
            : $"The test share is a whole percentage from 1 to {MaxTestPercent}.";

    public string? FoldsError =>
        !CrossValidation || (int.TryParse(Folds, NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) && k is >= MinFolds and <= MaxFolds)
            ? null
            : $"Cross-validation uses {MinFolds} to {MaxFolds} folds.";

    public string? SeedError => int.TryParse(Seed, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? null : "The seed is a whole number.";

    public string? ModelNameError => string.IsNullOrWhiteSpace(ModelName)
        ? "Give the model a name."
        : ModelName.Trim().Length > TrainedModel.NameMaxLength ? $"The model name has at most {TrainedModel.NameMaxLength} characters." : null;

    public bool IsValid =>
        VersionError is null && LabelError is null && FeaturesError is null && TestPercentError is null && FoldsError is null
        && SeedError is null && ModelNameError is null && Trainer.Parameters.All(p => ParameterError(p) is null);

    /// <summary>The request, or null (with <see cref="ShowErrors"/> set) when a field is wrong.</summary>
    public TrainingRunRequest? ToRequest()
    {
        ShowErrors = true;
        if (!IsValid || Version is null)
        {
            return null;
        }

        var parameters = Trainer.Parameters.ToDictionary(p => p.Name, p => double.Parse(ParameterText(p.Name), NumberStyles.Float, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var validation = CrossValidation
            ? ValidationPlan.KFold(int.Parse(Folds, CultureInfo.InvariantCulture))
            : ValidationPlan.HoldOut(int.Parse(TestPercent, CultureInfo.InvariantCulture) / 100.0);
        return new TrainingRunRequest(
            Version.VersionId,
            Task,
            TrainerId,
            TrainingText.AllowsLabel(Task) ? Label : null,
            [.. FeatureRows.Where(f => f.Include).Select(f => f.ToFeature())],
            parameters,
            validation,
            int.Parse(Seed, CultureInfo.InvariantCulture),
            ModelName.Trim());
    }

    public static string TypeName(ColumnType type) => type switch
    {
        ColumnType.WholeNumber => "whole number",
        ColumnType.Number => "number",
        ColumnType.Boolean => "true/false",
        ColumnType.DateTime => "date/time",
        ColumnType.Text => "text",
        _ => type.ToString(),
    };

    private string DefaultModelName() => Version is null ? string.Empty : $"{Version.DatasetTitle} · {Trainer.Name}";

    private static string Format(double v) => v.ToString("#,0.######", CultureInfo.InvariantCulture);
}
