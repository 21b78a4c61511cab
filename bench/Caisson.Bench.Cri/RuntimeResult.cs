using System.Text.Json;

namespace Caisson.Bench.Cri;

/// <summary>Everything one <c>run</c> measured on one runtime; <c>report</c> reads two of these side by side.</summary>
internal sealed record RuntimeResult
{
    public required string Name { get; init; }

    /// <summary>What the runtime says it is (CRI Version: runtime name and version).</summary>
    public required string Runtime { get; init; }

    public required int Iterations { get; init; }

    /// <summary>Milliseconds per step, one sample per iteration; the steps are named in <see cref="Steps"/>.</summary>
    public required IReadOnlyDictionary<string, double[]> StepsMs { get; init; }

    /// <summary>The daemon's CPU time per timed cycle: its own, and its reaped children's (CNI plugins, runc calls).</summary>
    public required ProcessCpu DaemonCpuPerCycle { get; init; }

    public required DensityResult Density { get; init; }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static RuntimeResult Load(string path) =>
        JsonSerializer.Deserialize<RuntimeResult>(File.ReadAllText(path), Json)
        ?? throw new ArgumentException($"{path} holds no result");
}
