using System.Runtime.InteropServices;
using NeuroData.Domain.Datasets;

namespace NeuroData.Infrastructure.Ingest;

/// <summary>
/// Everything the profile needs about one column, gathered in one pass with bounded memory: type candidates,
/// missing count, distinct count (exact up to <see cref="ExactDistinctLimit"/>, then HyperLogLog), numeric moments
/// (Welford), min/max, a reservoir sample for the median and frequent values (Misra-Gries).
/// </summary>
internal sealed class ColumnAccumulator(string name, int seed)
{
    public const int ExactDistinctLimit = 10_000;
    public const int ReservoirSize = 10_000;
    public const int FrequentCapacity = 1_000;
    public const int MaxTrackedValueLength = 256;
    public const int TopValueCount = 10;
    public const int HistogramBins = 20;

    private readonly Random random = new(seed);
    private HashSet<ulong>? exactHashes = [];
    private HyperLogLog? estimate;
    private readonly Dictionary<string, long> frequent = new(StringComparer.Ordinal);
    private bool frequentIsLossy;
    private double[]? reservoir = new double[16];
    private int reservoirCount;
    private long numericCount;
    private double mean;
    private double m2;

    public string Name { get; } = name;

    public long Missing { get; private set; }

    public long Present { get; private set; }

    public bool CanBeWhole { get; private set; } = true;

    public bool CanBeNumber { get; private set; } = true;

    public bool CanBeBoolean { get; private set; } = true;

    public bool CanBeDateTime { get; private set; } = true;

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public void Add(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            Missing++;
            return;
        }

        Present++;
        CountDistinct(value);
        CountFrequent(value);

        if (CanBeWhole && !ValueParsing.TryWhole(value, out _))
        {
            CanBeWhole = false;
        }

        if (CanBeNumber)
        {
            if (ValueParsing.TryNumber(value, out var number))
            {
                AddNumber(number);
            }
            else
            {
                CanBeNumber = false;
                CanBeWhole = false;
                reservoir = null;
            }
        }

        if (CanBeBoolean && !ValueParsing.TryBoolean(value, out _))
        {
            CanBeBoolean = false;
        }

        if (CanBeDateTime && !ValueParsing.TryDateTime(value, out _))
        {
            CanBeDateTime = false;
        }
    }

    /// <summary>The inferred type: the narrowest type every present value fits; a column with no values is text.</summary>
    public ColumnType Type =>
        Present == 0 ? ColumnType.Text
        : CanBeWhole ? ColumnType.WholeNumber
        : CanBeNumber ? ColumnType.Number
        : CanBeBoolean ? ColumnType.Boolean
        : CanBeDateTime ? ColumnType.DateTime
        : ColumnType.Text;

    public bool IsNumeric => Type is ColumnType.WholeNumber or ColumnType.Number;

    public (long Count, bool IsEstimate) Distinct =>
        exactHashes is not null ? (exactHashes.Count, false) : (estimate!.Estimate(), true);

    public NumericStatistics? Statistics()
    {
        if (!IsNumeric || numericCount == 0)
        {
            return null;
        }

        var sample = reservoir.AsSpan(0, Math.Min(reservoirCount, ReservoirSize)).ToArray();
        Array.Sort(sample);
        double? median = sample.Length == 0 ? null
            : sample.Length % 2 == 1 ? sample[sample.Length / 2]
            : (sample[(sample.Length / 2) - 1] / 2) + (sample[sample.Length / 2] / 2);
        var variance = numericCount > 1 ? m2 / (numericCount - 1) : 0;
        return new NumericStatistics(Min, Max, mean, Math.Sqrt(variance), median);
    }

    /// <summary>Whether the median is exact (every value was in the reservoir).</summary>
    public bool MedianIsExact => numericCount <= ReservoirSize;

    public IReadOnlyList<ValueCount> TopValues()
    {
        if (IsNumeric)
        {
            return [];
        }

        return [.. frequent.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(TopValueCount).Select(p => new ValueCount(p.Key, p.Value))];
    }

    /// <summary>True when the frequent-value counts are lower bounds (more than <see cref="FrequentCapacity"/> values competed).</summary>
    public bool TopValuesAreEstimates => frequentIsLossy;

    private void AddNumber(double x)
    {
        numericCount++;
        var delta = x - mean;
        mean += delta / numericCount;
        m2 += delta * (x - mean);
        Min = Math.Min(Min, x);
        Max = Math.Max(Max, x);

        // Algorithm R: every value has the same chance to be in the sample.
        if (numericCount <= ReservoirSize)
        {
            if (reservoirCount == reservoir!.Length)
            {
                Array.Resize(ref reservoir, Math.Min(ReservoirSize, reservoir.Length * 2));
            }

            reservoir[reservoirCount++] = x;
        }
        else
        {
            var j = random.NextInt64(numericCount);
            if (j < ReservoirSize)
            {
                reservoir![j] = x;
            }
        }
    }

    private void CountDistinct(string value)
    {
        var hash = Hash64(value);
        if (exactHashes is not null)
        {
            exactHashes.Add(hash);
            if (exactHashes.Count <= ExactDistinctLimit)
            {
                return;
            }

            estimate = new HyperLogLog();
            foreach (var h in exactHashes)
            {
                estimate.Add(h);
            }

            exactHashes = null;
            return;
        }

        estimate!.Add(hash);
    }

    private void CountFrequent(string value)
    {
        if (value.Length > MaxTrackedValueLength)
        {
            return;
        }

        if (frequent.TryGetValue(value, out var count))
        {
            frequent[value] = count + 1;
            return;
        }

        if (frequent.Count < FrequentCapacity)
        {
            frequent[value] = 1;
            return;
        }

        // Misra-Gries: a new value when the table is full decrements every counter (amortised O(1) per value).
        frequentIsLossy = true;
        foreach (var key in frequent.Keys)
        {
            ref var counter = ref CollectionsMarshal.GetValueRefOrNullRef(frequent, key);
            if (--counter == 0)
            {
                frequent.Remove(key); // allowed while enumerating
            }
        }
    }

    /// <summary>FNV-1a over the UTF-16 code units, finished with the SplitMix64 mixer (deterministic across runs).</summary>
    internal static ulong Hash64(string value)
    {
        var h = 14695981039346656037UL;
        foreach (var c in value)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        h ^= h >> 30;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 27;
        h *= 0x94D049BB133111EBUL;
        h ^= h >> 31;
        return h;
    }
}

/// <summary>HyperLogLog with 2^14 registers (standard error about 0.8 %), with the small-range correction.</summary>
internal sealed class HyperLogLog
{
    private const int Precision = 14;
    private const int RegisterCount = 1 << Precision;
    private readonly byte[] registers = new byte[RegisterCount];

    public void Add(ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        var rest = (hash << Precision) | (1UL << (Precision - 1));
        var rank = (byte)(System.Numerics.BitOperations.LeadingZeroCount(rest) + 1);
        if (rank > registers[index])
        {
            registers[index] = rank;
        }
    }

    public long Estimate()
    {
        double sum = 0;
        var zeros = 0;
        foreach (var r in registers)
        {
            sum += Math.Pow(2, -r);
            if (r == 0)
            {
                zeros++;
            }
        }

        var alpha = 0.7213 / (1 + (1.079 / RegisterCount));
        var raw = alpha * RegisterCount * RegisterCount / sum;
        if (raw <= 2.5 * RegisterCount && zeros > 0)
        {
            raw = RegisterCount * Math.Log((double)RegisterCount / zeros);
        }

        return (long)Math.Round(raw);
    }
}
