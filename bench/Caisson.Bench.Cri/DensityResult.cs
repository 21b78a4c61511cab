namespace Caisson.Bench.Cri;

/// <summary>Memory of the daemon idle and with <see cref="Pods"/> pods running, and of the shims those pods need.</summary>
internal sealed record DensityResult
{
    public required int Pods { get; init; }

    /// <summary>The daemon a few seconds after it answered Status as ready, before any image or pod.</summary>
    public required MemoryUse DaemonIdle { get; init; }

    public required MemoryUse DaemonWithPods { get; init; }

    /// <summary>The daemon's peak RSS over the whole run (VmHWM).</summary>
    public required long DaemonPeakRssKiB { get; init; }

    public required int ShimProcesses { get; init; }

    public required MemoryUse Shims { get; init; }

    /// <summary>Seconds to run all pods one after another (RunPodSandbox, CreateContainer, StartContainer each).</summary>
    public required double StartSeconds { get; init; }

    /// <summary>Seconds to stop and remove them all (StopPodSandbox, RemovePodSandbox each).</summary>
    public required double RemoveSeconds { get; init; }
}
