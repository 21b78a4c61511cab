namespace Caisson.Bench.Cri;

/// <summary>Names of the measured steps, shared by the driver, the floor samples and the report.</summary>
internal static class Steps
{
    public const string RunPodSandbox = "RunPodSandbox";
    public const string CreateContainer = "CreateContainer";
    public const string StartContainer = "StartContainer";
    public const string CreateStart = "CreateContainer+StartContainer";
    public const string StopContainer = "StopContainer";
    public const string RemoveContainer = "RemoveContainer";
    public const string StopRemove = "StopContainer+RemoveContainer";
    public const string StopPodSandbox = "StopPodSandbox";
    public const string RemovePodSandbox = "RemovePodSandbox";
    public const string StopRemovePod = "StopPodSandbox+RemovePodSandbox";
    public const string RoundTrip = "Version";
}
