using NeuroData.Domain.Datasets;
using NeuroData.Domain.Training;
using NeuroData.Infrastructure.Training.Runs;

namespace NeuroData.Tests.Components.Training;

/// <summary>Versions, runs and metrics for the training page tests.</summary>
internal static class TrainingSamples
{
    public const string Cid = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy";
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 23, 0, 0, TimeSpan.Zero);

    public static TrainableVersion Churn(TrainingAccess access = TrainingAccess.Owner, string? declaredLabel = "churned") => new(
        Guid.CreateVersion7(),
        "Telecom churn",
        Guid.CreateVersion7(),
        2,
        Cid,
        5000,
        [new("age", ColumnType.WholeNumber), new("plan", ColumnType.Text), new("monthly_fee", ColumnType.Number), new("zip", ColumnType.WholeNumber), new("churned", ColumnType.Boolean)],
        declaredLabel,
        access,
        ModelDownloadAllowed: access != TrainingAccess.TrainingOnly);

    public static TrainingRunRequest Request(Guid versionId, string trainer = "lightgbm", TrainingTask task = TrainingTask.BinaryClassification, string name = "Churn model") => new(
        versionId,
        task,
        trainer,
        task is TrainingTask.Clustering ? null : "churned",
        [new("age"), new("plan"), new("monthly_fee"), new("zip", ColumnType.Text)],
        new Dictionary<string, double> { ["trees"] = 100, ["leaves"] = 31 },
        ValidationPlan.HoldOut(0.2),
        7,
        name);

    public static TrainingRunSnapshot Run(Guid userId, TrainingRunStatus status, TrainingMetrics? metrics = null, string trainer = "lightgbm", string name = "Churn model", TrainingTask task = TrainingTask.BinaryClassification) => new(
        Guid.CreateVersion7(),
        userId,
        Guid.CreateVersion7(),
        "Telecom churn",
        Guid.CreateVersion7(),
        2,
        Cid,
        Request(Guid.CreateVersion7(), trainer, task, name),
        status,
        status == TrainingRunStatus.Queued ? 3 : null,
        null,
        status == TrainingRunStatus.Failed ? "The label column 'churned' has 1 distinct value ('false'): a model cannot learn anything from it" : null,
        status == TrainingRunStatus.Succeeded ? metrics ?? Binary(0.93) : null,
        status == TrainingRunStatus.Succeeded ? Guid.CreateVersion7() : null,
        Now,
        status == TrainingRunStatus.Queued ? null : Now.AddSeconds(5),
        status is TrainingRunStatus.Succeeded or TrainingRunStatus.Failed or TrainingRunStatus.Cancelled ? Now.AddSeconds(40) : null);

    public static TrainingMetrics Binary(double auc, string trainer = "lightgbm", double logLoss = 0.31) => new()
    {
        Task = TrainingTask.BinaryClassification,
        Trainer = trainer,
        Parameters = new Dictionary<string, double> { ["trees"] = 100, ["leaves"] = 31, ["learningRate"] = 0.1 },
        Validation = "hold-out 20%",
        Seed = 7,
        TrainingRows = 4000,
        TestRows = 1000,
        Features = ["age", "plan", "monthly_fee", "zip"],
        Label = "churned",
        PrimaryMetric = "AUC",
        PrimaryValue = auc,
        HigherIsBetter = true,
        Seconds = 3.5,
        Binary = new BinaryMetrics("true", "false", auc, 0.88, 0.81, 0.84, 0.78, logLoss,
            new ConfusionMatrix(["false", "true"], [[610, 40], [80, 270]]),
            [new(0, 0, 1), new(0.1, 0.6, 0.8), new(0.3, 0.9, 0.5), new(1, 1, 0)]),
        FeatureImportance = [new("monthly_fee", 0.21), new("plan", 0.08), new("age", 0.02), new("zip", -0.001)],
        Notes = ["12 rows without a label were left out."],
    };

    public static TrainingMetrics Regression() => new()
    {
        Task = TrainingTask.Regression,
        Trainer = "fasttree",
        Parameters = new Dictionary<string, double> { ["trees"] = 100 },
        Validation = "5-fold cross-validation",
        Seed = 1,
        TrainingRows = 800,
        TestRows = 200,
        Features = ["age", "plan"],
        Label = "monthly_fee",
        PrimaryMetric = "RSquared",
        PrimaryValue = 0.87,
        HigherIsBetter = true,
        Seconds = 1.2,
        Regression = new RegressionMetrics(2.5, 1.9, 0.87,
            [new(10, 11), new(20, 19.5), new(30, 31), new(40, 38)],
            [new(11, -1), new(19.5, 0.5), new(31, -1), new(38, 2)]),
        Folds = [new(1, 800, 200, 0.86), new(2, 800, 200, 0.88)],
    };

    public static TrainingMetrics Auto() => Binary(0.95, "fasttree") with
    {
        AutoTrials =
        [
            new("lightgbm", new Dictionary<string, double> { ["trees"] = 100 }, 0.94, 2, null),
            new("fasttree", new Dictionary<string, double> { ["trees"] = 100 }, 0.95, 3, null),
            new("sdca", new Dictionary<string, double>(), 0, 0.5, "did not converge"),
        ],
    };
}
